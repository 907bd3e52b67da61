"""Dense retrieval with FAISS: inner product on L2-normalised vectors.

Exact (flat) search by default; above ``approximate_above`` vectors an HNSW graph answers instead.
Vector id = chunk row. Filters are applied before ranking: a small allowed set is scored exactly
with numpy, a large one is searched through FAISS with an id selector, so a filtered query still
returns k hits when k exist.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
from threadpoolctl import ThreadpoolController

from revsok.errors import IndexProblem

log = logging.getLogger(__name__)

VECTORS_FILE = "vectors.npy"
HNSW_FILE = "dense-hnsw.faiss"
# Below this many allowed rows an exact numpy scan beats a selector-restricted graph search.
EXACT_SUBSET_LIMIT = 50_000
# One query is one matrix-vector product: a single BLAS thread does it in a few ms. More threads
# gain nothing and keep spinning after the call, and the spinning stalled the next query's
# embedding by ~100 ms (p95 of hybrid search at 100k chunks: 87 ms with them, 27 ms without).
_BLAS = ThreadpoolController()
# FAISS's OpenMP team for one query only waits at barriers: on a loaded machine (an ingest beside
# the app) the exact search took 52 ms with 2 threads and 15 ms with 1. OpenMP keeps the thread
# count per calling thread, so a query sets it to 1 for its own thread and puts it back.
QUERY_THREADS = 1


class DenseIndexError(IndexProblem):
    """Saved vectors or a saved graph that cannot be read."""


@dataclass(frozen=True)
class DenseSettings:
    approximate_above: int = 50_000
    hnsw_m: int = 32
    hnsw_ef_construction: int = 80
    hnsw_ef_search: int = 256


class DenseIndex:
    def __init__(self, vectors: np.ndarray, index: faiss.Index, settings: DenseSettings):
        self.vectors = vectors
        self.index = index
        self.settings = settings

    @property
    def kind(self) -> str:
        return "hnsw" if isinstance(self.index, faiss.IndexHNSW) else "flat"

    @property
    def size(self) -> int:
        return self.vectors.shape[0]

    @classmethod
    def build(
        cls, vectors: np.ndarray, settings: DenseSettings | None = None, *, kind: str | None = None
    ) -> DenseIndex:
        settings = settings or DenseSettings()
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        kind = kind or ("hnsw" if len(vectors) > settings.approximate_above else "flat")
        dimension = vectors.shape[1]
        if kind == "hnsw":
            index = faiss.IndexHNSWFlat(dimension, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = settings.hnsw_ef_construction
            index.hnsw.efSearch = settings.hnsw_ef_search
        else:
            index = faiss.IndexFlatIP(dimension)
        if len(vectors):
            index.add(vectors)
        return cls(vectors, index, settings)

    def save(self, folder: Path) -> None:
        np.save(folder / VECTORS_FILE, self.vectors, allow_pickle=False)
        if self.kind == "hnsw":
            faiss.write_index(self.index, str(folder / HNSW_FILE))

    @classmethod
    def load(cls, folder: Path, settings: DenseSettings, kind: str) -> DenseIndex:
        try:
            vectors = np.load(folder / VECTORS_FILE, allow_pickle=False, mmap_mode="r")
        except (OSError, ValueError) as err:
            raise DenseIndexError(
                f"{folder / VECTORS_FILE} går inte att läsa ({err}): bygg om indexet med "
                "'revsok ingest --replace …'"
            ) from err
        if vectors.ndim != 2 or vectors.dtype.kind != "f":
            raise DenseIndexError(
                f"{folder / VECTORS_FILE} har formen {vectors.shape} ({vectors.dtype}), inte "
                "en matris av flyttal: bygg om indexet med 'revsok ingest --replace …'"
            )
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if kind == "hnsw":
            try:
                index = faiss.read_index(str(folder / HNSW_FILE))
            except RuntimeError as err:  # FAISS reports a missing or damaged file this way
                raise DenseIndexError(
                    f"{folder / HNSW_FILE} går inte att läsa: bygg om indexet med "
                    "'revsok ingest --replace …'"
                ) from err
            if not isinstance(index, faiss.IndexHNSW) or index.ntotal != len(vectors):
                raise DenseIndexError(
                    f"{folder / HNSW_FILE} hör inte ihop med {VECTORS_FILE}: bygg om indexet"
                )
            index.hnsw.efSearch = settings.hnsw_ef_search
            return cls(vectors, index, settings)
        index = faiss.IndexFlatIP(vectors.shape[1])
        if len(vectors):
            index.add(vectors)
        return cls(vectors, index, settings)

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(row, cosine) best first; ``allowed`` is a boolean mask over rows."""
        if self.size == 0 or k <= 0:
            return []
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        previous = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(QUERY_THREADS)
        try:
            return self._search(query, k, allowed)
        finally:
            faiss.omp_set_num_threads(previous)

    def _search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> list[tuple[int, float]]:
        if allowed is not None:
            rows = np.flatnonzero(allowed)
            if len(rows) == 0:
                return []
            if len(rows) <= EXACT_SUBSET_LIMIT:
                return self._exact_subset(query[0], rows, k)
            bitmap = np.packbits(allowed, bitorder="little")
            selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bitmap))
            if self.kind == "hnsw":
                params = faiss.SearchParametersHNSW(
                    sel=selector, efSearch=max(self.settings.hnsw_ef_search, k)
                )
            else:
                params = faiss.SearchParameters(sel=selector)
            scores, ids = self.index.search(query, min(k, len(rows)), params=params)
        else:
            if self.kind == "hnsw":
                self.index.hnsw.efSearch = max(self.settings.hnsw_ef_search, k)
            scores, ids = self.index.search(query, min(k, self.size))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def _exact_subset(self, query: np.ndarray, rows: np.ndarray, k: int) -> list[tuple[int, float]]:
        with _BLAS.limit(limits=1, user_api="blas"):
            scores = self.vectors[rows] @ query
        take = min(k, len(rows))
        top = np.argpartition(-scores, take - 1)[:take]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(rows[i]), float(scores[i])) for i in top]
