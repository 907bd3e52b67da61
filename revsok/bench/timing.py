"""Timing for the benchmarks: per-query samples in milliseconds and their percentiles."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence


def samples_ms(run: Callable[[str], object], queries: Sequence[str]) -> list[float]:
    """How long ``run`` took for each query, in milliseconds."""
    samples = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2)}


def timed(run: Callable[[str], object], queries: Sequence[str]) -> dict[str, float]:
    run(queries[0])  # warm caches and lazy loads outside the measurement
    return percentiles(samples_ms(run, queries))
