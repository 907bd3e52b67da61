"""Ingest: source files → cleaned pages → items → sections → chunks with metadata.

One bad file never stops a run: it becomes an ``IngestProblem`` naming the file and the reason, and
the run goes on. Every file's content hash is recorded so a document ingested twice (two copies, two
paths) is indexed once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

from tqdm import tqdm

from ingest.chunking import TokenCounter, make_splitter
from ingest.collecting import collect_files, display_path
from ingest.merging import IngestResult, Merged
from ingest.models import Chunk, DocumentRecord, IngestProblem
from ingest.ocr import OcrEngine
from ingest.options import IngestOptions
from ingest.overrides import OverrideError, load_overrides
from ingest.parallel import WorkersUnavailable, read_in_workers, worker_specs
from ingest.parsing import Parsed, parse_source, unexpected_problem
from ingest.privacy import mask_personal_numbers_in_name
from ingest.ray_reading import read_on_ray
from ingest.readers import (
    CONVERTIBLE_SUFFIXES,
    SUPPORTED_SUFFIXES,
    UnreadableSource,
    content_hash,
)

log = logging.getLogger(__name__)

Reuse = Callable[[str], tuple[list[DocumentRecord], list[Chunk]] | None]


def ingest_paths(
    paths: Sequence[Path],
    options: IngestOptions | None = None,
    *,
    counter: TokenCounter | None = None,
    show_progress: bool = False,
    reuse: Reuse | None = None,
    ocr: OcrEngine | None = None,
    workers: int = 0,
    on_chunks: Callable[[list[Chunk]], object] | None = None,
    ray_address: str | None = None,
) -> IngestResult:
    """Ingest every supported file under ``paths``.

    ``ocr`` reads PDF pages without a text layer, with its cache (default: a cache in memory).

    ``reuse`` maps a file's content hash to the documents and chunks an earlier run made of it,
    when that run used the same settings: such a file is not parsed again.

    ``workers`` > 0 reads, OCRs and chunks files in that many worker processes while this process
    takes their results in file order, so the result is the same as with ``workers=0`` (all in
    this process). ``on_chunks`` is then called with each file's new chunks as soon as they are
    merged, while later files are still being read: the caller embeds them meanwhile. It is not
    called when files are read here (one file, or ``workers=0``): there is nothing to overlap.

    ``ray_address`` (not None) reads the files as tasks on a Ray cluster instead (see
    ``ingest.ray_reading``; "local" starts one in this process), with ``on_chunks`` as above.
    """
    options = options or IngestOptions()
    counter = counter or TokenCounter()
    files, problems = collect_files(paths)
    merged = Merged(problems)
    plans = [_plan(path, options, reuse) for path in files]
    splitter = make_splitter(options.chunk_settings(), counter)
    read_here = partial(
        parse_source, options=options, splitter=splitter, counter=counter, ocr=ocr, seen=merged.seen
    )
    with contextlib.ExitStack() as stack:
        to_read = [plan for plan in plans if plan.read]
        results = _read_elsewhere(stack, to_read, options, counter, ocr, workers, ray_address)
        for plan in tqdm(plans, desc="Ingest", unit="fil", disable=not show_progress):
            results = _take_file(plan, merged, results, read_here, on_chunks)
    return merged.result(len(files), {**asdict(options), "tokenizer": counter.name})


def _take_file(
    plan: _Plan,
    merged: Merged,
    results: Iterator[Parsed] | None,
    read_here: Callable[[Path, str, dict[str, object]], Parsed],
    on_chunks: Callable[[list[Chunk]], object] | None,
) -> Iterator[Parsed] | None:
    """Merge one file in file order: its problem found before reading, its reused chunks, its
    result read elsewhere, or else what reading it here gives. Returns the results to go on with."""
    if plan.problem is not None:
        merged.problems.append(plan.problem)
        return results
    if plan.known is not None:
        merged.add_known(plan.name, *plan.known)
        return results
    if results is not None:
        parsed, results = _next_result(results)
        if parsed is not None:
            new_chunks = merged.add_parsed(plan.name, parsed)
            if on_chunks is not None and new_chunks:
                on_chunks(new_chunks)
            return results
    merged.add_parsed(plan.name, read_here(plan.path, plan.name, plan.overrides))
    return results


def _read_elsewhere(stack, to_read, options, counter, ocr, workers, ray_address):
    """The parsed files of ``to_read``, in file order, read in worker processes or on a Ray
    cluster; None when they are read here (no workers, one file, or what the readers need cannot
    be sent to them)."""
    on_ray = ray_address is not None and bool(to_read)
    if not on_ray and (workers < 1 or len(to_read) < 2):
        return None
    specs = worker_specs(counter, ocr)
    if specs is None:
        if on_ray:
            log.warning("tokenräknaren eller OCR kan inte skickas till Ray; filerna läses här")
        return None
    if on_ray:
        reading = read_on_ray(to_read, options, specs, ray_address)
    else:
        reading = read_in_workers(to_read, options, specs, workers)
    return stack.enter_context(contextlib.closing(reading))


def _next_result(results):
    """The next file read elsewhere, and the results to go on with (None once the workers could
    not start: the rest is read here)."""
    try:
        return next(results), results
    except WorkersUnavailable as err:
        log.warning("arbetsprocesserna kunde inte starta; filerna läses här (%s)", err)
        return None, None


@dataclass(frozen=True)
class _Plan:
    """One file before it is read: its display name, overrides and reused chunks, or why it
    fails before reading."""

    path: Path
    name: str
    overrides: dict[str, object]
    known: tuple[str, list[DocumentRecord], list[Chunk]] | None = None
    problem: IngestProblem | None = None

    @property
    def read(self) -> bool:
        return self.problem is None and self.known is None


def _plan(path: Path, options: IngestOptions, reuse: Reuse | None) -> _Plan:
    name = display_path(path)
    if options.mask_personal_numbers:
        # A delegation list saved as "beslut 19811218-9876.pdf" names the person in its path.
        name = mask_personal_numbers_in_name(name)
    try:
        overrides = load_overrides(path)
        known = _reusable(path, overrides, reuse)
    except (UnreadableSource, OverrideError) as err:
        # The caller prints each problem once (a FEL line, an app message); no warning too.
        log.info("%s: %s", name, err.reason)
        return _Plan(path, name, {}, problem=IngestProblem(name, err.reason))
    except Exception as err:
        return _Plan(path, name, {}, problem=unexpected_problem(name, err))
    return _Plan(path, name, overrides, known=known)


def _reusable(
    path: Path, overrides: dict[str, object], reuse: Reuse | None
) -> tuple[str, list[DocumentRecord], list[Chunk]] | None:
    # Overrides may have changed since the earlier run; only files without them are reused.
    suffixes = SUPPORTED_SUFFIXES | CONVERTIBLE_SUFFIXES
    if reuse is None or overrides or path.suffix.lower() not in suffixes:
        return None
    try:
        file_hash = content_hash(path.read_bytes())
    except OSError:
        return None  # read_source will report it
    known = reuse(file_hash)
    return (file_hash, *known) if known else None


def supported_suffixes() -> str:
    return ", ".join(sorted(SUPPORTED_SUFFIXES))
