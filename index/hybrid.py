"""Fusion of ranked lists from several retrievers: small pure functions.

Reciprocal rank fusion needs no score calibration; a weighted sum of normalised scores lets the
stronger retriever count for more (Bruch, Gai & Ingber 2023). Scores are normalised per query by
min-max, z-score or rank; optionally each retriever's weight is scaled by how sure it is of this
query (how far its best score stands above the rest). Which combination wins is chosen on the dev
split with cross-validation (``eval/tuning.py``), so all stay available.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Ranking = Sequence[tuple[int, float]]  # (row, score), best first

FUSIONS = ("rrf", "weighted")
NORMALISATIONS = ("minmax", "zscore", "rank")


@dataclass(frozen=True)
class FusionSettings:
    # Defaults chosen on the dev split with cross-validation (eval/tuning.json).
    method: str = "weighted"
    rrf_k: int = 60
    dense_weight: float = 0.4  # weighted fusion: lexical gets 1 - dense_weight
    depth: int = 100  # how many candidates each retriever contributes
    normalisation: str = "zscore"  # weighted fusion: how each retriever's scores are scaled
    confidence_weighting: bool = True  # scale weights by each retriever's confidence per query

    def __post_init__(self) -> None:
        if self.method not in FUSIONS:
            raise ValueError(f"okänd fusion '{self.method}' (välj {', '.join(FUSIONS)})")
        if self.normalisation not in NORMALISATIONS:
            raise ValueError(
                f"okänd normalisering '{self.normalisation}' (välj {', '.join(NORMALISATIONS)})"
            )
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError("dense_weight måste ligga mellan 0 och 1")
        if self.rrf_k < 0 or self.depth <= 0:
            raise ValueError("rrf_k får inte vara negativ och depth måste vara positiv")


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


def _z_score(ranking: Ranking) -> dict[int, float]:
    """Scores in standard deviations above the list's mean, shifted so the list's floor is 0.

    A row a retriever missed counts 0, so the floor of what it did return must be 0 too.
    """
    if not ranking:
        return {}
    scores = [score for _, score in ranking]
    mean = sum(scores) / len(scores)
    spread = (sum((s - mean) ** 2 for s in scores) / len(scores)) ** 0.5
    if spread == 0:
        return {row: 1.0 for row, _ in ranking}
    low = (min(scores) - mean) / spread
    return {row: (score - mean) / spread - low for row, score in ranking}


def _by_rank(ranking: Ranking) -> dict[int, float]:
    """1 for the first, falling linearly to 1/n for the last: only the order counts."""
    n = len(ranking)
    return {row: (n - i) / n for i, (row, _) in enumerate(ranking)}


_NORMALISE = {"minmax": _min_max, "zscore": _z_score, "rank": _by_rank}


def confidence(ranking: Ranking, top: int = 10) -> float:
    """How far the best score stands above the next ``top`` ones, in their spread (≥ 0).

    A retriever that found one clearly matching passage has a high value; one that returns a flat
    list of near-equal scores (it is guessing) has a value near 0.
    """
    scores = [score for _, score in ranking[: top + 1]]
    if len(scores) < 3:
        return 1.0
    rest = scores[1:]
    mean = sum(rest) / len(rest)
    spread = (sum((s - mean) ** 2 for s in rest) / len(rest)) ** 0.5
    return max(0.0, (scores[0] - mean) / spread) if spread else 1.0


def weighted_fusion(
    rankings: Mapping[str, Ranking],
    weights: Mapping[str, float],
    normalisation: str = "minmax",
) -> list[tuple[int, float]]:
    """Convex combination of normalised scores; a row a retriever missed scores 0 there."""
    normalise = _NORMALISE[normalisation]
    fused: dict[int, float] = {}
    for name, ranking in rankings.items():
        weight = weights.get(name, 0.0)
        for row, normalised in normalise(ranking).items():
            fused[row] = fused.get(row, 0.0) + weight * normalised
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def retriever_weights(
    rankings: Mapping[str, Ranking], settings: FusionSettings
) -> dict[str, float]:
    """The weight of each retriever for this query: the setting, scaled by confidence if asked."""
    weights = {"dense": settings.dense_weight, "bm25": 1.0 - settings.dense_weight}
    if not settings.confidence_weighting:
        return weights
    return scaled_by_confidence(weights, rankings)


def scaled_by_confidence(
    weights: Mapping[str, float], rankings: Mapping[str, Ranking]
) -> dict[str, float]:
    """Each weight times its retriever's confidence for this query, summing to 1 again (the
    weights as given when no retriever is confident)."""
    scaled = {name: w * confidence(rankings.get(name, ())) for name, w in weights.items()}
    total = sum(scaled.values())
    return {name: w / total for name, w in scaled.items()} if total > 0 else dict(weights)


def fuse(rankings: Mapping[str, Ranking], settings: FusionSettings) -> list[tuple[int, float]]:
    if settings.method == "rrf":
        weights = retriever_weights(rankings, settings) if settings.confidence_weighting else None
        return reciprocal_rank_fusion(rankings, settings.rrf_k, weights)
    return weighted_fusion(rankings, retriever_weights(rankings, settings), settings.normalisation)
