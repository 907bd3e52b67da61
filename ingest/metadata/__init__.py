"""Metadata of one document: kommun, år, datum, nämnd, dokumenttyp, revisionsbyrå and titel.

A document is a whole report or one item of a meeting packet. Each field is read from the most
reliable place that states it, in this order: the running header block that cleaning removed
("rubrik"), the fields the packet splitter read from an item's head ("objekt"), the text itself
("text"), the metadata of the whole packet ("paket"), and last the file's own properties
("filegenskaper": a Word document's title and creation date), read only for a field the text
gives nothing for, since a template carries them from one report to the next. When a field is
only inferred ("härlett"), taken from the file's properties, or not found at all, a Swedish
warning says so: a wrong kommun or year in a citation is worse than a missing one, so nothing is
guessed silently.

The rules are generic: they read the conventions of Swedish audit reports and nämnd documents,
never strings of particular documents, because reports from other kommuner, byråer and years
must come out as well.
"""

from __future__ import annotations

from ingest.metadata.common import WARNING_PREFIXES, DetectedMetadata
from ingest.metadata.detect import detect_metadata

__all__ = ["WARNING_PREFIXES", "DetectedMetadata", "detect_metadata"]
