"""All fields of one document together (``detect_metadata``), each with where it was read and a
warning when guessed or missing."""

from __future__ import annotations

import logging
from collections.abc import Sequence

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
    header_lines = [" ".join(line.split()) for line in header_lines if line.strip()]
    lines = nonblank_lines(text)
    sources: dict[str, str] = {}
    warnings: list[str] = []
    in_item = item is not None

    # title ---------------------------------------------------------------------------
    title = title_from_lines(header_lines, last=False)
    if title:
        sources["title"] = SOURCE_HEADER
    elif item is not None and item.title:
        title, sources["title"] = " ".join(item.title.split()), SOURCE_ITEM
    else:
        # Blank lines matter for joining a title broken over lines, so read the raw lines.
        title = title_from_lines(text.splitlines(), last=True)
        if title:
            sources["title"] = SOURCE_TEXT

    # doc type ------------------------------------------------------------------------
    if item is not None and item.doc_type in DOC_TYPES:
        doc_type, sources["doc_type"] = item.doc_type, SOURCE_ITEM
    elif is_audit(text):
        follow_up = is_follow_up(text, header_lines, title)
        doc_type = "uppföljande granskning" if follow_up else "granskningsrapport"
        sources["doc_type"] = SOURCE_TEXT
    elif cued := cued_type(text, header_lines):
        doc_type, sources["doc_type"] = cued, SOURCE_TEXT
    else:
        doc_type = "annat"
        warnings.append("dokumenttyp kunde inte avgöras")

    # municipality --------------------------------------------------------------------
    municipality, source, founded = detect_municipality(text, header_lines, in_item)
    if in_item and context is not None and context.municipality and not founded:
        # Every item of a packet belongs to the packet's kommun unless its head says otherwise.
        municipality, source = context.municipality, SOURCE_PACKET
    if municipality is None:
        warnings.append("kommun saknas i dokumentet")
    else:
        if source != SOURCE_PACKET and not founded:
            source = SOURCE_INFERRED
            warnings.append(f"kommun härledd från enstaka omnämnande i texten ({municipality})")
        sources["municipality"] = source

    # date and year -------------------------------------------------------------------
    date, year = None, None
    if iso := top_date(header_lines):
        date, sources["date"] = iso, SOURCE_HEADER
    elif item is not None and item.date and (iso := parse_date(item.date)):
        date, sources["date"] = iso, SOURCE_ITEM
    elif (iso := top_date(lines[:TOP_LINES])) or (iso := signature_date(lines)):
        date, sources["date"] = iso, SOURCE_TEXT
    else:
        warnings.append("datum saknas i dokumentet")
    if date:
        year, sources["year"] = int(date[:4]), sources["date"]
    elif header_year := MONTH_YEAR.search("\n".join(header_lines)):
        year, sources["year"] = int(header_year.group(2)), SOURCE_HEADER
    elif cover_year := cover_month_year(lines[:TOP_LINES]):
        # "Mars 2022" on the title page: the year is stated, the day is not.
        year, sources["year"] = cover_year, SOURCE_TEXT
    elif plan := PLAN_YEAR.search(text):
        # "Uppdraget ingår i revisionsplanen för år 2023": the audit year, stated.
        year, sources["year"] = int(plan.group(1)), SOURCE_TEXT
    elif in_item and context is not None and context.year:
        year, sources["year"] = context.year, SOURCE_PACKET
        warnings.append(f"år hämtat från mötespaketet ({year})")
    elif labelled := latest_labelled_year(text):
        year, sources["year"] = labelled, SOURCE_INFERRED
        warnings.append(f"år härlett från senaste daterade handling i texten ({year})")
    elif latest := latest_past_year(text):
        year, sources["year"] = latest, SOURCE_INFERRED
        warnings.append(f"år härlett från senast nämnda år i texten ({year})")
    elif not in_item and properties is not None and properties.created:
        year, sources["year"] = int(properties.created[:4]), SOURCE_PROPERTIES
        warnings.append(f"år hämtat från filens egenskaper (skapad {properties.created})")
    else:
        warnings.append("år saknas i dokumentet")

    # committee -----------------------------------------------------------------------
    committee = None
    if item is not None and item.committee:
        committee = normalise_committee(item.committee) or " ".join(item.committee.split())
        sources["committee"] = SOURCE_ITEM
    elif doc_type in AUDIT_TYPES and (audited := audited_committee(text, title)):
        committee, sources["committee"] = audited, SOURCE_TEXT
    elif head := head_committee(lines):
        committee, sources["committee"] = head, SOURCE_ITEM if in_item else SOURCE_TEXT
    elif in_item and context is not None and context.committee:
        committee, sources["committee"] = context.committee, SOURCE_PACKET
    elif mentioned := most_mentioned_committee(text):
        committee, sources["committee"] = mentioned, SOURCE_INFERRED
        warnings.append(f"nämnd härledd från mest omnämnda nämnd i texten ({committee})")
    else:
        warnings.append("nämnd saknas i dokumentet")

    # audit firm ----------------------------------------------------------------------
    audit_firm = None
    if doc_type in AUDIT_TYPES:
        audit_firm, source = detect_firm(text, header_lines)
        if audit_firm is None:
            warnings.append("revisionsbyrå saknas i dokumentet")
        else:
            sources["audit_firm"] = source
            if source == SOURCE_INFERRED:
                warnings.append(f"revisionsbyrå härledd från omnämnande i texten ({audit_firm})")

    # A title derived from the text comes last, so that no other field is read from it.
    if title is None:
        title, derived_from = derived_title(text, doc_type)
        if title:
            sources["title"] = SOURCE_INFERRED
            warnings.append(f"titel härledd ur {derived_from}")
        elif not in_item and properties is not None and properties.title:
            title, sources["title"] = properties.title, SOURCE_PROPERTIES
            warnings.append("titel hämtad från filens egenskaper")
        else:
            warnings.append("titel saknas i dokumentet; filnamnet visas i stället")

    metadata = DetectedMetadata(
        municipality=municipality,
        year=year,
        date=date,
        committee=committee,
        doc_type=doc_type,
        audit_firm=audit_firm,
        title=title,
        sources=sources,
        warnings=tuple(warnings),
    )
    logger.debug("detected metadata: %s", metadata)
    return metadata
