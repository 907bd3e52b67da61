"""The document record and the chunks of one item of a source: its detected metadata with the
metadata overrides applied, and its sections split into passages that know their pages.
"""

from __future__ import annotations

import hashlib
import re

from ingest.chunking import TokenCounter, split_span
from ingest.metadata import WARNING_PREFIXES, DetectedMetadata
from ingest.models import Chunk, CleanedText, DocumentRecord, ItemSpan
from ingest.readers import SourceFile
from ingest.sections import split_sections

_HEADING_ONLY = re.compile(r"^\s*(\d{1,2}(\.\d{1,2}){0,3}\.?\s+)?\S.{0,90}$")


def document_record(
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


def chunk_document(
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


def _printed_pages(pages) -> tuple[str, ...]:
    """The printed numbers of a passage's pages, or none when its first page shows no number: a
    passage starting on an unnumbered page is cited by its PDF page, not by the next number."""
    if not pages or not pages[0].printed:
        return ()
    return tuple(page.printed for page in pages if page.printed)
