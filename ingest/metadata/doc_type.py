"""The document type (``detect_doc_type``): the one an item's head states, else an audit report (or
a follow-up) from the words audits use, else the type the head of the document names."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from ingest.metadata.common import (
    AUDIT_CUE_CHARS,
    HEAD_CHARS,
    SOURCE_ITEM,
    SOURCE_TEXT,
    DocumentView,
    Found,
)
from ingest.models import DOC_TYPES

logger = logging.getLogger(__name__)

_AUDIT_CUES = {
    # The byrå or the auditors say who commissioned the audit: "har på uppdrag av …
    # revisorerna", "På uppdrag av Vansbro kommuns revisorer har KPMG", "Vi har av
    # Stadsrevisionen fått i uppdrag", "Revisorerna har gett PwC i uppdrag", "uppdragit åt".
    "uppdrag": re.compile(
        r"\bhar\s+av\s+[^.]{0,100}?revis(?:or|ion)|"
        r"\b(?:i|på)\s+uppdrag\s+av\s+[^.]{0,100}?revis(?:or|ion)|"
        r"\brevis(?:or|ion)\w*\s+[^.]{0,80}?\b(?:i\s+uppdrag\b|uppdragit\s+åt)",
        re.IGNORECASE,
    ),
    "revisionsfrågor": re.compile(r"\brevisionsfråg", re.IGNORECASE),
    "revisionskriterier": re.compile(r"\brevisionskriteri", re.IGNORECASE),
    "sammanfattande bedömning": re.compile(
        r"\b(?:vår|den)\s+sammanfattande\s+bedömning", re.IGNORECASE
    ),
    "rekommendationer": re.compile(r"\b(?:vi\s+rekommenderar|rekommenderar\s+vi)\b", re.IGNORECASE),
    "syfte": re.compile(
        r"\b(?:granskningen\s+syftar|syftet\s+med\s+granskningen|"
        r"granskningens\s+(?:\w+\s+)?syfte)",
        re.IGNORECASE,
    ),
}
# A yttrande or tjänsteskrivelse about an audit quotes one or two of these; a report has most.
_AUDIT_MIN_CUES = 3
_FOLLOW_UP = re.compile(
    r"\buppföljande\s+granskning|"
    r"\buppföljning\s+av\s+(?:(?:tidigare|den|de|genomförda?|\d{4}\s+års)\s+){0,3}granskning",
    re.IGNORECASE,
)
# Cues for the other document types, read in the head only, strongest first.
_TYPE_CUES = (
    (
        "protokoll",
        re.compile(
            r"^\s*(?:sammanträdesprotokoll|protokoll|protokollsutdrag|utdrag\s+ur\s+protokoll)\b|"
            r"\bjusterandes\s+sign|\butdragsbestyrkande|"
            # The head of every protocol: who checks it, and where and when.
            r"\butses\s+att\s+justera|\bjusteringens\s+plats",
            re.IGNORECASE | re.MULTILINE,
        ),
    ),
    # A letterhead in capitals names the protocol beside the kommun or nämnd, on one line:
    # "VILHELMINA KOMMUN PROTOKOLL 1(54)", "Socialnämnden SAMMANTRÄDESPROTOKOLL".
    ("protokoll", re.compile(r"(?<![\w-])(?:SAMMANTRÄDES)?PROTOKOLL(?![\w-])")),
    (
        "tjänsteskrivelse",
        re.compile(
            # "Tjänsteutlåtande" is the same document under another name (Stockholm, Huddinge).
            r"^\s*tjänste(?:skrivelse|utlåtande)\b|\bbeskrivning\s+av\s+ärendet\b|"
            r"\bärendebeskrivning\b|"
            # The head and first heading of a skrivelse to a nämnd.
            r"^\s*(?:förslag\s+till\s+beslut|handläggare)\b",
            re.IGNORECASE | re.MULTILINE,
        ),
    ),
    # An audit report says so on its cover, also when its opening is too short for the cues above.
    (
        "granskningsrapport",
        re.compile(r"^\s*(?:revisionsrapport|granskningsrapport)\b", re.IGNORECASE | re.MULTILINE),
    ),
    (
        "delegationslista",
        # As the document's own heading: a protocol's agenda lists "Anmälan av delegationsbeslut".
        re.compile(
            r"^\s*(?:delegationsbeslut|delegationslista|delegerade\s+beslut)",
            re.IGNORECASE | re.MULTILINE,
        ),
    ),
    (
        "rapport/berättelse",
        re.compile(r"^\s*\w*(?:berättelse|rapport|redovisning)\b", re.IGNORECASE | re.MULTILINE),
    ),
)


def _audit_cues(text: str) -> list[str]:
    head = text[:AUDIT_CUE_CHARS]
    cues = [name for name, rx in _AUDIT_CUES.items() if rx.search(head)]
    logger.debug("audit cues: %s", cues)
    return cues


def _is_follow_up(text: str, header_lines: Sequence[str], title: str | None) -> bool:
    where = "\n".join([*header_lines, title or "", text[:HEAD_CHARS]])
    return bool(_FOLLOW_UP.search(where))


def _cued_type(text: str, header_lines: Sequence[str], skip: Sequence[str] = ()) -> str | None:
    head = "\n".join([*header_lines, text[:1500]])
    for doc_type, rx in _TYPE_CUES:
        if doc_type not in skip and rx.search(head):
            return doc_type
    return None


def detect_doc_type(doc: DocumentView, title: str | None) -> Found:
    if doc.item is not None and doc.item.doc_type in DOC_TYPES:
        return Found(doc.item.doc_type, SOURCE_ITEM)
    cues = _audit_cues(doc.text)
    # A cover saying "Revisionsrapport" makes an audit report of a text with one audit cue too;
    # with none, the word is a label (a column of a nämnd's table of its answers to audits).
    skip = () if cues else ("granskningsrapport",)
    cued = None if len(cues) >= _AUDIT_MIN_CUES else _cued_type(doc.text, doc.header_lines, skip)
    if len(cues) >= _AUDIT_MIN_CUES or cued == "granskningsrapport":
        follow_up = _is_follow_up(doc.text, doc.header_lines, title)
        return Found("uppföljande granskning" if follow_up else "granskningsrapport", SOURCE_TEXT)
    if cued:
        return Found(cued, SOURCE_TEXT)
    return Found("annat", None, "dokumenttyp kunde inte avgöras")
