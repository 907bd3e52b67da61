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
    nonblank_lines,
)
from ingest.models import DOC_TYPES
from ingest.vocabulary import ANSWER_NOUN, ANSWER_TO

logger = logging.getLogger(__name__)

# The auditors, not their report ("revisionsrapporten") or their office's other papers.
_AUDITORS = r"(?:revisor\w*|\w*revisionen\b)"
_AUDIT_CUES = {
    # The byrå or the auditors say who commissioned the audit: "har på uppdrag av …
    # revisorerna", "På uppdrag av Vansbro kommuns revisorer har KPMG", "Vi har av
    # Stadsrevisionen fått i uppdrag", "Revisorerna har gett PwC i uppdrag", "uppdragit åt".
    "uppdrag": re.compile(
        rf"\bhar\s+av\s+[^.]{{0,100}}?{_AUDITORS}|"
        rf"\b(?:i|på)\s+uppdrag\s+av\s+[^.]{{0,100}}?{_AUDITORS}|"
        # The auditors give a byrå the task: "har gett PwC i uppdrag", "uppdragit åt/till EY".
        rf"\b{_AUDITORS}\s+[^.]{{0,60}}?\b(?:(?:gett|gav|givit)\s+[^.]{{1,40}}?\s+i\s+uppdrag\b|"
        r"uppdragit\s+(?:åt|till))",
        re.IGNORECASE,
    ),
    "revisionsfrågor": re.compile(r"\brevisionsfråg", re.IGNORECASE),
    "revisionskriterier": re.compile(r"\brevisionskriteri", re.IGNORECASE),
    "sammanfattande bedömning": re.compile(
        r"\b(?:vår|den)\s+sammanfattande\s+bedömning", re.IGNORECASE
    ),
    # In the byrå's own voice only: a nämnd's answer retells what "revisorerna rekommenderar".
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
    r"\buppföljning\s+av\s+(?:(?:tidigare|den|de|genomförda?|gjorda?|utförda?|\d{4}\s+års)\s+){0,3}"
    r"granskning",
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
            # The head of a skrivelse: the label "Handläggare" alone or with a name after it
            # (not a sentence such as "Handläggare ansvarar för …").
            r"^\s*handläggare\s*:?\s*(?:[A-ZÅÄÖ][\w-]+\s+[A-ZÅÄÖ][\w-]+(?:\s*,\s*[\w -]+)?\s*)?$",
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
            r"^\s*(?:(?:redovisning|förteckning|anmälda|anmälan)\s+(?:av\s+|över\s+)?)?"
            r"(?:delegationsbeslut|delegationslista|delegerade\s+beslut)",
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


# The cover word "Revisionsrapport" is read on the first lines only: further down it is a
# nämnd's reference to the report it answers.
_COVER_LINES = 8


# "Förslag till beslut" heads a skrivelse when a Dnr or a förvaltning heads the paper too; alone
# it is also in a kallelse or a motion.
_PROPOSAL = re.compile(r"^\s*förslag\s+till\s+beslut\b", re.IGNORECASE | re.MULTILINE)
_ADMIN_HEAD = re.compile(r"\bdnr\b|\bdiarienummer\b|^\s*\w*förvaltningen\b", re.I | re.M)
_AGENDA_OR_MOTION = re.compile(
    r"^\s*(?:kallelse|motion|föredragningslista|dagordning|ärendelista)\b", re.I | re.M
)
# A nämnd's answer names the report it answers on its first lines: "Svar på revisionsrapport",
# "Yttrande över granskning av …".
_ANSWER_HEAD = re.compile(
    rf"\b{ANSWER_NOUN}\w*\s+{ANSWER_TO}\b|^\s*{ANSWER_NOUN}\s*$", re.IGNORECASE | re.MULTILINE
)


def _cued_type(text: str, header_lines: Sequence[str], skip: Sequence[str] = ()) -> str | None:
    head = "\n".join([*header_lines, text[:1500]])
    cover_lines = [*header_lines, *nonblank_lines(text[:1500])[:_COVER_LINES]]
    cover = "\n".join(cover_lines)
    # "Granskning av handläggningen av svar på medborgarförslag" is an audit's title.
    if any(
        _ANSWER_HEAD.search(line) and not line.lower().startswith("granskning")
        for line in cover_lines
    ):
        skip = (*skip, "granskningsrapport")
    for doc_type, rx in _TYPE_CUES:
        where = cover if doc_type == "granskningsrapport" else head
        if doc_type not in skip and rx.search(where):
            return doc_type
        if (
            doc_type == "tjänsteskrivelse"
            and _PROPOSAL.search(head)
            and _ADMIN_HEAD.search(head)
            and not _AGENDA_OR_MOTION.search(head)
        ):
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
