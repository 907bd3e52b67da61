"""How near generated vectors lie to each other and to queries, and the noise calibrated on it.

The realistic generator's noise scale is fitted (``calibrate``) so that a generated sample as
large as the real corpus has the real median nearest-neighbour cosine distance; ``nn_distances``
and ``ks_statistic`` also serve the checks of the rest of that distribution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from revsok.bench.scale_basis import Basis, one_blas_thread


@dataclass(frozen=True)
class Calibration:
    """The noise scale chosen and how the generated NN distances then compare with the real."""

    noise: float
    real_median: float
    generated_median: float
    samples: int


def nn_distances(vectors: np.ndarray, others: np.ndarray | None = None) -> np.ndarray:
    """Cosine distance from each row to its nearest row of ``others`` (itself excluded when
    ``others`` is None). Rows are normalised; blocks keep the similarity matrix small."""
    with one_blas_thread():
        return _nn_distances(vectors, others)


def _nn_distances(vectors: np.ndarray, others: np.ndarray | None) -> np.ndarray:
    own = others is None
    others = vectors if own else others
    out = np.empty(len(vectors), dtype=np.float32)
    for start in range(0, len(vectors), 2048):
        block = vectors[start : start + 2048] @ others.T
        if own:
            rows = np.arange(len(block))
            block[rows, rows + start] = -np.inf
        out[start : start + len(block)] = 1.0 - block.max(axis=1)
    return out


def ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sample Kolmogorov–Smirnov statistic: the largest gap between the two ECDFs."""
    a, b = np.sort(a), np.sort(b)
    points = np.concatenate([a, b])
    gap = np.searchsorted(a, points, side="right") / len(a) - np.searchsorted(
        b, points, side="right"
    ) / len(b)
    return float(np.abs(gap).max())


def calibrate(basis: Basis, samples: int = 4, seed: int = 0) -> Calibration:
    """The noise at which a generated corpus as large as the real one has the real median NN
    distance (bisection: more noise, farther neighbours). Fitting only the median leaves the
    shape of the distribution as a fair test of the generator.

    The samples have their own seed, so every size and seed of ``generate`` gets the same noise;
    each trial reuses the same draws (common random numbers), so the median rises smoothly with
    the noise and the bisection converges.
    """
    with one_blas_thread():
        return _calibrate(basis, samples, seed)


def _calibrate(basis: Basis, samples: int, seed: int) -> Calibration:
    n = len(basis.vectors)
    real = float(np.median(nn_distances(basis.vectors)))
    plans = [basis.plan(n, np.random.default_rng([seed, 10, i])) for i in range(samples)]

    def median_at(noise: float) -> float:
        medians = [
            np.median(nn_distances(basis.vectors_for(p, noise, np.random.default_rng([seed, 11]))))
            for p in plans
        ]
        return float(np.mean(medians))

    low, high = 0.0, 2.0
    if median_at(low) >= real:
        return Calibration(0.0, real, median_at(low), samples)
    while median_at(high) < real and high < 64:
        high *= 2
    for _ in range(12):
        middle = (low + high) / 2
        if median_at(middle) < real:
            low = middle
        else:
            high = middle
    noise = round((low + high) / 2, 4)
    return Calibration(noise, real, median_at(noise), samples)
