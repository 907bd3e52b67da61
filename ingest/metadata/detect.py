"""All fields of one document together (``detect_metadata``): each field module reads its field
with where it was read and a warning when guessed or missing; this reads them in order."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ingest.metadata.committee import detect_committee
from ingest.metadata.common import DetectedMetadata, DocumentView, Found, nonblank_lines
from ingest.metadata.dates import detect_date, detect_year
from ingest.metadata.doc_type import detect_doc_type
from ingest.metadata.firm import detect_audit_firm
from ingest.metadata.municipality import detect_municipality
from ingest.metadata.title import detect_derived_title, detect_stated_title
from ingest.models import FileProperties, ItemSpan

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
    doc = DocumentView(
        text=text,
        header_lines=[" ".join(line.split()) for line in header_lines if line.strip()],
        lines=nonblank_lines(text),
        item=item,
        context=context,
        properties=properties,
    )
    found: dict[str, Found] = {"title": detect_stated_title(doc)}
    found["doc_type"] = detect_doc_type(doc, found["title"].value)
    found["municipality"] = detect_municipality(doc)
    found["date"] = detect_date(doc)
    found["year"] = detect_year(doc, found["date"])
    doc_type = found["doc_type"].value
    found["committee"] = detect_committee(doc, doc_type, found["title"].value)
    found["audit_firm"] = detect_audit_firm(doc, doc_type)
    if found["title"].value is None:
        # A title derived from the text comes last, so that no other field is read from it.
        found["title"] = detect_derived_title(doc, doc_type)
    order = ("doc_type", "municipality", "date", "year", "committee", "audit_firm", "title")
    metadata = DetectedMetadata(
        **{name: f.value for name, f in found.items()},
        sources={name: f.source for name, f in found.items() if f.source},
        warnings=tuple(found[name].warning for name in order if found[name].warning),
    )
    logger.debug("detected metadata: %s", metadata)
    return metadata
