"""Candidate rows for each retriever: the best among the rows the filters allow, widened by the
best of the kommun and years the query names."""

from __future__ import annotations

import numpy as np

from index.chunk_table import ChunkColumns
from index.dense import EXACT_SUBSET_LIMIT, DenseIndex
from index.lexical import LexicalIndex
from index.query_understanding import Interpretation
from index.ranking import within_years

# How much deeper the whole index is searched to find a large kommun's own best passages.
SOFT_POOL_WIDENING = 4


def soft_rows(
    interpretation: Interpretation, allowed: np.ndarray | None, columns: ChunkColumns
) -> np.ndarray | None:
    """Rows of the kommun and years the query names, to widen the candidate pool with.

    Without this, a query naming Ragunda could only reorder the best passages of the whole
    index; Ragunda's own best passages must be candidates too. None when nothing applies.
    """
    kommuner = interpretation.values("kommun")
    has_years = bool(interpretation.of_kind("år"))
    if not kommuner and not has_years:
        return None
    mask = np.ones(len(columns), dtype=bool) if allowed is None else allowed.copy()
    if kommuner:
        mask &= columns.fields["municipality"].mask(kommuner)
    if has_years:
        mask &= within_years(columns.years, interpretation)
    return mask if mask.any() else None


def lexical_ranking(
    lexical: LexicalIndex, query: str, depth: int, allowed, soft
) -> list[tuple[int, float]]:
    """BM25's best rows among those allowed, widened by the best of the kommun or years the
    query names (``soft``)."""
    found = lexical.search(query, depth, allowed)
    return found if soft is None else _union(found, lexical.search(query, depth, soft))


def dense_ranking(
    dense: DenseIndex, vector: np.ndarray, depth: int, allowed, soft
) -> list[tuple[int, float]]:
    found = dense.search(vector, depth, allowed)
    return found if soft is None else _union(found, _dense_within(dense, vector, depth, soft))


def _dense_within(dense: DenseIndex, vector: np.ndarray, depth: int, rows: np.ndarray) -> list:
    """The best ``depth`` dense hits among ``rows``.

    A small set is scanned exactly. A large one (one kommun is most of the index) is served
    by a deeper search of the whole index, kept to the set: a graph search restricted by a
    selector to most of a large index is many times slower and adds little.
    """
    if np.count_nonzero(rows) <= EXACT_SUBSET_LIMIT:
        return dense.search(vector, depth, rows)
    deeper = dense.search(vector, depth * SOFT_POOL_WIDENING)
    return [(row, score) for row, score in deeper if rows[row]][:depth]


def _union(
    first: list[tuple[int, float]], second: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """Two rankings of one retriever (same scores, other masks) as one, best first."""
    scores = dict(first)
    for row, score in second:
        scores.setdefault(row, score)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
