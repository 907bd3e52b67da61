"""The loaded index reads chunks from disk on demand: same chunks, same results, less memory."""

from __future__ import annotations

import dataclasses
import shutil
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from index import layout
from index.chunk_store import ChunkStoreError, read_chunks
from index.chunk_table import (
    COLUMN_VALUES_FILE,
    COLUMNS_FILE,
    ChunkColumns,
    ChunkTable,
)
from index.models import Filters
from index.searcher import Searcher
from revsok.bench.startup import format_lines, measure_startup

QUERIES = (
    "rekommendationer om samverkan med regionen",
    "Ragundas missbruksvård",
    "brister i kvalitetsledningssystemet",
    "socialnämnden i Härnösand 2022",
    "hemtjänst Orsa",
)


@pytest.fixture(scope="module")
def version(corpus_index):
    return layout.live_version(corpus_index)


@pytest.fixture
def copied_index(corpus_index, tmp_path):
    """A copy of the corpus index that a test may damage or remove."""
    target = tmp_path / "index"
    shutil.copytree(corpus_index, target)
    return target


def _ranking(searcher: Searcher, query: str, filters: Filters | None = None) -> list:
    results = searcher.search(query, k=10, filters=filters)
    return [(hit.chunk, round(hit.score, 9), [c.chunk_id for c in hit.copies]) for hit in results]


def test_the_table_reads_every_chunk_as_the_store_holds_it(version):
    stored = read_chunks(version)
    table = ChunkTable(version)
    assert len(table) == len(stored) > 500
    assert list(table) == stored
    assert table[0] == stored[0] and table[-1] == stored[-1]
    assert table[10:13] == stored[10:13]
    assert table.rows([7, 3, 7]) == [stored[7], stored[3], stored[7]]
    assert table.by_id(stored[42].chunk_id) == stored[42]
    assert table.by_id("finns-inte") is None
    with pytest.raises(IndexError):
        table[len(stored)]


def test_saved_columns_hold_every_rows_filter_fields(version):
    stored = read_chunks(version)
    columns = ChunkColumns.load(version)
    assert columns is not None and len(columns) == len(stored)

    def value(name, row):
        column = columns.fields[name]
        code = int(column.array[row])
        return column.values[code] if code >= 0 else None

    for row in (0, 100, len(stored) - 1):
        chunk = stored[row]
        for name in ("municipality", "committee", "doc_type", "section_kind"):
            assert value(name, row) == getattr(chunk, name)
        assert int(columns.years[row]) == (chunk.year or 0)
    kommuner = columns.fields["municipality"].present()
    assert set(kommuner) == {c.municipality for c in stored if c.municipality}
    assert any("å" in k or "ö" in k for k in kommuner)  # Härnösand, Piteå as written


def test_searching_from_disk_gives_what_searching_chunks_in_memory_gives(corpus_searcher):
    in_memory = dataclasses.replace(corpus_searcher, chunks=list(corpus_searcher.chunks))
    in_memory._columns()
    assert isinstance(corpus_searcher.chunks, ChunkTable)
    kommun = Filters(municipalities=("Ragunda kommun",))
    for query in QUERIES:
        assert _ranking(corpus_searcher, query) == _ranking(in_memory, query)
        assert _ranking(corpus_searcher, query, kommun) == _ranking(in_memory, query, kommun)


def test_an_index_written_before_the_columns_file_loads_and_searches_the_same(
    corpus_searcher, copied_index, default_embedder
):
    version = layout.live_version(copied_index)
    (version / COLUMNS_FILE).unlink()
    (version / COLUMN_VALUES_FILE).unlink()
    older = Searcher.load(copied_index, default_embedder)
    for query in QUERIES[:3]:
        assert _ranking(older, query) == _ranking(corpus_searcher, query)
    assert older.field_values() == corpus_searcher.field_values()


