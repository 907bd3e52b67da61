"""The nämnd a document is addressed to or about (``detect_committee``): the one in an item's head,
the audited one, the one in the head, the packet's, the one most mentioned."""

from __future__ import annotations

import re
from collections import Counter

from ingest.committees import find_committees, normalise_committee
from ingest.metadata.common import (
    AUDIT_TYPES,
    SOURCE_INFERRED,
    SOURCE_ITEM,
    SOURCE_PACKET,
    SOURCE_TEXT,
    DocumentView,
    Found,
)

_RECOMMEND = re.compile(
    r"\brekommend\w*\s+(?:vi\s+|revisionen\s+|revisorerna\s+)?"
    r"(?:därför\s+|även\s+|också\s+|dessutom\s+)?(?:att\s+|till\s+)?",
    re.IGNORECASE,
)
_SCOPE = re.compile(
    r"\bgranskningen\s+(?:avser|omfattar|har\s+avgränsats\s+till|avgränsas\s+till|"
    r"riktar\s+sig\s+(?:främst\s+)?till)\s+(?:främst\s+|i\s+huvudsak\s+)?",
    re.IGNORECASE,
)


def _committee_at(text: str, pos: int) -> str | None:
    """The committee named right at ``pos`` in ``text``."""
    found = find_committees(text[pos : pos + 120])
    return found[0].name if found and found[0].start == 0 else None


def _audited_committee(text: str, title: str | None) -> str | None:
    """The nämnd an audit report is addressed to."""
    addressed = Counter(
        name for m in _RECOMMEND.finditer(text) if (name := _committee_at(text, m.end()))
    )
    if addressed:
        # Most recommendations go to the audited nämnd; the first one breaks ties.
        return addressed.most_common(1)[0][0]
    for m in _SCOPE.finditer(text):
        name = _committee_at(text, m.end())
        if name:
            return name
    if title:
        return normalise_committee(title)
    return None


# What may follow a committee's name on a line of a document's head ("Kommunstyrelsen",
# "Skolnämndens beslut", "Socialnämnden beslutar", "Socialnämndens protokoll").
_HEAD_COMMITTEE_TAIL = re.compile(
    r"\s*(?:beslut|beslutar|protokoll|protokollsutdrag|sammanträde)?\s*$", re.IGNORECASE
)


def _head_committee(lines: list[str]) -> str | None:
    """A committee named on a line of its own in a document's head."""
    previous = ""
    for line in lines[:20]:
        bare = line.strip(" .:”\"'")
        found = find_committees(bare)
        if found and found[0].start == 0 and _HEAD_COMMITTEE_TAIL.fullmatch(bare, found[0].end):
            if found[0].name != "Stadsdelsnämnden":
                return found[0].name
            # A cover sets "Södermalms" / "stadsdelsnämnd" on two lines: the district names it.
            joined = find_committees(f"{previous}\n{bare}")
            named = [m.name for m in joined if m.name.endswith(" stadsdelsnämnd")]
            return named[-1] if named else found[0].name
        if bare:
            previous = bare
    return None


def _most_mentioned_committee(text: str) -> str | None:
    counts = Counter(m.name for m in find_committees(text))
    # Kommunfullmäktige is named in nearly every document (its goals, its budget) and audited
    # by no revisionsbyrå; it wins only when no other committee is named.
    others = Counter({k: v for k, v in counts.items() if k not in {"Kommunfullmäktige"}})
    best = (others or counts).most_common(1)
    return best[0][0] if best else None


def detect_committee(doc: DocumentView, doc_type: str, title: str | None) -> Found:
    if doc.item is not None and doc.item.committee:
        named = doc.item.committee
        return Found(normalise_committee(named) or " ".join(named.split()), SOURCE_ITEM)
    if doc_type in AUDIT_TYPES and (audited := _audited_committee(doc.text, title)):
        return Found(audited, SOURCE_TEXT)
    if head := _head_committee(doc.lines):
        return Found(head, SOURCE_ITEM if doc.in_item else SOURCE_TEXT)
    if committee := doc.packet("committee"):
        return Found(committee, SOURCE_PACKET)
    if mentioned := _most_mentioned_committee(doc.text):
        warning = f"nämnd härledd från mest omnämnda nämnd i texten ({mentioned})"
        return Found(mentioned, SOURCE_INFERRED, warning)
    return Found(None, None, "nämnd saknas i dokumentet")
