"""A damaged index is refused with one clear line naming what is wrong, never a traceback, and
never accepted silently; `revsok ingest --replace` repairs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from index import layout
from index.searcher import Searcher
from revsok.cli import main
from revsok.errors import IndexProblem


def _config(version: Path, change) -> None:
    path = version / layout.CONFIG_FILE
    config = json.loads(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(json.dumps(config), encoding="utf-8")


def _drop(key):
    return lambda version: _config(version, lambda c: c.pop(key))


def _write(name: str, data: bytes):
    return lambda version: (version / name).write_bytes(data)


def _delete(name: str):
    return lambda version: (version / name).unlink()


def _half(name: str):
    def cut(version):
        data = (version / name).read_bytes()
        (version / name).write_bytes(data[: len(data) // 2])

    return cut


def _vectors(change):
    def rewrite(version):
        vectors = np.load(version / "vectors.npy")
        np.save(version / "vectors.npy", change(vectors), allow_pickle=False)

    return rewrite


# (what is damaged, how, a word the message must contain)
CORRUPTIONS = {
    "config: embedder missing": (_drop("embedder"), "embedder"),
    "config: counts missing": (_drop("counts"), "counts"),
    "config: dense missing": (_drop("dense"), "dense"),
    "config: lexical missing": (_drop("lexical"), "lexical"),
    "config: fusion missing": (_drop("fusion"), "fusion"),
    "config: extra fusion key": (
        lambda v: _config(v, lambda c: c["fusion"].update(turbo=True)),
        "turbo",
    ),
    "config: count of the wrong type": (
        lambda v: _config(v, lambda c: c["counts"].update(chunks="många")),
        "counts.chunks",
    ),
    "config: chunk size of the wrong type": (
        lambda v: _config(v, lambda c: c["chunking"].update(chunk_size="450")),
        "chunking.chunk_size",
    ),
    "config: ingest report problems not a list": (
        lambda v: _config(v, lambda c: c["ingest_report"].update(problems="inga")),
        "ingest_report.problems",
    ),
    "config: other format": (
        lambda v: _config(v, lambda c: c.update(format_version=99)),
        "indexformat",
    ),
    "config: a list": (_write("config.json", b"[1, 2]"), "objekt"),
    "config: garbage": (_write("config.json", b"\x00\xff{not json"), "config.json"),
    "config: deleted": (_delete("config.json"), "config.json"),
    "config: unknown dense kind": (
        lambda v: _config(v, lambda c: c["dense"].update(kind="annoy")),
        "dense.kind",
    ),
    "config: ivf without its lists": (
        lambda v: _config(v, lambda c: c["dense"].update(kind="ivf")),
        "dense-ivf.faiss",
    ),
    "config: hnsw without its graph": (
        lambda v: _config(v, lambda c: c["dense"].update(kind="hnsw")),
        "dense-hnsw.faiss",
    ),
    "config: more chunks than stored": (
        lambda v: _config(v, lambda c: c["counts"].update(chunks=c["counts"]["chunks"] + 1)),
        "hänger inte ihop",
    ),
    "chunks.sqlite deleted": (_delete("chunks.sqlite"), "chunks.sqlite"),
    "chunks.sqlite garbage": (_write("chunks.sqlite", b"SQLite? no." * 100), "chunks.sqlite"),
    "chunks.sqlite cut in half": (_half("chunks.sqlite"), "chunks.sqlite"),
    "chunks.sqlite empty": (_write("chunks.sqlite", b""), "chunks.sqlite"),
    "vectors.npy deleted": (_delete("vectors.npy"), "vectors.npy"),
    "vectors.npy garbage": (_write("vectors.npy", b"\x93NUMPY garbage"), "vectors.npy"),
    "vectors.npy cut in half": (_half("vectors.npy"), "vectors.npy"),
    "vectors.npy fewer rows": (_vectors(lambda v: v[:-3]), "vektorer"),
    "vectors.npy wrong dimension": (_vectors(lambda v: v[:, :100]), "dimension"),
    "vectors.npy one-dimensional": (_vectors(lambda v: v[0]), "vectors.npy"),
    "vectors.npy of text": (_vectors(lambda v: np.array(["a", "b"])), "vectors.npy"),
    "lexical.json deleted": (_delete("lexical.json"), "lexical.json"),
    "lexical.json garbage": (_write("lexical.json", b"{{{"), "lexical.json"),
    "BM25 matrix deleted": (_delete("lexical-bm25.data.npy"), "BM25"),
    "BM25 matrix garbage": (_write("lexical-bm25.indptr.npy", b"nonsense"), "BM25"),
    "analyzer garbage": (_write("lexical-analyzer.json", b"[]"), "BM25"),
}


@pytest.fixture
def index_dir(data_dir) -> Path:
    return data_dir / "index"


def _check_refused(index_dir: Path, word: str, capsys) -> str:
    with pytest.raises(IndexProblem) as refused:
        Searcher.load(index_dir)
    assert word in str(refused.value)
    assert main(["search", "hemtjänst", "--index", str(index_dir)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("revsok: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


@pytest.mark.parametrize("damage", CORRUPTIONS, ids=list(CORRUPTIONS))
def test_a_damaged_index_is_refused_with_one_clear_line(damage, index_dir, capsys):
    corrupt, word = CORRUPTIONS[damage]
    corrupt(layout.live_version(index_dir))
    err = _check_refused(index_dir, word, capsys)
    assert "bygg om" in err or "revsok ingest" in err


@pytest.mark.parametrize(
    "pointer, word",
    [
        ("../../..", "inte är en version"),
        ("/etc", "inte är en version"),
        ("", "inte är en version"),
        ("v-finns-inte", "saknar config.json"),
    ],
)
def test_a_current_that_leads_nowhere_is_refused(pointer, word, index_dir, capsys):
    (index_dir / layout.CURRENT_FILE).write_text(pointer, encoding="utf-8")
    _check_refused(index_dir, word, capsys)


def test_a_damaged_index_is_repaired_by_ingest_replace(index_dir, small_library, capsys):
    _half("chunks.sqlite")(layout.live_version(index_dir))
    # An update reads the documents it keeps from the damaged version: refused, index untouched.
    assert main(["ingest", str(small_library), "--index", str(index_dir), "--quiet"]) == 3
    assert "chunks.sqlite" in capsys.readouterr().err
    assert main(["ingest", str(small_library), "--index", str(index_dir), "--replace"]) == 0
    assert Searcher.load(index_dir).search("informationssäkerhet", k=3)


@pytest.mark.parametrize(
    "name, data",
    [
        ("recommendations.json", b"{"),
        ("recommendations.json", b"[]"),
        ("recommendations.json", b'{"format": 1, "recommendations": 7}'),
        ("recommendations.npy", b"\x93NUMPY nonsense"),
    ],
)
def test_a_damaged_recommendation_store_is_named(name, data, index_dir, capsys):
    version = layout.live_version(index_dir)
    if name == "recommendations.json" and data.startswith(b'{"format"'):
        stored = json.loads((version / name).read_text(encoding="utf-8"))
        data = data.replace(b"1", str(stored["format"]).encode(), 1)
    (version / name).write_bytes(data)
    assert main(["recommendations", "--index", str(index_dir)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("revsok: ") and str(version) in err and "Traceback" not in err


def test_a_copy_of_the_index_elsewhere_still_loads(index_dir, tmp_path):
    """The checks refuse damage, not a moved index: a copied folder loads as it is."""
    moved = tmp_path / "flyttat"
    shutil.copytree(index_dir, moved)
    assert Searcher.load(moved).search("vårdköer", k=1)


@pytest.mark.parametrize(
    "page", ["search.py", "compare.py", "over_time.py", "documents.py", "recommendations.py"]
)
def test_every_app_page_shows_a_damaged_index_as_one_red_box(page, index_dir, monkeypatch):
    from search_app.ui import resources
    from tests.search_app.apptest_pages import run_page

    monkeypatch.setenv("REVSOK_INDEX_DIR", str(index_dir))
    monkeypatch.setenv("REVSOK_DATA_DIR", str(index_dir.parent))
    resources.forget_index()
    _vectors(lambda v: v[:-3])(layout.live_version(index_dir))
    app = run_page(page, q="hemtjänst")  # run_page fails on any exception the page raises
    assert len(app.error) == 1
    shown = app.error[0].value.replace("\\", "")  # the message is markdown-escaped text
    assert shown.startswith("Sökindexet kan inte läsas: ")
    assert "vectors.npy" in shown and "bygg om" in shown.lower()
