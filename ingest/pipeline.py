"""Ingest: source files → cleaned pages → items → sections → chunks with metadata.

One bad file never stops a run: it becomes an ``IngestProblem`` naming the file and the reason, and
the run goes on. Every file's content hash is recorded so a document ingested twice (two copies, two
paths) is indexed once.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from tqdm import tqdm

from ingest.chunking import TokenCounter, make_splitter, split_span
from ingest.cleaning import clean_pages
from ingest.items import split_items
from ingest.metadata import WARNING_PREFIXES, DetectedMetadata, detect_metadata
from ingest.models import Chunk, CleanedText, DocumentRecord, IngestProblem, ItemSpan
from ingest.ocr import OcrEngine
from ingest.options import IngestOptions
from ingest.overrides import OverrideError, is_override_file, load_overrides
from ingest.privacy import mask_personal_numbers, mask_personal_numbers_in_name
from ingest.readers import (
    CONVERTIBLE_SUFFIXES,
    SUPPORTED_SUFFIXES,
    SourceFile,
    UnreadableSource,
    content_hash,
    read_source,
)
from ingest.sections import split_sections

log = logging.getLogger(__name__)

IGNORE_MARKER = ".revsokignore"
Reuse = Callable[[str], tuple[list[DocumentRecord], list[Chunk]] | None]
_HEADING_ONLY = re.compile(r"^\s*(\d{1,2}(\.\d{1,2}){0,3}\.?\s+)?\S.{0,90}$")


@dataclass(frozen=True)
class Duplicate:
    source_file: str
    duplicate_of: str


@dataclass(frozen=True)
class IngestResult:
    documents: tuple[DocumentRecord, ...]
    chunks: tuple[Chunk, ...]
    problems: tuple[IngestProblem, ...]
    duplicates: tuple[Duplicate, ...]
    files_seen: int
    settings: dict[str, object]
    files_reused: int = 0

    @property
    def failed(self) -> bool:
        return any(problem.fatal for problem in self.problems)


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[IngestProblem]]:
    """Files to ingest under ``paths``, in a stable order.

    Folders are walked recursively; hidden entries, metadata overrides, embedding seeds and
    folders holding a ``.revsokignore`` file are skipped. A path that does not exist is a
    problem, not a crash.
    """
    found: list[Path] = []
    problems: list[IngestProblem] = []
    visited: set[Path] = set()
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(_walk(path, visited, problems))
        else:
            problems.append(IngestProblem(str(path), "finns inte"))
    unique = list(dict.fromkeys(found))
    return unique, problems


def _walk(folder: Path, visited: set[Path], problems: list[IngestProblem]) -> list[Path]:
    """Files below ``folder``. A folder reached again through a symlink is walked once only
    (``ln -s . a`` would otherwise recurse forever); an unreadable folder is a problem, not a
    crash."""
    real = folder.resolve()
    if real in visited:
        log.info("hoppar över %s: mappen %s är redan genomgången", folder, real)
        return []
    visited.add(real)
    try:
        if (folder / IGNORE_MARKER).exists():
            log.info("hoppar över %s (%s)", folder, IGNORE_MARKER)
            return []
        entries = sorted(folder.iterdir())
    except OSError as err:
        problems.append(
            IngestProblem(display_path(folder), f"mappen kan inte läsas: {err.strerror or err}")
        )
        return []
    files: list[Path] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            files.extend(_walk(entry, visited, problems))
        elif entry.is_file() and not is_override_file(entry) and not is_embedding_seed(entry):
            files.append(entry)
    return files


def is_embedding_seed(path: Path) -> bool:
    """``embeddings.<embedder>.npz``: the shipped vectors of a folder's passages (written by
    ``index.embedding_seed``), not a document."""
    return path.name.startswith("embeddings.") and path.name.endswith(".npz")


def _unexpected(name: str, err: Exception) -> IngestProblem:
    """A fault in revsok's own reading of one file: that file fails with the cause named (and the
    traceback logged), and the ingest goes on with the others."""
    log.debug("oväntat fel i %s", name, exc_info=True)
    return IngestProblem(name, f"oväntat fel när filen lästes ({type(err).__name__}: {err})")


def display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


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
    merged = _Merged(problems)
    plans = [_plan(path, options, reuse) for path in files]
    splitter = make_splitter(options.chunk_settings(), counter)
    with contextlib.ExitStack() as stack:
        to_read = [plan for plan in plans if plan.read]
        results = _read_elsewhere(stack, to_read, options, counter, ocr, workers, ray_address)
        for plan in tqdm(plans, desc="Ingest", unit="fil", disable=not show_progress):
            if plan.problem is not None:
                merged.problems.append(plan.problem)
                continue
            if plan.known is not None:
                merged.add_known(plan.name, *plan.known)
                continue
            if results is not None:
                parsed, results = _next_result(results)
                if parsed is not None:
                    new_chunks = merged.add_parsed(plan.name, parsed)
                    if on_chunks is not None and new_chunks:
                        on_chunks(new_chunks)
                    continue
            parsed = _parse(
                plan.path,
                plan.name,
                plan.overrides,
                options,
                splitter,
                counter,
                ocr,
                seen=merged.seen,
            )
            merged.add_parsed(plan.name, parsed)
    return IngestResult(
        documents=tuple(merged.documents),
        chunks=tuple(merged.chunks),
        problems=tuple(merged.problems),
        duplicates=tuple(merged.duplicates),
        files_seen=len(files),
        settings={**asdict(options), "tokenizer": counter.name},
        files_reused=merged.reused,
    )


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
    seen, so it goes as far as it can and ``_Merged`` decides in file order, as the loop did.
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


class _Merged:
    """The run's result so far, taken one file at a time in file order."""

    def __init__(self, problems: list[IngestProblem]):
        self.documents: list[DocumentRecord] = []
        self.chunks: list[Chunk] = []
        self.problems = problems
        self.duplicates: list[Duplicate] = []
        self.seen: dict[str, str] = {}
        self.reused = 0

    def add_known(self, name: str, file_hash: str, docs, chunks) -> None:
        if file_hash in self.seen:
            self.duplicates.append(Duplicate(name, self.seen[file_hash]))
            return
        self.seen[file_hash] = name
        self.documents.extend(replace(d, source_file=name) for d in docs)
        self.chunks.extend(replace(c, source_file=name) for c in chunks)
        self.reused += 1

    def add_parsed(self, name: str, parsed: _Parsed) -> list[Chunk]:
        """Take one read file; returns the chunks it added (none for a failure or a copy)."""
        if parsed.stage == "read" and parsed.problem is not None:
            self.problems.append(parsed.problem)
            return []
        if parsed.content_hash in self.seen:
            self.duplicates.append(Duplicate(name, self.seen[parsed.content_hash]))
            return []
        if parsed.stage == "clean" and parsed.problem is not None:
            self.problems.append(parsed.problem)
            return []
        if parsed.fingerprint in self.seen:
            self.duplicates.append(Duplicate(name, self.seen[parsed.fingerprint]))
            return []
        if parsed.problem is not None:
            self.problems.append(parsed.problem)
            return []
        self.seen[parsed.content_hash] = self.seen[parsed.fingerprint] = name
        self.problems.extend(
            IngestProblem(name, warning, fatal=False) for warning in parsed.warnings
        )
        self.documents.extend(parsed.documents)
        self.chunks.extend(parsed.chunks)
        for doc in parsed.documents:
            self.problems.extend(
                IngestProblem(name, warning, fatal=False) for warning in doc.warnings
            )
        return list(parsed.chunks)


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
        record = _document_record(
            doc_id, source, name, index if is_packet else None, item, meta, cleaned, overrides
        )
        doc_chunks = _chunk_document(record, item, cleaned, splitter, counter, ocr_pages)
        if not doc_chunks:
            continue
        documents.append(replace(record, chunk_count=len(doc_chunks)))
        chunks.extend(doc_chunks)
    return documents, chunks


