"""What every metadata detector shares: the document it reads (``DocumentView``), one field as
read (``Found``), where a value was read from, the warnings, how much of a document is read, and
the result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.models import FileProperties, ItemSpan

SOURCE_HEADER = "rubrik"
SOURCE_TEXT = "text"
SOURCE_INFERRED = "härlett"
SOURCE_ITEM = "objekt"
SOURCE_PACKET = "paket"
SOURCE_PROPERTIES = "filegenskaper"

AUDIT_TYPES = ("granskningsrapport", "uppföljande granskning")

# Every warning about a field starts with the field's Swedish name, so that a caller which sets
# a field from elsewhere (an override file) can drop the warnings about it.
WARNING_PREFIXES = {
    "municipality": "kommun",
    "year": "år",
    "date": "datum",
    "committee": "nämnd",
    "doc_type": "dokumenttyp",
    "audit_firm": "revisionsbyrå",
    "title": "titel",
}

# The title page, summary and introduction of a report: where it names itself, its kommun and
# its byrå. Mentions later in the text are more often about others (comparisons, partners).
HEAD_CHARS = 2000
# The head of a packet item (letterhead, Datum, Dnr, nämnd, rubrik) is short.
ITEM_HEAD_CHARS = 600
# Audit reports state purpose, revisionsfrågor and kriterier within their first pages.
AUDIT_CUE_CHARS = 15000
TOP_LINES = 30


@dataclass(frozen=True)
class DetectedMetadata:
    """What one document says about itself, with where each field came from."""

    municipality: str | None  # official name, e.g. "Härnösands kommun", "Region Västernorrland"
    year: int | None
    date: str | None  # ISO
    committee: str | None  # normalised, e.g. "Socialnämnden"
    doc_type: str  # one of models.DOC_TYPES
    audit_firm: str | None  # "KPMG", "EY", "PwC", "Deloitte", "Grant Thornton", "BDO", ...
    title: str | None
    sources: dict[str, str]  # field -> "rubrik", "text", "härlett", "objekt" or "paket"
    warnings: tuple[str, ...]  # Swedish, one per field not found or inferred


@dataclass(frozen=True)
class Found:
    """One field as read: its value, where it was read (a SOURCE_*), and a warning when it was
    guessed or is missing."""

    value: Any = None
    source: str | None = None
    warning: str | None = None


@dataclass(frozen=True)
class DocumentView:
    """What every field is read from."""

    text: str
    header_lines: list[str]
    lines: list[str]
    item: ItemSpan | None
    context: DetectedMetadata | None
    properties: FileProperties | None

    @property
    def in_item(self) -> bool:
        return self.item is not None

    def packet(self, field: str):
        """The packet's value of ``field``, for an item of a packet; else None."""
        if self.in_item and self.context is not None:
            return getattr(self.context, field)
        return None

    def file_property(self, field: str):
        """The file's own ``field`` (title, created), for a whole file; else None."""
        if not self.in_item and self.properties is not None:
            return getattr(self.properties, field)
        return None


def nonblank_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
