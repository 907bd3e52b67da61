"""Embedding during an ingest, in this process: each file's chunks go into the embedding cache
while later files are read, so the build finds them cached. ``revsok.ray_embedding`` does the same
on a Ray cluster."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

from index.builder import BuildReport, passage_text
from index.embedder_contract import Embedder
from index.embedding_cache import EmbeddingCache, embed_passages, text_key
from ingest.models import Chunk


class LocalEmbedding:
    """Embeds each file's chunks into the cache while later files are read, so the build finds
    them cached; remembers which texts it embedded, so the build's report counts them as new."""

    def __init__(self, embedder: Embedder, cache: EmbeddingCache, embed_context: bool):
        self.embedder = embedder
        self.cache = cache
        self.embed_context = embed_context
        self.fresh: set[bytes] = set()
        self.seconds = 0.0

    def __call__(self, chunks: Sequence[Chunk]) -> None:
        started = time.perf_counter()
        texts = [passage_text(c, self.embed_context) for c in chunks]
        _, misses = self.cache.get_many(self.embedder.name, texts)
        missing = list(dict.fromkeys(texts[i] for i in misses))
        if missing:
            embed_passages(self.embedder, missing, self.cache)
            self.fresh.update(text_key(t) for t in missing)
        self.seconds += time.perf_counter() - started

    def finish(self) -> None:
        """Nothing is left in flight: each file's chunks were embedded when they arrived."""

    def cancel(self) -> None:
        """Nothing is in flight to stop."""

    def counted(self, build: BuildReport, chunks: Sequence[Chunk]) -> BuildReport:
        """``build`` as if it had embedded what was embedded here: the same numbers as a run
        that embeds everything in the build."""
        if not self.fresh:
            return build
        embedded = build.embedded + sum(
            text_key(passage_text(c, self.embed_context)) in self.fresh for c in chunks
        )
        return dataclasses.replace(
            build,
            embedded=embedded,
            cached=build.chunks - embedded,
            seconds_embed=build.seconds_embed + self.seconds,
        )
