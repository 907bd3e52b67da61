"""Dense retrieval with FAISS: inner product on L2-normalised vectors.

The kind of index follows the corpus size (``DenseSettings.kind_for``): exact (flat) search up to
``approximate_above`` vectors, an HNSW graph up to ``ivf_above``, an inverted file (IVF: k-means
lists, ``nprobe`` of them scanned per query) above. ``vectors.npy`` stays the source of truth: a
flat index is rebuilt from it on load, a graph or inverted file is saved beside it and checked
against it, and an IVF whose codes are compressed (SQ8, PQ) has its candidates rescored exactly
from it.

Vector id = chunk row. Filters are applied before ranking: a small allowed set is scored exactly
with numpy, a large one is searched through FAISS with an id selector, so a filtered query still
returns k hits when k exist.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import faiss
import numpy as np
from threadpoolctl import ThreadpoolController

from index.dense_settings import DenseSettings
from revsok.errors import IndexProblem

log = logging.getLogger(__name__)

VECTORS_FILE = "vectors.npy"
HNSW_FILE = "dense-hnsw.faiss"
IVF_FILE = "dense-ivf.faiss"
KINDS = ("flat", "hnsw", "ivf")
# k-means on a sample of this many vectors per list: FAISS asks for at least 39; its own default
# (256) means all of a million vectors for 4096 lists and several minutes of training on 2 cores,
# for centroids no better for search (measured in revsok/bench/scale.py).
IVF_TRAIN_PER_LIST = 64
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


class DenseIndex:
    def __init__(self, vectors: np.ndarray, index: faiss.Index, settings: DenseSettings):
        self.vectors = vectors
        self.index = index
        self.settings = settings

    @property
    def kind(self) -> str:
        if isinstance(self.index, faiss.IndexHNSW):
            return "hnsw"
        return "ivf" if isinstance(self.index, faiss.IndexIVF) else "flat"

    @property
    def rescored(self) -> bool:
        """Whether the index's scores are approximate (compressed codes) and are recomputed."""
        return self.kind == "ivf" and not isinstance(self.index, faiss.IndexIVFFlat)

    @property
    def size(self) -> int:
        return self.vectors.shape[0]

    @classmethod
    def build(
        cls, vectors: np.ndarray, settings: DenseSettings | None = None, *, kind: str | None = None
    ) -> DenseIndex:
        settings = settings or DenseSettings()
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        kind = kind or settings.kind_for(len(vectors))
        if kind not in KINDS:
            raise ValueError(f"unknown dense index kind {kind!r}; choose one of {KINDS}")
        if kind == "ivf" and not len(vectors):
            kind = "flat"  # nothing to train lists on
        dimension = vectors.shape[1]
        if kind == "ivf":
            index = _trained_ivf(vectors, settings)
        elif kind == "hnsw":
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
        if self.kind in _SAVED:
            faiss.write_index(self.index, str(folder / _SAVED[self.kind][0]))

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
        if kind in _SAVED:
            name, expected = _SAVED[kind]
            try:
                index = faiss.read_index(str(folder / name), _READ_FLAGS[kind])
            except RuntimeError as err:  # FAISS reports a missing or damaged file this way
                raise DenseIndexError(
                    f"{folder / name} går inte att läsa: bygg om indexet med "
                    "'revsok ingest --replace …'"
                ) from err
            if (
                not isinstance(index, expected)
                or index.ntotal != len(vectors)
                or index.d != vectors.shape[1]
            ):
                raise DenseIndexError(
                    f"{folder / name} hör inte ihop med {VECTORS_FILE}: bygg om indexet"
                )
            if kind == "hnsw":
                index.hnsw.efSearch = settings.hnsw_ef_search
            else:
                index.nprobe = min(settings.ivf_nprobe, index.nlist)
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
            wanted = min(k, len(rows))
            hits = self._index_search(query, wanted, selector, len(rows) / self.size)
            if len(hits) < wanted:
                # A selector can starve a search (a graph whose allowed nodes lie behind others,
                # lists without allowed rows): the allowed set is then scanned, so k hits come back.
                return self._exact_subset(query[0], rows, k)
            return hits
        return self._index_search(query, min(k, self.size))

    def _index_search(
        self, query: np.ndarray, k: int, selector=None, fraction: float = 1.0
    ) -> list[tuple[int, float]]:
        fetch = k
        if self.kind == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(self.settings.hnsw_ef_search, k))
        elif self.kind == "ivf":
            if self.rescored:
                fetch = min(self.size, k * self.settings.ivf_rescore)
            # Scanning a list skips the rows outside the selector before computing anything, so
            # probing 1/fraction times as many lists costs about what an unfiltered search does
            # and finds as many allowed rows.
            nprobe = math.ceil(self.index.nprobe / max(fraction, 1e-9))
            params = faiss.SearchParametersIVF(nprobe=min(self.index.nlist, nprobe))
        else:
            params = faiss.SearchParameters()
        if selector is not None:
            params.sel = selector
        scores, ids = self.index.search(query, fetch, params=params)
        found = ids[0][ids[0] >= 0]
        if self.rescored:
            exact = self._exact_rows(query[0], found)
            order = np.argsort(-exact, kind="stable")[:k]
            return [(int(found[i]), float(exact[i])) for i in order]
        return [(int(i), float(s)) for i, s in zip(found, scores[0][: len(found)], strict=True)]

    def _exact_rows(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        with _BLAS.limit(limits=1, user_api="blas"):
            return self.vectors[rows] @ query

    def _exact_subset(self, query: np.ndarray, rows: np.ndarray, k: int) -> list[tuple[int, float]]:
        scores = self._exact_rows(query, rows)
        take = min(k, len(rows))
        top = np.argpartition(-scores, take - 1)[:take]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(rows[i]), float(scores[i])) for i in top]


# An inverted file's codes are mapped from the file, not read: at a million vectors that is 0.4 GB
# of memory and a second less at load, for the same search (FAISS reads the pages it probes).
_READ_FLAGS = {"hnsw": 0, "ivf": getattr(faiss, "IO_FLAG_MMAP_IFC", 0)}
# The kinds saved beside vectors.npy: their file and the FAISS class a read must give.
_SAVED = {"hnsw": (HNSW_FILE, faiss.IndexHNSW), "ivf": (IVF_FILE, faiss.IndexIVF)}


def _trained_ivf(vectors: np.ndarray, settings: DenseSettings) -> faiss.IndexIVF:
    """An empty inverted file whose lists (and codes) are trained on a sample of ``vectors``."""
    dimension = vectors.shape[1]
    nlist = settings.nlist_for(len(vectors))
    quantizer = faiss.IndexFlatIP(dimension)
    metric = faiss.METRIC_INNER_PRODUCT
    if settings.ivf_encoding == "sq8":
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, dimension, nlist, faiss.ScalarQuantizer.QT_8bit, metric
        )
    elif settings.ivf_encoding == "pq":
        if dimension % settings.ivf_pq_m:
            raise ValueError(f"ivf_pq_m {settings.ivf_pq_m} delar inte dimensionen {dimension}")
        index = faiss.IndexIVFPQ(quantizer, dimension, nlist, settings.ivf_pq_m, 8, metric)
    else:
        index = faiss.IndexIVFFlat(quantizer, dimension, nlist, metric)
    sample = min(len(vectors), max(nlist * IVF_TRAIN_PER_LIST, 256 * 64))
    rows = np.random.default_rng(0).choice(len(vectors), sample, replace=False)
    index.train(vectors[np.sort(rows)])
    index.nprobe = min(settings.ivf_nprobe, nlist)
    return index
