"""Documents rebuilt from their chunks: section texts with a map back to chunks and pages.

Extraction runs on what ingest stores (documents and chunks), so it works the same at index build
time and on an index built before recommendations existed. Chunks of one section overlap by a few
tokens and are exact slices of the cleaned text, so a section is rebuilt by joining each chunk to
the previous one at their longest common overlap.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.models import Chunk, DocumentRecord
from recommendations.models import Location, Source

REPORT_TYPES = frozenset({"granskningsrapport", "uppföljande granskning"})
# Types an answering document has; such a file is never read as a report.
_NOT_REPORT_TYPES = frozenset({"protokoll", "tjänsteskrivelse", "delegationslista"})
_AUDIT_SECTION_KINDS = frozenset({"syfte/revisionsfrågor", "revisionskriterier"})
_AUDIT_WORDS = re.compile(r"revisionsfråg|revisionskriteri|granskningens syfte", re.IGNORECASE)
_MIN_OVERLAP = 12


@dataclass(frozen=True)
class SectionText:
    number: str | None
    title: str | None
    kind: str
    heading_path: tuple[str, ...]
    text: str
    chunks: tuple[Chunk, ...]
    starts: tuple[int, ...]

    def location(self, start: int, end: int | None = None) -> Location:
        """The location of ``text[start:end]``: its first chunk and the pages of all it spans."""
        end = start + 1 if end is None or end <= start else end
        first = max(bisect_right(self.starts, start) - 1, 0)
        last = max(bisect_right(self.starts, end - 1) - 1, first)
        spanned = self.chunks[first : last + 1]
        pages = tuple(dict.fromkeys(p for c in spanned for p in c.pages))
        printed = tuple(dict.fromkeys(p for c in spanned for p in c.printed_pages))
        chunk = self.chunks[first]
        return Location(
            doc_id=chunk.doc_id,
            chunk_id=chunk.chunk_id,
            section_number=self.number,
            section_title=self.title,
            section_kind=self.kind,
            pages=pages,
            printed_pages=printed,
        )

    @property
    def body_start(self) -> int:
        """Offset after the heading line, when the section text opens with its heading."""
        first, _, _ = self.text.partition("\n")
        if self.title and self.title in first and len(first) <= len(self.title) + 12:
            return len(first) + 1
        return 0

    @property
    def path_text(self) -> str:
        return " › ".join(self.heading_path)


@dataclass(frozen=True)
class DocumentText:
    doc: DocumentRecord
    sections: tuple[SectionText, ...]

    @property
    def source(self) -> Source:
        d = self.doc
        return Source(
            doc_id=d.doc_id,
            source_file=d.source_file,
            doc_type=d.doc_type,
            municipality=d.municipality,
            year=d.year,
            date=d.date,
            committee=d.committee,
            audit_firm=d.audit_firm,
            title=d.title,
            paragraph=d.paragraph,
        )

    @property
    def is_report(self) -> bool:
        """An audit report: typed so by ingest, or a whole file set out as one (revisionsfrågor,
        revisionskriterier) when ingest could not tell its type."""
        if self.doc.doc_type in REPORT_TYPES:
            return True
        if self.doc.item_index is not None or self.doc.doc_type in _NOT_REPORT_TYPES:
            return False
        if any(s.kind in _AUDIT_SECTION_KINDS for s in self.sections):
            return True
        return bool(_AUDIT_WORDS.search(self.text[:20000]))

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)


def join_overlapping(previous: str, following: str) -> tuple[str, int]:
    """``previous`` and ``following`` joined at their overlap; also where ``following`` starts."""
    probe = following[:_MIN_OVERLAP]
    if len(probe) == _MIN_OVERLAP:
        index = previous.find(probe)
        while index != -1:
            tail = previous[index:]
            if following.startswith(tail):
                return previous[:index] + following, index
            index = previous.find(probe, index + 1)
    return previous + "\n" + following, len(previous) + 1


def _section_key(chunk: Chunk) -> tuple:
    return (chunk.section_number, chunk.section_title, chunk.section_kind, chunk.heading_path)


def _sections(chunks: Sequence[Chunk]) -> tuple[SectionText, ...]:
    sections: list[SectionText] = []
    group: list[Chunk] = []

    def close() -> None:
        if not group:
            return
        text, starts = group[0].text, [0]
        for chunk in group[1:]:
            text, start = join_overlapping(text, chunk.text)
            starts.append(start)
        head = group[0]
        sections.append(
            SectionText(
                number=head.section_number,
                title=head.section_title,
                kind=head.section_kind,
                heading_path=head.heading_path,
                text=text,
                chunks=tuple(group),
                starts=tuple(starts),
            )
        )

    for chunk in chunks:
        if group and _section_key(chunk) != _section_key(group[-1]):
            close()
            group = []
        group.append(chunk)
    close()
    return tuple(sections)


def document_texts(
    documents: Iterable[DocumentRecord], chunks: Iterable[Chunk]
) -> list[DocumentText]:
    """Every document with chunks, rebuilt into sections, in a stable order."""
    by_doc: dict[str, list[Chunk]] = defaultdict(list)
    for chunk in chunks:
        by_doc[chunk.doc_id].append(chunk)
    texts = []
    for doc in sorted(documents, key=lambda d: (d.source_file, d.item_index or 0, d.doc_id)):
        doc_chunks = sorted(by_doc.get(doc.doc_id, ()), key=lambda c: c.chunk_index)
        if doc_chunks:
            texts.append(DocumentText(doc, _sections(doc_chunks)))
    return texts
