"""Search latency under load: while an ingest embeds on the same machine, and with many users.

Both are how the app is used: a revisor searches while a colleague's upload (or a nightly
ingest) embeds, and the Streamlit server answers several sessions from threads of one process.
The ingest is real: ``revsok ingest`` of a generated report, in a process of its own, with an
empty data folder so every chunk is embedded. Prints through ``revsok bench``; never asserts.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from index.searcher import Searcher
from revsok.bench.text import write_report
from revsok.bench.timing import samples_ms

# Large enough that the ingest is still embedding when the measurement ends (~1,000 chunks).
LOAD_REPORT_MB = 1.5
# The ingest process first parses and loads its model; measure once it embeds.
LOAD_WARMUP_SECONDS = 8.0


def _percentiles(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]  # noqa: E731
    return {"p50_ms": round(pick(0.5), 2), "p95_ms": round(pick(0.95), 2), "n": len(ordered)}


def fresh_search(searcher: Searcher) -> Callable[[str], object]:
    """A search that embeds its query every time, as a new question does."""
    uncached = copy.copy(searcher)
    uncached.query_vector = lambda query: searcher.embedder.encode_queries([query])[0]
    return lambda query: uncached.search(query, k=10)


class BackgroundIngest:
    """``revsok ingest`` of a generated report in another process, embedding every chunk."""

    def __init__(self, megabytes: float = LOAD_REPORT_MB):
        self.megabytes = megabytes
        self._tmp = tempfile.TemporaryDirectory(prefix="revsok-bench-load-")
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> BackgroundIngest:
        folder = Path(self._tmp.name)
        report, _ = write_report(folder, self.megabytes)
        env = {**os.environ, "REVSOK_DATA_DIR": str(folder / "data")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "revsok.cli", "ingest", str(report), "--quiet"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(LOAD_WARMUP_SECONDS)
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._tmp.cleanup()


def measure_under_ingest(searcher: Searcher, queries: Sequence[str]) -> dict:
    """p50/p95 of one user's hybrid searches while an ingest embeds in another process."""
    run = fresh_search(searcher)
    run(queries[0])
    with BackgroundIngest() as load:
        samples = samples_ms(run, queries)
        still_running = load.running
    return {**_percentiles(samples), "ingest_running_throughout": still_running}


def measure_concurrent_users(searcher: Searcher, queries: Sequence[str], users: int = 8) -> dict:
    """p50/p95 of each search when ``users`` threads search at once (one Streamlit server)."""
    run = fresh_search(searcher)
    run(queries[0])
    samples: list[float] = []
    lock = threading.Lock()

    def user(offset: int) -> None:
        mine = [queries[(offset + i) % len(queries)] for i in range(len(queries))]
        taken = samples_ms(run, mine)
        with lock:
            samples.extend(taken)

    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        list(pool.map(user, range(users)))
    seconds = time.perf_counter() - started
    return {
        **_percentiles(samples),
        "users": users,
        "searches_per_second": round(len(samples) / seconds, 1),
    }
