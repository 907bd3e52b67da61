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