def _document_record(
    doc_id: str,
    source: SourceFile,
    name: str,
    item_index: int | None,
    item: ItemSpan,
    meta: DetectedMetadata,
    cleaned: CleanedText,
    overrides: dict[str, object],
) -> DocumentRecord:
    fields = {
        "municipality": meta.municipality,
        "year": meta.year,
        "date": meta.date,
        "committee": meta.committee,
        "doc_type": meta.doc_type,
        "audit_firm": meta.audit_firm,
        "title": meta.title,
        "case_number": item.case_number,
        "paragraph": item.paragraph,
    }
    sources = dict(meta.sources)
    warnings = list(meta.warnings)
    for field, value in overrides.items():
        fields[field] = value
        sources[field] = "sidofil"
    if "year" not in overrides and isinstance(fields["date"], str) and "date" in overrides:
        fields["year"] = int(str(fields["date"])[:4])
    overridden = tuple(WARNING_PREFIXES[f] for f in overrides if f in WARNING_PREFIXES)
    warnings = [w for w in warnings if not (overridden and w.startswith(overridden))]
    pages = cleaned.pages_between(item.start, item.end)
    return DocumentRecord(
        doc_id=doc_id,
        source_id=source.content_hash,
        source_file=name,
        item_index=item_index,
        page_start=pages[0].number if pages else None,
        page_end=pages[-1].number if pages else None,
        printed_page_start=pages[0].printed if pages else None,
        printed_page_end=pages[-1].printed if pages else None,
        warnings=tuple(warnings),
        field_sources=sources,
        **fields,
    )