def test_a_damaged_columns_file_is_named_in_the_error(copied_index, default_embedder):
    version = layout.live_version(copied_index)
    (version / COLUMNS_FILE).write_bytes(b"not numpy")
    with pytest.raises(ChunkStoreError, match=COLUMNS_FILE):
        Searcher.load(copied_index, default_embedder)


def test_columns_of_another_length_than_the_store_are_refused(copied_index, default_embedder):
    version = layout.live_version(copied_index)
    matrix = np.load(version / COLUMNS_FILE)
    np.save(version / COLUMNS_FILE, matrix[:-3])
    with pytest.raises(ChunkStoreError, match="rader"):
        Searcher.load(copied_index, default_embedder)


def test_a_loaded_searcher_keeps_working_after_its_version_is_removed(
    copied_index, default_embedder
):
    # A build switches versions and the one after removes this one; the app's searcher
    # loaded before both must go on answering until it reloads.
    searcher = Searcher.load(copied_index, default_embedder)
    before = _ranking(searcher, QUERIES[0])
    shutil.rmtree(searcher.path)
    searcher.chunks._cache.clear()
    assert _ranking(searcher, QUERIES[0]) == before
    assert _ranking(searcher, QUERIES[1])


def test_concurrent_searches_read_the_store_safely(copied_index, default_embedder):
    searcher = Searcher.load(copied_index, default_embedder)
    expected = {q: _ranking(searcher, q) for q in QUERIES}
    searcher.chunks._cache.clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(lambda q: (q, _ranking(searcher, q)), QUERIES * 4))
    assert all(ranking == expected[q] for q, ranking in found)


def test_the_startup_benchmark_loads_a_written_index_in_a_new_process(corpus_searcher):
    entry = measure_startup(corpus_searcher, 3_000, list(QUERIES))
    assert entry["chunks"] == 3_000 and entry["dense_kind"] == "flat"
    assert 0 < entry["load_seconds"] < 60
    before, loaded = entry["memory_before_load_mb"], entry["memory_after_load_mb"]
    assert 0 < before["rss"] < loaded["rss"] <= entry["memory_after_searches_mb"]["peak"]
    assert before["anon"] + before["file"] == pytest.approx(before["rss"], abs=2)
    assert entry["searches"] == 1 + 3 * len(QUERIES)
    assert entry["hybrid"]["short_of_k"] == entry["hybrid_first_pass"]["short_of_k"] == 0
    assert 0 < entry["hybrid"]["p50_ms"] <= entry["hybrid"]["p95_ms"]
    assert 0 < entry["kommun_share"] < 0.05
    text = "\n".join(format_lines(entry))
    assert "3 000 chunkar" in text and "Searcher.load" in text


@pytest.mark.parametrize(
    "filters",
    [
        Filters(municipalities=("ragunda kommun",)),
        Filters(year_from=2022, committees=("Socialnämnden",)),
        Filters(doc_types=("protokoll", "granskningsrapport"), year_to=2022),
        Filters(section_kinds=("bedömning",), audit_firms=("KPMG",)),
        Filters(municipalities=("Piteå kommun", "Orsa kommun"), year_from=2023, year_to=2023),
    ],
)
def test_one_filter_language_the_columns_and_a_single_record_agree(corpus_searcher, filters):
    # The searcher filters with its integer columns; the app filters a record at a time with
    # Filters.accepts. They must pick the same rows.
    by_record = [row for row, chunk in enumerate(corpus_searcher.chunks) if filters.accepts(chunk)]
    by_columns = np.flatnonzero(corpus_searcher.allowed_rows(filters)).tolist()
    assert by_record == by_columns


def test_active_filters_read_in_words():
    filters = Filters(municipalities=("Piteå kommun",), year_to=2022, committees=("Socialnämnden",))
    assert filters.describe() == "kommun: Piteå kommun; år: …–2022; nämnd: Socialnämnden"
    assert Filters().describe() == ""
