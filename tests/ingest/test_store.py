import pytest

from ingest import store
from ingest.pipeline import ingest_paths
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def small_result(token_counter):
    return ingest_paths([SEEDS["pitea"]], counter=token_counter)


def test_write_then_read_gives_the_same_records(small_result, tmp_path):
    out = store.write_result(small_result, tmp_path / "out")
    assert store.read_chunks(out) == list(small_result.chunks)
    assert store.read_documents(out) == list(small_result.documents)
    assert store.read_report(out)["counts"]["chunks"] == len(small_result.chunks)


def test_a_crash_mid_write_leaves_the_old_output(small_result, tmp_path, monkeypatch):
    out = store.write_result(small_result, tmp_path / "out")
    before = (out / store.CHUNKS_FILE).read_bytes()

    def explode(*_args, **_kwargs):
        raise OSError("disken är full")

    monkeypatch.setattr(store, "_swap_in", explode)
    with pytest.raises(OSError):
        store.write_result(small_result, tmp_path / "out")
    assert (out / store.CHUNKS_FILE).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
