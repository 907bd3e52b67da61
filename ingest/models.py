"""The records that flow from ingest to index to app.

One shape for PDF, Word and text input: a source becomes pages, pages become one cleaned text with
page spans, the text is split into items (documents), items into sections, sections into chunks.
Every span is a pair of character offsets into the cleaned text of its source, so page numbers can
be recovered for any slice without carrying page markers inside the text. A Word document is one
page without a number: its passages have no page, and the headings its styles mark travel beside
the text as offsets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

DOC_TYPES = (
    "granskningsrapport",
    "uppföljande granskning",
    "protokoll",
    "tjänsteskrivelse",
    "rapport/berättelse",
    "delegationslista",
    "annat",
)

SECTION_KINDS = (
    "sammanfattning",
    "bakgrund",
    "syfte/revisionsfrågor",
    "revisionskriterier",
    "metod",
    "iakttagelser/resultat",
    "bedömning",
    "slutsats/rekommendationer",
    "källor/bilaga",
    "annat",
)


@dataclass(frozen=True)
class MarkedHeading:
    """A heading the source itself marks as one (a Word heading style), not one read from the text.

    ``level`` is its outline level (1 = top), ``text`` its line as it stands in the page text.
    ``start`` is where that line begins in the cleaned text; -1 while it is only known on its page.
    """

    level: int
    text: str
    start: int = -1


@dataclass(frozen=True)
class RawPage:
    """One page as read from the source, before cleaning. ``number`` is the 1-based PDF page, None
    when the source has no pages (a Word document is laid out into pages only when it is shown).
    ``headings`` are the headings the source marks on the page, in order."""

    number: int | None
    text: str
    headings: tuple[MarkedHeading, ...] = ()
    # The text was read by OCR from the page image; the mean word confidence (0–100) of that read.
    ocr: bool = False
    ocr_confidence: float | None = None


@dataclass(frozen=True)
class FileProperties:
    """What a file says about itself outside its text (a Word document's title and creation
    date). Metadata reads them only for a field the text does not state."""

    title: str | None = None
    created: str | None = None  # ISO date


@dataclass(frozen=True)
class PageSpan:
    """Where one cleaned page sits in the cleaned text of its source."""

    number: int
    start: int
    end: int
    printed: str | None = None


@dataclass(frozen=True)
class CleanedText:
    """The cleaned text of a whole source file and the page each character came from."""

    text: str
    pages: tuple[PageSpan, ...]
    removed_lines: tuple[str, ...] = ()
    header_lines: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    # Headings the source marks (Word heading styles), each with its offset in ``text``.
    headings: tuple[MarkedHeading, ...] = ()

    def pages_between(self, start: int, end: int) -> tuple[PageSpan, ...]:
        """Pages that hold any non-blank character of ``text[start:end]``."""
        segment = self.text[start:end]
        lead = len(segment) - len(segment.lstrip())
        trail = len(segment) - len(segment.rstrip())
        lo, hi = start + lead, end - trail
        if hi <= lo:
            hi = lo + 1
        bounds = self._page_bounds
        if bounds is None:
            return tuple(p for p in self.pages if p.start < hi and p.end > lo)
        # Pages in text order: the ones that overlap form one run, found by bisection (a scan
        # of every page for every chunk was quadratic in a file of thousands of pages).
        starts, ends = bounds
        return tuple(self.pages[bisect_right(ends, lo) : bisect_left(starts, hi)])

    @cached_property
    def _page_bounds(self) -> tuple[list[int], list[int]] | None:
        """Page starts and ends, when both ascend (they do for cleaned text), else None."""
        starts = [p.start for p in self.pages]
        ends = [p.end for p in self.pages]
        ordered = starts == sorted(starts) and ends == sorted(ends)
        return (starts, ends) if ordered else None


@dataclass(frozen=True)
class ItemSpan:
    """One item of a source: the whole file for a report, one agenda item of a meeting packet.

    Header fields are what the item's own head states; empty when it states nothing.
    """

    start: int
    end: int
    doc_type: str | None = None
    title: str | None = None
    date: str | None = None
    case_number: str | None = None
    paragraph: str | None = None
    committee: str | None = None


@dataclass(frozen=True)
class SectionSpan:
    """A section of an item, from one heading to the next, with its place in the outline."""

    start: int
    end: int
    number: str | None
    title: str | None
    kind: str
    heading_path: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentRecord:
    """Metadata of one document (a report, or one item of a packet)."""

    doc_id: str
    source_id: str
    source_file: str
    item_index: int | None
    municipality: str | None
    year: int | None
    date: str | None
    committee: str | None
    doc_type: str
    audit_firm: str | None
    title: str | None
    case_number: str | None
    paragraph: str | None
    page_start: int | None
    page_end: int | None
    printed_page_start: str | None = None
    printed_page_end: str | None = None
    chunk_count: int = 0
    warnings: tuple[str, ...] = ()
    field_sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Chunk:
    """The unit that is indexed, retrieved and cited."""

    chunk_id: str
    doc_id: str
    source_id: str
    chunk_index: int
    text: str
    municipality: str | None
    year: int | None
    date: str | None
    committee: str | None
    doc_type: str
    audit_firm: str | None
    title: str | None
    case_number: str | None
    paragraph: str | None
    section_number: str | None
    section_title: str | None
    section_kind: str
    heading_path: tuple[str, ...]
    pages: tuple[int, ...]
    # The numbers printed on those pages; empty when the first page shows none, so that "s. N"
    # never names a page after the one the passage starts on.
    printed_pages: tuple[str, ...]
    source_file: str
    content_hash: str
    text_hash: str
    token_count: int
    # Some of the passage was read by OCR (a scanned page); the lowest mean word confidence
    # (0–100) among its OCR'd pages. Defaults keep chunks stored before OCR readable.
    ocr: bool = False
    ocr_confidence: float | None = None

    @property
    def heading_path_text(self) -> str:
        return " › ".join(self.heading_path)

    @property
    def section_label(self) -> str:
        """ "3.2 Samverkan med regionen": the section's number and title, as citations give it."""
        return " ".join(x for x in (self.section_number, self.section_title) if x)


