"""Reading one file into documents and chunks: read, clean, fingerprint, split and chunk.

The same step runs in this process, in ``ingest.parallel``'s worker processes and in
``ingest.ray_reading``'s Ray tasks; ``ingest.pipeline`` and ``ingest.merging`` take its results in
file order.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.chunking import TokenCounter
from ingest.cleaning import clean_pages
from ingest.documents import chunk_document, document_record
from ingest.items import split_items
from ingest.metadata import detect_metadata
from ingest.models import Chunk, CleanedText, DocumentRecord, IngestProblem
from ingest.ocr import OcrEngine
from ingest.options import IngestOptions
from ingest.privacy import mask_personal_numbers
from ingest.readers import SourceFile, UnreadableSource, read_source

log = logging.getLogger(__name__)


def unexpected_problem(name: str, err: Exception) -> IngestProblem:
    """A fault in revsok's own reading of one file: that file fails with the cause named (and the
    traceback logged), and the ingest goes on with the others."""
    log.debug("oväntat fel i %s", name, exc_info=True)
    return IngestProblem(name, f"oväntat fel när filen lästes ({type(err).__name__}: {err})")


@dataclass(frozen=True)
class Parsed:
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


def parse_source(
    path: Path,
    name: str,
    overrides: dict[str, object],
    options: IngestOptions,
    splitter,
    counter: TokenCounter,
    ocr: OcrEngine | None,
    seen: dict[str, str] | None = None,
) -> Parsed:
    """Read, clean and chunk one file; ``seen`` (hashes of files already taken) lets it stop as
    soon as the file turns out to be a copy."""
    try:
        source = read_source(path, ocr)
    except UnreadableSource as err:
        log.info("%s: %s", name, err.reason)
        return Parsed("read", IngestProblem(name, err.reason))
    except Exception as err:
        return Parsed("read", unexpected_problem(name, err))
    if seen is not None and source.content_hash in seen:
        return Parsed("read", content_hash=source.content_hash)
    try:
        cleaned = _clean(source, options)
        fingerprint = _text_fingerprint(cleaned.text)
    except UnreadableSource as err:
        return Parsed("clean", IngestProblem(name, err.reason), source.content_hash)
    except Exception as err:
        return Parsed("clean", unexpected_problem(name, err), source.content_hash)
    if seen is not None and fingerprint in seen:
        return Parsed("clean", content_hash=source.content_hash, fingerprint=fingerprint)
    try:
        file_docs, file_chunks = _ingest_source(source, cleaned, name, overrides, splitter, counter)
    except UnreadableSource as err:
        problem = IngestProblem(name, err.reason)
        return Parsed("split", problem, source.content_hash, fingerprint)
    except Exception as err:
        return Parsed("split", unexpected_problem(name, err), source.content_hash, fingerprint)
    return Parsed(
        "done",
        None,
        source.content_hash,
        fingerprint,
        (*source.warnings, *cleaned.warnings),
        tuple(file_docs),
        tuple(file_chunks),
    )


def _text_fingerprint(text: str) -> str:
    # Layout differences (line breaks, spacing) between two copies of one document do not count.
    # str.split() drops the same whitespace as r"\s+" and is much faster; a slice at a time, so
    # that a large file is never held as a list of all its words.
    step = 1 << 20
    compact = "".join("".join(text[i : i + step].split()) for i in range(0, len(text), step))
    return hashlib.sha256(compact.lower().encode("utf-8")).hexdigest()


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
