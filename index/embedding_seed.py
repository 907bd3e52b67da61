"""Shipped embeddings: a folder of documents may carry the vectors of its passages.

Embedding the sample corpus takes minutes on two cores, and a first ``revsok app`` would spend
them before showing anything. The corpus therefore ships ``embeddings.<embedder>.npz``: the text
keys (SHA-256 of exactly what the embedder sees) and vectors of its passages and
recommendations, made by ``scripts/build_corpus_embeddings.py``. An ingest of the folder imports
them into the embedding cache first, so only passages the file does not know are embedded: after
a change of chunking or titles, those are embedded as usual, with a progress bar. A seed for
another embedder is ignored. ``.npz`` holds plain arrays, read with ``allow_pickle=False``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.embedding_cache import EmbeddingCache, text_key

log = logging.getLogger(__name__)

_KEY_BYTES = 32


def seed_path(folder: Path, embedder_name: str) -> Path:
    """Where a folder's seed for ``embedder_name`` lives: ``embeddings.<name>.npz``."""
    slug = re.sub(r"[^\w.-]+", "_", embedder_name)
    return Path(folder) / f"embeddings.{slug}.npz"


def write_seed(path: Path, embedder_name: str, texts: Sequence[str], vectors: np.ndarray) -> None:
    unique = dict(zip((text_key(t) for t in texts), np.asarray(vectors), strict=True))
    keys = np.frombuffer(b"".join(unique), dtype=np.uint8).reshape(len(unique), _KEY_BYTES)
    np.savez_compressed(
        path,
        embedder=np.array(embedder_name),
        keys=keys,
        vectors=np.stack(list(unique.values())).astype(np.float32),
    )


def read_seed(path: Path) -> tuple[str, list[bytes], np.ndarray]:
    with np.load(path, allow_pickle=False) as seed:
        keys = seed["keys"]
        vectors = seed["vectors"]
        name = str(seed["embedder"])
    if keys.ndim != 2 or keys.shape[1] != _KEY_BYTES or vectors.ndim != 2:
        raise ValueError(f"keys {keys.shape}, vectors {vectors.shape}")
    if len(keys) != len(vectors):
        raise ValueError(f"{len(keys)} keys but {len(vectors)} vectors")
    return name, [row.tobytes() for row in keys], vectors


def import_seeds(paths: Sequence[Path], cache: EmbeddingCache, embedder_name: str) -> int:
    """Import the seeds for ``embedder_name`` found in ``paths`` (folders) into ``cache``.

    A damaged seed is skipped with a warning: it only ever saves time, so it never stops an
    ingest. Vectors the cache already holds are kept. Returns how many vectors were offered.
    """
    offered = 0
    for folder in paths:
        path = seed_path(folder, embedder_name)
        if not path.is_file():
            continue
        try:
            name, keys, vectors = read_seed(path)
        except (OSError, ValueError, KeyError) as err:
            log.warning("%s kan inte läsas och används inte (%s)", path, err)
            continue
        if name != embedder_name:
            continue
        cache.put_keyed(embedder_name, keys, vectors, replace=False)
        offered += len(keys)
        log.info("%s: %d färdiga inbäddningar för %s", path, len(keys), embedder_name)
    return offered
