"""All fields of one document together (``detect_metadata``), each with where it was read and a
warning when guessed or missing."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ingest.metadata.committee import audited_committee, head_committee, most_mentioned_committee
from ingest.metadata.common import (
    AUDIT_TYPES,
    SOURCE_HEADER,
    SOURCE_INFERRED,
    SOURCE_ITEM,
    SOURCE_PACKET,
    SOURCE_PROPERTIES,
    SOURCE_TEXT,
    TOP_LINES,
    DetectedMetadata,
)
from ingest.metadata.dates import (
    PLAN_YEAR,
    cover_month_year,
    latest_labelled_year,
    latest_past_year,
    nonblank_lines,
    signature_date,
    top_date,
)
from ingest.metadata.doc_type import cued_type, is_audit, is_follow_up
from ingest.metadata.firm import detect_firm
from ingest.metadata.municipality import detect_municipality
from ingest.metadata.title import derived_title, title_from_lines
from ingest.models import DOC_TYPES, FileProperties, ItemSpan
from ingest.places import normalise_committee
from ingest.vocabulary import MONTH_YEAR, parse_date

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    """One field as read: its value, where it was read (a SOURCE_*), and a warning when it was
    guessed or is missing."""

    value: Any = None
    source: str | None = None
    warning: str | None = None


@dataclass(frozen=True)
class _Document:
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


def detect_metadata(
    text: str,
    *,
    header_lines: Sequence[str] = (),
    item: ItemSpan | None = None,
    context: DetectedMetadata | None = None,
    properties: FileProperties | None = None,
) -> DetectedMetadata:
    """Read the metadata of one document from its cleaned text.

    ``header_lines`` are the running header lines cleaning removed; ``item`` the fields the
    packet splitter read from an item's head (used first when set); ``context`` the metadata of
    the whole packet, used for a packet item's missing kommun, nämnd and year; ``properties``
    the file's own title and creation date, used for a whole file's title and year when the
    text gives none.
    """
    doc = _Document(
        text=text,
        header_lines=[" ".join(line.split()) for line in header_lines if line.strip()],
        lines=nonblank_lines(text),
        item=item,
        context=context,
        properties=properties,
    )
    found: dict[str, Found] = {"title": _stated_title(doc)}
    found["doc_type"] = _doc_type(doc, found["title"].value)
    found["municipality"] = _municipality(doc)
    found["date"] = _date(doc)
    found["year"] = _year(doc, found["date"])
    doc_type = found["doc_type"].value
    found["committee"] = _committee(doc, doc_type, found["title"].value)
    found["audit_firm"] = _audit_firm(doc, doc_type)
    if found["title"].value is None:
        # A title derived from the text comes last, so that no other field is read from it.
        found["title"] = _derived_title(doc, doc_type)
    order = ("doc_type", "municipality", "date", "year", "committee", "audit_firm", "title")
    metadata = DetectedMetadata(
        **{name: f.value for name, f in found.items()},
        sources={name: f.source for name, f in found.items() if f.source},
        warnings=tuple(found[name].warning for name in order if found[name].warning),
    )
    logger.debug("detected metadata: %s", metadata)
    return metadata


def _stated_title(doc: _Document) -> Found:
    if title := title_from_lines(doc.header_lines, last=False):
        return Found(title, SOURCE_HEADER)
    if doc.item is not None and doc.item.title:
        return Found(" ".join(doc.item.title.split()), SOURCE_ITEM)
    # Blank lines matter for joining a title broken over lines, so read the raw lines.
    if title := title_from_lines(doc.text.splitlines(), last=True):
        return Found(title, SOURCE_TEXT)
    return Found()


def _doc_type(doc: _Document, title: str | None) -> Found:
    if doc.item is not None and doc.item.doc_type in DOC_TYPES:
        return Found(doc.item.doc_type, SOURCE_ITEM)
    if is_audit(doc.text):
        follow_up = is_follow_up(doc.text, doc.header_lines, title)
        return Found("uppföljande granskning" if follow_up else "granskningsrapport", SOURCE_TEXT)
    if cued := cued_type(doc.text, doc.header_lines):
        return Found(cued, SOURCE_TEXT)
    return Found("annat", None, "dokumenttyp kunde inte avgöras")


def _municipality(doc: _Document) -> Found:
    municipality, source, founded = detect_municipality(doc.text, doc.header_lines, doc.in_item)
    if doc.packet("municipality") and not founded:
        # Every item of a packet belongs to the packet's kommun unless its head says otherwise.
        return Found(doc.packet("municipality"), SOURCE_PACKET)
    if municipality is None:
        return Found(None, None, "kommun saknas i dokumentet")
    if not founded:
        warning = f"kommun härledd från enstaka omnämnande i texten ({municipality})"
        return Found(municipality, SOURCE_INFERRED, warning)
    return Found(municipality, source)


def _date(doc: _Document) -> Found:
    if iso := top_date(doc.header_lines):
        return Found(iso, SOURCE_HEADER)
    if doc.item is not None and doc.item.date and (iso := parse_date(doc.item.date)):
        return Found(iso, SOURCE_ITEM)
    if (iso := top_date(doc.lines[:TOP_LINES])) or (iso := signature_date(doc.lines)):
        return Found(iso, SOURCE_TEXT)
    return Found(None, None, "datum saknas i dokumentet")


def _year(doc: _Document, date: Found) -> Found:
    if date.value:
        return Found(int(date.value[:4]), date.source)
    if header_year := MONTH_YEAR.search("\n".join(doc.header_lines)):
        return Found(int(header_year.group(2)), SOURCE_HEADER)
    if cover_year := cover_month_year(doc.lines[:TOP_LINES]):
        # "Mars 2022" on the title page: the year is stated, the day is not.
        return Found(cover_year, SOURCE_TEXT)
    if plan := PLAN_YEAR.search(doc.text):
        # "Uppdraget ingår i revisionsplanen för år 2023": the audit year, stated.
        return Found(int(plan.group(1)), SOURCE_TEXT)
    if year := doc.packet("year"):
        return Found(year, SOURCE_PACKET, f"år hämtat från mötespaketet ({year})")
    if year := latest_labelled_year(doc.text):
        warning = f"år härlett från senaste daterade handling i texten ({year})"
        return Found(year, SOURCE_INFERRED, warning)
    if year := latest_past_year(doc.text):
        return Found(year, SOURCE_INFERRED, f"år härlett från senast nämnda år i texten ({year})")
    if created := doc.file_property("created"):
        warning = f"år hämtat från filens egenskaper (skapad {created})"
        return Found(int(created[:4]), SOURCE_PROPERTIES, warning)
    return Found(None, None, "år saknas i dokumentet")


def _committee(doc: _Document, doc_type: str, title: str | None) -> Found:
    if doc.item is not None and doc.item.committee:
        named = doc.item.committee
        return Found(normalise_committee(named) or " ".join(named.split()), SOURCE_ITEM)
    if doc_type in AUDIT_TYPES and (audited := audited_committee(doc.text, title)):
        return Found(audited, SOURCE_TEXT)
    if head := head_committee(doc.lines):
        return Found(head, SOURCE_ITEM if doc.in_item else SOURCE_TEXT)
    if committee := doc.packet("committee"):
        return Found(committee, SOURCE_PACKET)
    if mentioned := most_mentioned_committee(doc.text):
        warning = f"nämnd härledd från mest omnämnda nämnd i texten ({mentioned})"
        return Found(mentioned, SOURCE_INFERRED, warning)
    return Found(None, None, "nämnd saknas i dokumentet")


def _audit_firm(doc: _Document, doc_type: str) -> Found:
    if doc_type not in AUDIT_TYPES:
        return Found()
    firm, source = detect_firm(doc.text, doc.header_lines)
    if firm is None:
        return Found(None, None, "revisionsbyrå saknas i dokumentet")
    if source == SOURCE_INFERRED:
        return Found(firm, source, f"revisionsbyrå härledd från omnämnande i texten ({firm})")
    return Found(firm, source)


def _derived_title(doc: _Document, doc_type: str) -> Found:
    title, derived_from = derived_title(doc.text, doc_type)
    if title:
        return Found(title, SOURCE_INFERRED, f"titel härledd ur {derived_from}")
    if title := doc.file_property("title"):
        return Found(title, SOURCE_PROPERTIES, "titel hämtad från filens egenskaper")
    return Found(None, None, "titel saknas i dokumentet; filnamnet visas i stället")
