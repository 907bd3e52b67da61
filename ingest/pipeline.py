"""Ingest: source files → cleaned pages → items → sections → chunks with metadata.

One bad file never stops a run: it becomes an ``IngestProblem`` naming the file and the reason, and
the run goes on. Every file's content hash is recorded so a document ingested twice (two copies, two
paths) is indexed once.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path

from tqdm import tqdm

from ingest.chunking import TokenCounter, make_splitter
from ingest.cleaning import clean_pages
from ingest.collecting import collect_files, display_path
from ingest.documents import chunk_document, document_record
from ingest.items import split_items
from ingest.merging import IngestResult, Merged
from ingest.metadata import detect_metadata
from ingest.models import Chunk, CleanedText, DocumentRecord, IngestProblem
from ingest.ocr import OcrEngine
from ingest.options import IngestOptions
from ingest.overrides import OverrideError, load_overrides
from ingest.privacy import mask_personal_numbers, mask_personal_numbers_in_name
from ingest.readers import (
    CONVERTIBLE_SUFFIXES,
    SUPPORTED_SUFFIXES,
    SourceFile,
    UnreadableSource,
    content_hash,
    read_source,
)

log = logging.getLogger(__name__)

Reuse = Callable[[str], tuple[list[DocumentRecord], list[Chunk]] | None]


def _unexpected(name: str, err: Exception) -> IngestProblem:
    """A fault in revsok's own reading of one file: that file fails with the cause named (and the
    traceback logged), and the ingest goes on with the others."""
    log.debug("oväntat fel i %s", name, exc_info=True)
    return IngestProblem(name, f"oväntat fel när filen lästes ({type(err).__name__}: {err})")


def _text_fingerprint(text: str) -> str:
    # Layout differences (line breaks, spacing) between two copies of one document do not count.
    # str.split() drops the same whitespace as r"\s+" and is much faster; a slice at a time, so
    # that a large file is never held as a list of all its words.
    step = 1 << 20
    compact = "".join("".join(text[i : i + step].split()) for i in range(0, len(text), step))
    return hashlib.sha256(compact.lower().encode("utf-8")).hexdigest()


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
        _parse, options=options, splitter=splitter, counter=counter, ocr=ocr, seen=merged.seen
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
    results: Iterator[_Parsed] | None,
    read_here: Callable[[Path, str, dict[str, object]], _Parsed],
    on_chunks: Callable[[list[Chunk]], object] | None,
) -> Iterator[_Parsed] | None:
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
    # Imported here: ingest.parallel imports this module for what its workers run.
    from ingest.parallel import read_in_workers, worker_specs

    specs = worker_specs(counter, ocr)
    if specs is None:
        if on_ray:
            log.warning("tokenräknaren eller OCR kan inte skickas till Ray; filerna läses här")
        return None
    if on_ray:
        from ingest.ray_reading import read_on_ray

        reading = read_on_ray(to_read, options, specs, ray_address)
    else:
        reading = read_in_workers(to_read, options, specs, workers)
    return stack.enter_context(contextlib.closing(reading))


def _next_result(results):
    """The next file read elsewhere, and the results to go on with (None once the workers could
    not start: the rest is read here)."""
    from ingest.parallel import WorkersUnavailable

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
        return _Plan(path, name, {}, problem=_unexpected(name, err))
    return _Plan(path, name, overrides, known=known)


@dataclass(frozen=True)
class _Parsed:
    """What reading one file gave, up to the step where it stopped.

    The steps are those at which the sequential ingest decides: a file unreadable ("read"), a
    copy of an earlier file by its bytes (``content_hash``), unclean ("clean"), a copy by its text
    (``fingerprint``), failing to split ("split"). A worker cannot know which earlier files were
    seen, so it goes as far as it can and ``Merged`` decides in file order, as the loop did.
    """

    stage: str = "done"  # where it stopped: "read", "clean", "split" or "done"
    problem: IngestProblem | None = None
    content_hash: str | None = None
    fingerprint: str | None = None
    warnings: tuple[str, ...] = ()
    documents: tuple[DocumentRecord, ...] = ()
    chunks: tuple[Chunk, ...] = ()


def _parse(
    path: Path,
    name: str,
    overrides: dict[str, object],
    options: IngestOptions,
    splitter,
    counter: TokenCounter,
    ocr: OcrEngine | None,
    seen: dict[str, str] | None = None,
) -> _Parsed:
    """Read, clean and chunk one file; ``seen`` (hashes of files already taken) lets it stop as
    soon as the file turns out to be a copy."""
    try:
        source = read_source(path, ocr)
    except UnreadableSource as err:
        log.info("%s: %s", name, err.reason)
        return _Parsed("read", IngestProblem(name, err.reason))
    except Exception as err:
        return _Parsed("read", _unexpected(name, err))
    if seen is not None and source.content_hash in seen:
        return _Parsed("read", content_hash=source.content_hash)
    try:
        cleaned = _clean(source, options)
        fingerprint = _text_fingerprint(cleaned.text)
    except UnreadableSource as err:
        return _Parsed("clean", IngestProblem(name, err.reason), source.content_hash)
    except Exception as err:
        return _Parsed("clean", _unexpected(name, err), source.content_hash)
    if seen is not None and fingerprint in seen:
        return _Parsed("clean", content_hash=source.content_hash, fingerprint=fingerprint)
    try:
        file_docs, file_chunks = _ingest_source(source, cleaned, name, overrides, splitter, counter)
    except UnreadableSource as err:
        problem = IngestProblem(name, err.reason)
        return _Parsed("split", problem, source.content_hash, fingerprint)
    except Exception as err:
        return _Parsed("split", _unexpected(name, err), source.content_hash, fingerprint)
    return _Parsed(
        "done",
        None,
        source.content_hash,
        fingerprint,
        (*source.warnings, *cleaned.warnings),
        tuple(file_docs),
        tuple(file_chunks),
    )


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


def _clean(source: SourceFile, options: IngestOptions) -> CleanedText:
    cleaned = clean_pages(source.pages)
    if not cleaned.text.strip():
        raise UnreadableSource(
            source.path, "ingen text kvar när sidhuvuden, sidfötter och sidnummer rensats bort"
        )
    if options.mask_personal_numbers:
        masked, count = mask_personal_numbers(cleaned.text)
        if count:
            log.info("%s: %d personnummer maskerade", source.path, count)
            cleaned = replace(cleaned, text=masked)
    return cleaned


def _ingest_source(
    source: SourceFile,
    cleaned: CleanedText,
    name: str,
    overrides: dict[str, object],
    splitter,
    counter: TokenCounter,
) -> tuple[list[DocumentRecord], list[Chunk]]:
    items = split_items(cleaned)
    is_packet = len(items) > 1
    whole = detect_metadata(
        cleaned.text, header_lines=cleaned.header_lines, properties=source.properties
    )
    documents: list[DocumentRecord] = []
    chunks: list[Chunk] = []
    ocr_pages = {p.number: p.ocr_confidence for p in source.pages if p.ocr and p.number}
    for index, item in enumerate(items):
        if is_packet:
            meta = detect_metadata(cleaned.text[item.start : item.end], item=item, context=whole)
            doc_id = f"{source.content_hash[:12]}-{index + 1:03d}"
        else:
            meta = whole
            doc_id = source.content_hash[:12]
        record = document_record(
            doc_id, source, name, index if is_packet else None, item, meta, cleaned, overrides
        )
        doc_chunks = chunk_document(record, item, cleaned, splitter, counter, ocr_pages)
        if not doc_chunks:
            continue
        documents.append(replace(record, chunk_count=len(doc_chunks)))
        chunks.extend(doc_chunks)
    return documents, chunks


def supported_suffixes() -> str:
    return ", ".join(sorted(SUPPORTED_SUFFIXES))
