"""Fusion of ranked lists from several retrievers: small pure functions.

Reciprocal rank fusion needs no score calibration; a weighted sum of min-max normalised scores lets
the stronger retriever count for more (Bruch, Gai & Ingber 2023). Which wins is measured on the eval
set, so both stay available.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Ranking = Sequence[tuple[int, float]]  # (row, score), best first

FUSIONS = ("rrf", "weighted")


@dataclass(frozen=True)
class FusionSettings:
    method: str = "weighted"
    rrf_k: int = 60
    dense_weight: float = 0.3  # weighted fusion: lexical gets 1 - dense_weight
    depth: int = 100  # how many candidates each retriever contributes

    def __post_init__(self) -> None:
        if self.method not in FUSIONS:
            raise ValueError(f"okänd fusion '{self.method}' (välj {', '.join(FUSIONS)})")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError("dense_weight måste ligga mellan 0 och 1")


def reciprocal_rank_fusion(
    rankings: Mapping[str, Ranking], k: int = 60, weights: Mapping[str, float] | None = None
) -> list[tuple[int, float]]:
    fused: dict[int, float] = {}
    for name, ranking in rankings.items():
        weight = 1.0 if weights is None else weights.get(name, 1.0)
        for rank, (row, _score) in enumerate(ranking, start=1):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def _min_max(ranking: Ranking) -> dict[int, float]:
    if not ranking:
        return {}
    scores = [score for _, score in ranking]
    low, high = min(scores), max(scores)
    if high == low:
        return {row: 1.0 for row, _ in ranking}
    return {row: (score - low) / (high - low) for row, score in ranking}


def weighted_fusion(
    rankings: Mapping[str, Ranking], weights: Mapping[str, float]
) -> list[tuple[int, float]]:
    """Convex combination of min-max normalised scores; a row a retriever missed scores 0 there."""
    fused: dict[int, float] = {}
    for name, ranking in rankings.items():
        weight = weights.get(name, 0.0)
        for row, normalised in _min_max(ranking).items():
            fused[row] = fused.get(row, 0.0) + weight * normalised
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def fuse(rankings: Mapping[str, Ranking], settings: FusionSettings) -> list[tuple[int, float]]:
    if settings.method == "rrf":
        return reciprocal_rank_fusion(rankings, settings.rrf_k)
    weights = {"dense": settings.dense_weight, "bm25": 1.0 - settings.dense_weight}
    return weighted_fusion(rankings, weights)
