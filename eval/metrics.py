"""Retrieval metrics over graded judgments, and a paired randomization test.

Small enough to read and tested against hand-worked values. Conventions follow trec_eval: a chunk
with grade ≥ 1 is relevant; nDCG uses the grade as gain with a log2 rank discount; a query with no
relevant chunk is left out of the averages (it cannot be judged).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

Judgments = Mapping[str, int]  # chunk_id -> grade


def recall_at(ranking: Sequence[str], judged: Judgments, k: int) -> float:
    relevant = {cid for cid, grade in judged.items() if grade >= 1}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def reciprocal_rank_at(ranking: Sequence[str], judged: Judgments, k: int) -> float:
    for rank, cid in enumerate(ranking[:k], start=1):
        if judged.get(cid, 0) >= 1:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranking: Sequence[str], judged: Judgments, k: int) -> float:
    dcg = sum(
        judged.get(cid, 0) / math.log2(rank + 1) for rank, cid in enumerate(ranking[:k], start=1)
    )
    ideal_gains = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal_gains, start=1))
    return dcg / idcg if idcg else 0.0


def hit_at(ranking: Sequence[str], judged: Judgments, k: int) -> float:
    """1 when any relevant chunk is in the top ``k`` (success@k), else 0."""
    return float(any(judged.get(cid, 0) >= 1 for cid in ranking[:k]))


METRICS = {
    "hit@10": lambda r, j: hit_at(r, j, 10),
    "recall@5": lambda r, j: recall_at(r, j, 5),
    "recall@10": lambda r, j: recall_at(r, j, 10),
    "mrr@10": lambda r, j: reciprocal_rank_at(r, j, 10),
    "ndcg@10": lambda r, j: ndcg_at(r, j, 10),
}


def per_query(ranking: Sequence[str], judged: Judgments) -> dict[str, float]:
    return {name: metric(ranking, judged) for name, metric in METRICS.items()}


def mean_scores(rows: Sequence[Mapping[str, float]]) -> dict[str, float]:
    if not rows:
        return {name: 0.0 for name in METRICS}
    return {name: float(np.mean([row[name] for row in rows])) for name in METRICS}


def paired_randomization_test(
    a: Sequence[float], b: Sequence[float], trials: int = 10_000, seed: int = 0
) -> float:
    """Two-sided p-value that the mean of ``a - b`` is zero (Fisher's randomization test).

    Each trial flips the sign of every per-query difference with probability 1/2; the p-value is the
    share of trials whose mean difference is at least as extreme as the observed one.
    """
    diffs = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if len(diffs) == 0 or not np.any(diffs):
        return 1.0
    observed = abs(diffs.mean())
    rng = np.random.default_rng(seed)
    signs = rng.choice((-1.0, 1.0), size=(trials, len(diffs)))
    extreme = np.count_nonzero(np.abs((signs * diffs).mean(axis=1)) >= observed - 1e-12)
    return (extreme + 1) / (trials + 1)


def bootstrap_interval(
    values: Sequence[float], trials: int = 10_000, level: float = 0.95, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap interval for the mean of per-query ``values`` (queries resampled)."""
    data = np.asarray(values, dtype=float)
    if len(data) == 0:
        return 0.0, 0.0
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, len(data), size=(trials, len(data)))].mean(axis=1)
    tail = (1.0 - level) / 2
    return float(np.quantile(means, tail)), float(np.quantile(means, 1.0 - tail))
