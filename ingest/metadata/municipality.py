"""The kommun or region a document is about (``detect_municipality``), weighed from where and how
its name is mentioned."""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence

from ingest.metadata.common import (
    HEAD_CHARS,
    ITEM_HEAD_CHARS,
    SOURCE_HEADER,
    SOURCE_INFERRED,
    SOURCE_PACKET,
    SOURCE_TEXT,
    DocumentView,
    Found,
)
from ingest.places import Mention, find_auditors_of, find_municipalities

logger = logging.getLogger(__name__)

_AUDITORS_AFTER = re.compile(r"\s+(?:förtroendevalda\s+)?revisor", re.IGNORECASE)
_AUDITORS_BEFORE = re.compile(r"\b(?:revisor\w*|revisionen)\s+i\s+$", re.IGNORECASE)
_COMPARISON = re.compile(
    r"jämför|liknande\s+kommuner|kolada|riket|länets\s+kommuner|övriga\s+kommuner", re.IGNORECASE
)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    # At most 300 characters either way: a search further out would only be cut back to that,
    # and searching a long text without blank lines to its ends is quadratic over its mentions.
    lo = max(
        text.rfind(". ", max(0, start - 300), start), text.rfind("\n\n", max(0, start - 300), start)
    )
    ahead = [
        i for i in (text.find(". ", end, end + 302), text.find("\n\n", end, end + 302)) if i >= 0
    ]
    hi = min(ahead) if ahead else len(text)
    return max(lo, start - 300, 0), min(hi, end + 300)


def _is_letterhead(text: str, m: Mention) -> bool:
    """Whether the mention stands on a line of its own ("Härnösands kommun" above "Datum")."""
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start : m.start].strip() and not text[m.end : line_end].strip(" .,")


def _mention_weight(
    text: str,
    m: Mention,
    mentions: list[Mention],
    in_item: bool,
    starts: list[int] | None = None,
) -> tuple[float, bool]:
    """How much one mention says about whose document this is, and whether it settles it."""
    if m.matched.lower().endswith("s") and _AUDITORS_AFTER.match(text, m.end):
        return 8.0, True  # "Piteå kommuns revisorer": whose auditors commissioned the report
    if _AUDITORS_BEFORE.search(text[max(0, m.start - 60) : m.start]):
        return 8.0, True  # "de förtroendevalda revisorerna i Karlshamns kommun"
    if in_item and m.start < ITEM_HEAD_CHARS and _is_letterhead(text, m):
        return 5.0, True
    weight = 3.0 if m.start < HEAD_CHARS else 1.0
    lo, hi = _sentence_bounds(text, m.start, m.end)
    # Mentions come in text order: the ones in the sentence are a run, found by bisection.
    starts = [n.start for n in mentions] if starts is None else starts
    nearby = mentions[bisect_left(starts, lo) : bisect_left(starts, hi)]
    neighbours = {n.official_name for n in nearby}
    if len(neighbours) >= 3 or _COMPARISON.search(text[lo:hi]):
        # A row of kommuner, or a Kolada comparison, is about others as much as about this one.
        weight *= 0.2
    # In a packet item, a kommun or region named in the running text is usually a partner
    # ("avtal med Region Västernorrland"); the packet's own kommun is the better answer then.
    return weight, weight >= 3 and not in_item


def _weighed_municipality(
    text: str, header_lines: Sequence[str], in_item: bool
) -> tuple[str | None, str | None, bool]:
    """The kommun or region the document belongs to, its source, and whether it is well founded."""
    scores: defaultdict[str, float] = defaultdict(float)
    first_seen: dict[str, int] = {}
    strong: set[str] = set()
    from_header: set[str] = set()
    for line in header_lines:
        for m in find_municipalities(line):
            scores[m.official_name] += 10
            strong.add(m.official_name)
            from_header.add(m.official_name)
            first_seen.setdefault(m.official_name, -1)
    # A packet item's kommun is the packet's unless its head says otherwise.
    for m in [] if in_item else find_auditors_of(text[:HEAD_CHARS]):
        # "Stadsrevisionen i Stockholm": whose auditors, as strong as "Stockholms stads revisorer".
        scores[m.official_name] += 8
        strong.add(m.official_name)
        first_seen.setdefault(m.official_name, m.start)
    mentions = find_municipalities(text)
    starts = [m.start for m in mentions]
    for m in mentions:
        weight, settles = _mention_weight(text, m, mentions, in_item, starts)
        scores[m.official_name] += weight
        first_seen.setdefault(m.official_name, m.start)
        if settles:
            strong.add(m.official_name)
    if not scores:
        return None, None, False
    best = max(scores, key=lambda name: (scores[name], -first_seen[name]))
    logger.debug("municipality scores: %s", dict(scores))
    # Several mentions in the body found a kommun as well as one in the head does.
    founded = best in strong or (not in_item and scores[best] >= 3)
    source = SOURCE_HEADER if best in from_header else SOURCE_TEXT
    return best, source, founded


def detect_municipality(doc: DocumentView) -> Found:
    municipality, source, founded = _weighed_municipality(doc.text, doc.header_lines, doc.in_item)
    if doc.packet("municipality") and not founded:
        # Every item of a packet belongs to the packet's kommun unless its head says otherwise.
        return Found(doc.packet("municipality"), SOURCE_PACKET)
    if municipality is None:
        return Found(None, None, "kommun saknas i dokumentet")
    if not founded:
        warning = f"kommun härledd från enstaka omnämnande i texten ({municipality})"
        return Found(municipality, SOURCE_INFERRED, warning)
    return Found(municipality, source)
