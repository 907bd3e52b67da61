"""Two ingests into one index from two processes: one waits for the other, and no update is lost."""

from __future__ import annotations

from index import layout
from tests.faults.conftest import leftovers, new_document, run_revsok, sources


def test_two_ingest_processes_at_once_lose_no_update(data_dir, tmp_path):
    index_dir = data_dir / "index"
    before = sources(index_dir)
    first = new_document(tmp_path / "a", "gallivare-a.txt", "hemtjänstens bemanning")
    second = new_document(tmp_path / "b", "gallivare-b.txt", "kontinuiteten i hemtjänsten")
    runs = [
        run_revsok("ingest", str(path.parent), data_dir=data_dir, background=True)
        for path in (first, second)
    ]
    outcomes = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outcomes
    assert sources(index_dir) == before | {first.name, second.name}
    assert leftovers(index_dir) == []


def test_a_writer_that_will_not_wait_exits_with_code_4(data_dir, tmp_path):
    index_dir = data_dir / "index"
    extra = new_document(tmp_path / "a", "gallivare-a.txt", "hemtjänstens bemanning")
    with layout.writer_lock(index_dir):
        refused = run_revsok("ingest", str(extra.parent), "--no-wait", data_dir=data_dir)
    assert refused.returncode == 4
    assert "annat bygge" in refused.stderr and "Traceback" not in refused.stderr
    assert extra.name not in sources(index_dir)
