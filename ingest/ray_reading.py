"""Reading files on a Ray cluster: each file is parsed, OCR'd where needed and chunked by a Ray
task, and the results come back in file order, as ``ingest.parallel`` gives them locally.

Ray is an optional extra (``pip install -e '.[ray]'``), imported only here and in
``revsok.ray_embedding``, which only ``--ray`` loads. A task runs ``ingest.parsing.parse_source``,
the code a local ingest runs, on a copy of the file's bytes written under the file's own name: the
nodes of a cluster need not share a disk with this machine. Ray re-runs a task whose worker process
dies (``TASK_RETRIES``); a file that kills its worker every time becomes that file's problem.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import tempfile
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.models import IngestProblem
from ingest.parsing import Parsed, parse_source, unexpected_problem
from revsok.errors import RevsokError

_PROJECT = Path(__file__).resolve().parents[1]

log = logging.getLogger(__name__)

# Ray re-runs a task whose worker process died this many times before giving the file up.
TASK_RETRIES = 3
# Files handed out per cluster CPU ahead of the one waited for: the object store holds their
# bytes, so a folder of 30,000 reports is not loaded into it at once.
FILES_PER_CPU = 4
# The fault tests' crash switch: "ray-read:NAME" kills the worker reading NAME the first time
# (a marker file in REVSOK_CRASH_MARKERS records that it did), as a crash in a PDF library would.
CRASH_ENV = "REVSOK_CRASH_AT"
CRASH_PREFIX = "ray-read:"
CRASH_MARKERS_ENV = "REVSOK_CRASH_MARKERS"
LOCAL = ("", "local")


class RayUnavailable(RevsokError):
    """Ray is not installed, or no cluster answers at the address given."""

    exit_code = 2


def connect(address: str | None):
    """Ray, connected: to the cluster at ``address`` ("auto": the one ``ray start`` runs on this
    machine; "local" or None: an instance of this process's own, with every CPU here)."""
    try:
        import ray
    except ImportError as err:
        raise RayUnavailable(
            "--ray kräver Ray: installera det med pip install -e '.[ray]'"
        ) from err
    if ray.is_initialized():
        return ray
    kwargs: dict = {
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": logging.WARNING,
    }
    runtime_env: dict = {}
    # The crash switch of the fault tests reaches workers that a running cluster started.
    forwarded = {k: os.environ[k] for k in (CRASH_ENV, CRASH_MARKERS_ENV) if k in os.environ}
    if forwarded:
        runtime_env["env_vars"] = forwarded
    if (address or "") not in LOCAL:
        # Nodes without this checkout get the project's packages with the job (as folders: this
        # low module does not import the packages above it).
        kwargs["address"] = address
        runtime_env["py_modules"] = [str(_PROJECT / name) for name in ("ingest", "index", "revsok")]
    if runtime_env:
        kwargs["runtime_env"] = runtime_env
    try:
        ray.init(**kwargs)
    except (ConnectionError, RuntimeError, ValueError) as err:
        raise RayUnavailable(f"Ray-klustret på {address!r} svarar inte: {err}") from err
    return ray


def is_local(address: str | None) -> bool:
    return (address or "") in LOCAL


@dataclass(frozen=True)
class _ReadJob:
    name: str
    file_name: str
    data: bytes
    overrides: dict


_reader: dict = {}


def _worker_reader(options, counter_bytes: bytes | None, ocr_spec):
    """This worker process's splitter, token counter and OCR engine, made once per ingest and
    reused by every task the process runs."""
    key = pickle.dumps((options, counter_bytes, ocr_spec))
    if key not in _reader:
        from ingest.chunking import TokenCounter, make_splitter
        from ingest.ocr import OcrCache, OcrEngine

        counter = pickle.loads(counter_bytes) if counter_bytes is not None else TokenCounter()
        ocr = None
        if ocr_spec is not None:
            path, language, dpi = ocr_spec
            ocr = OcrEngine(OcrCache(path), language=language, dpi=dpi)
        _reader.clear()
        _reader[key] = (make_splitter(options.chunk_settings(), counter), counter, ocr)
    return _reader[key]


def _crash_if_asked(file_name: str) -> None:
    if os.environ.get(CRASH_ENV) != CRASH_PREFIX + file_name:
        return
    marker = Path(os.environ.get(CRASH_MARKERS_ENV, tempfile.gettempdir())) / f"{file_name}.crashed"
    if not marker.exists():
        marker.touch()
        os.kill(os.getpid(), signal.SIGKILL)


def _read_file(job: _ReadJob, options, counter_bytes, ocr_spec):
    _crash_if_asked(job.file_name)
    splitter, counter, ocr = _worker_reader(options, counter_bytes, ocr_spec)
    with tempfile.TemporaryDirectory(prefix="revsok-ray-") as folder:
        path = Path(folder) / job.file_name
        path.write_bytes(job.data)
        try:
            return parse_source(path, job.name, job.overrides, options, splitter, counter, ocr)
        except Exception as err:  # the file's own failure travels back as its problem
            return Parsed("read", unexpected_problem(job.name, err))


def read_on_ray(plans: Sequence, options, specs, address: str | None) -> Iterator:
    """The parsed ``plans`` in their order, each read by a Ray task (``specs``: the
    ``ingest.parallel.WorkerSpecs`` of this ingest's token counter and OCR engine)."""
    ray = connect(address)
    read = ray.remote(num_cpus=1, max_retries=TASK_RETRIES, retry_exceptions=False)(_read_file)
    ocr_spec = specs.ocr
    if ocr_spec is not None and not is_local(address):
        # The OCR cache file is on this machine; workers elsewhere keep their cache in memory.
        ocr_spec = (None, *ocr_spec[1:])
    options_ref = ray.put(options)
    window = max(2, FILES_PER_CPU * int(ray.cluster_resources().get("CPU", 1)))
    pending = deque(plans)
    in_flight: deque = deque()
    try:
        while pending or in_flight:
            while pending and len(in_flight) < window:
                plan = pending.popleft()
                try:
                    data = plan.path.read_bytes()
                except OSError as err:
                    # The words read_source uses for a file it cannot open.
                    in_flight.append((plan, f"kan inte läsas: {err.strerror or err}"))
                    continue
                job = _ReadJob(plan.name, plan.path.name, data, plan.overrides)
                future = read.remote(job, options_ref, specs.counter, ocr_spec)
                in_flight.append((plan, future))
            plan, future = in_flight.popleft()
            if isinstance(future, str):
                yield Parsed("read", IngestProblem(plan.name, future))
                continue
            try:
                yield ray.get(future)
            except ray.exceptions.RayError as err:
                log.info("%s: Ray-uppgiften misslyckades: %s", plan.name, err)
                yield Parsed(
                    "read",
                    IngestProblem(
                        plan.name,
                        "oväntat fel: processen som läste filen på Ray-klustret avslutades "
                        f"{TASK_RETRIES + 1} gånger ({type(err).__name__})",
                    ),
                )
    finally:
        for _, future in in_flight:
            if not isinstance(future, str):
                ray.cancel(future, force=True)