@dataclass(frozen=True)
class IngestProblem:
    """A file that could not be ingested, or a field that could not be found."""

    source_file: str
    reason: str
    fatal: bool = True


def page_reference(pages: Sequence[int], printed_pages: Sequence[str]) -> str:
    """Where a passage stands: "s. 5–6" with the numbers printed on its pages, else "PDF-s. 3–4"
    with the PDF's own page numbers; never both, so a reader is not left to choose."""
    if printed_pages:
        return "s. " + "–".join(dict.fromkeys((printed_pages[0], printed_pages[-1])))
    if pages:
        return "PDF-s. " + "–".join(dict.fromkeys(map(str, (pages[0], pages[-1]))))
    return ""


def citation_line(
    record, *, committee: str | None = None, section: str = "", pages: str = ""
) -> str:
    """Kommun · år · nämnd · titel (byrå) · § · avsnitt · sida: the one way a passage or an
    extracted record is cited, in the app, the CLI and the exports. Unknown parts are left out."""
    parts = [*citation_head(record, committee), section, pages]
    return " · ".join(p for p in parts if p)


def citation_head(record, committee: str | None = None) -> list[str]:
    """Kommun · år · nämnd · titel (byrå) · §: how every citation begins, for a chunk or for the
    source of an extracted record (both carry these fields). ``committee`` replaces the record's
    nämnd when the caller knows better; empty parts are left for the caller to drop."""
    title = record.title or record.source_file.rsplit("/", 1)[-1]
    if record.audit_firm:
        title = f"{title} ({record.audit_firm})"
    return [
        record.municipality or "(kommun okänd)",
        str(record.year) if record.year else "(år okänt)",
        (record.committee or "") if committee is None else committee,
        title,
        record.paragraph or "",
    ]