def _chunk_document(
    record: DocumentRecord,
    item: ItemSpan,
    cleaned: CleanedText,
    splitter,
    counter: TokenCounter,
    ocr_pages: dict[int, float | None] | None = None,
) -> list[Chunk]:
    """``ocr_pages``: the numbers of the pages read by OCR, with their mean word confidence."""
    ocr_pages = ocr_pages or {}
    chunks: list[Chunk] = []
    for section in split_sections(cleaned.text, item.start, item.end, cleaned.headings):
        pieces = split_span(cleaned.text, section.start, section.end, splitter)
        # A heading with nothing under it before its first sub-heading carries no content.
        if len(pieces) == 1 and section.title and _HEADING_ONLY.match(pieces[0].text):
            continue
        for piece in pieces:
            pages = cleaned.pages_between(piece.start, piece.end)
            read = [ocr_pages[p.number] for p in pages if p.number in ocr_pages]
            known = [c for c in read if c is not None]
            chunks.append(
                Chunk(
                    chunk_id=f"{record.doc_id}-{len(chunks):04d}",
                    doc_id=record.doc_id,
                    source_id=record.source_id,
                    chunk_index=len(chunks),
                    text=piece.text,
                    municipality=record.municipality,
                    year=record.year,
                    date=record.date,
                    committee=record.committee,
                    doc_type=record.doc_type,
                    audit_firm=record.audit_firm,
                    title=record.title,
                    case_number=record.case_number,
                    paragraph=record.paragraph,
                    section_number=section.number,
                    section_title=section.title,
                    section_kind=section.kind,
                    heading_path=section.heading_path,
                    pages=tuple(page.number for page in pages),
                    printed_pages=_printed_pages(pages),
                    source_file=record.source_file,
                    content_hash=record.source_id,
                    text_hash=hashlib.sha256(piece.text.encode("utf-8")).hexdigest(),
                    token_count=counter(piece.text),
                    ocr=bool(read),
                    ocr_confidence=min(known) if known else None,
                )
            )
    return chunks


def supported_suffixes() -> str:
    return ", ".join(sorted(SUPPORTED_SUFFIXES))


def _printed_pages(pages) -> tuple[str, ...]:
    """The printed numbers of a passage's pages, or none when its first page shows no number: a
    passage starting on an unnumbered page is cited by its PDF page, not by the next number."""
    if not pages or not pages[0].printed:
        return ()
    return tuple(page.printed for page in pages if page.printed)
