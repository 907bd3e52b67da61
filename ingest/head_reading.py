"""Reading item heads: the cleaned text as lines with their offsets and pages, and what one head
block states (date, Dnr, §, committee, document word, title).

``ingest.items`` finds where heads stand and splits the text at them; the head vocabulary is in
``ingest.item_heads``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ingest.committees import normalise_committee
from ingest.item_heads import (
    BODY_START,
    CAPS_LINE,
    DATE_LABEL,
    DECIDES,
    DELEGATION,
    DNR_LABEL,
    DOC_WORDS,
    PARAGRAPH,
    PERSON_LABEL,
    PROPOSAL,
    case_number_in,
    doc_word,
    is_case_number,
    is_committee_line,
    is_date_line,
    is_head_block_line,
    is_letterhead_line,
)
from ingest.models import CleanedText
from ingest.vocabulary import parse_date

_HEAD_SCAN_LINES = 25
_WALK_BACK_LINES = 8
_TITLE_LINES = 4
_TITLE_LENGTH = 120


# --- Lines with offsets -----------------------------------------------------------------------


class Line(NamedTuple):
    """One line of the cleaned text: its offset, its stripped text, its page (index, printed).

    A named tuple rather than a frozen dataclass: a large file has a million lines, and a
    frozen dataclass takes several times as long to create.
    """

    start: int
    text: str
    page: int
    printed: str | None


def lines_of(cleaned: CleanedText) -> list[Line]:
    page_starts = [p.start for p in cleaned.pages]
    lines, offset = [], 0
    for raw in cleaned.text.split("\n"):
        page = _page_index(page_starts, offset)
        printed = cleaned.pages[page].printed if page >= 0 else None
        lines.append(Line(offset, raw.strip(), page, printed))
        offset += len(raw) + 1
    return lines


def _page_index(page_starts: list[int], offset: int) -> int:
    return bisect_right(page_starts, offset) - 1


# --- Head blocks ------------------------------------------------------------------------------


@dataclass
class Head:
    """What one item head states; ``line`` is where the item starts."""

    line: int
    strong: bool
    kind: str
    stop: int = 0
    doc_word: str | None = None
    caps_title: str | None = None
    title: str | None = None
    date: str | None = None
    case_number: str | None = None
    paragraph: str | None = None
    committee: str | None = None
    proposal: bool = False


def next_nonblank(lines: Sequence[Line], index: int, limit: int) -> list[int]:
    found = []
    for i in range(index + 1, len(lines)):
        if lines[i].text:
            found.append(i)
            if len(found) == limit:
                break
    return found


def previous_nonblank(lines: Sequence[Line], index: int, limit: int) -> list[int]:
    found = []
    for i in range(index - 1, -1, -1):
        if lines[i].text:
            found.append(i)
            if len(found) == limit:
                break
    return found


def walk_back(lines: Sequence[Line], index: int) -> int:
    """First line of the head block that ``index`` belongs to."""
    start = index
    for i in previous_nonblank(lines, index, _WALK_BACK_LINES):
        if not is_head_block_line(lines[i].text):
            break
        start = i
    return start


def parse_head(lines: Sequence[Line], head: Head) -> Head:
    """Read date, Dnr, §, committee, document word and title from the head block."""
    state = _HeadState()
    i = head.line
    while i < len(lines) and state.scanned < _HEAD_SCAN_LINES:
        text = lines[i].text
        head.stop = i
        i += 1
        if not text:
            state.close_title()
            continue
        state.scanned += 1
        if _read_body_start(head, text) or not _read_head_line(head, state, text):
            break
    if head.committee is None:
        head.committee = _committee_after(lines, head.stop)
    if state.caps and " ".join(state.caps) not in DOC_WORDS:
        head.caps_title = " ".join(state.caps).capitalize()
    head.title = head.title or head.caps_title or (" ".join(state.title) or None)
    return head


def _committee_after(lines: Sequence[Line], index: int) -> str | None:
    """Committee in the sentence opening the body ("… föreslår socialnämnden besluta")."""
    for i in [index, *next_nonblank(lines, index, 2)]:
        decides = DECIDES.search(lines[i].text)
        if decides:
            return normalise_committee(decides[1] or decides[2])
    return None


@dataclass
class _HeadState:
    title: list[str] = field(default_factory=list)
    title_closed: bool = False
    caps: list[str] = field(default_factory=list)
    pending: str | None = None  # a label ("date", "dnr") whose value is on the next line
    scanned: int = 0

    def close_title(self) -> None:
        self.title_closed = self.title_closed or bool(self.title)


def _read_body_start(head: Head, text: str) -> bool:
    """Whether ``text`` opens the body; a "Kommunstyrelsens beslut" line names the committee."""
    body = BODY_START.match(text)
    if not body:
        return False
    head.proposal = head.proposal or bool(PROPOSAL.match(text))
    named = body[1] or body[2]
    if named and not head.committee:
        head.committee = normalise_committee(named)
    return True


def _read_head_line(head: Head, state: _HeadState, text: str) -> bool:
    """Take one non-blank head line into ``head``; False once the body has begun."""
    if state.pending == "date" and is_date_line(text):
        head.date = head.date or parse_date(text)
        state.pending = None
        return True
    if state.pending == "dnr" and (value := case_number_in(text)):
        head.case_number = head.case_number or value
        state.pending = None
        return True
    if DELEGATION.match(text) and not doc_word(text):
        # A delegation list's own heading names it better than the table header above it.
        head.title = head.title or text
        return True
    state.pending = _read_label(head, text)
    if state.pending is not None or _is_label_line(head, text, state.caps):
        state.close_title()
        return True
    if state.title_closed:
        return False
    if len(state.title) < _TITLE_LINES and len(text) <= _TITLE_LENGTH:
        state.title.append(text)
    return True


def _read_label(head: Head, text: str) -> str | None:
    """Fill fields from a Datum/Dnr/§ label; return what its value on the next line would be."""
    date_label = DATE_LABEL.match(text)
    if date_label:
        value = parse_date(date_label[1])
        head.date = head.date or value
        return None if value else "date"
    dnr_label = DNR_LABEL.match(text)
    if dnr_label:
        value = case_number_in(dnr_label[1])
        if value:
            head.case_number = head.case_number or value
            return None
        return "dnr"
    return None


def _is_label_line(head: Head, text: str, caps: list[str]) -> bool:
    """Head lines that are not the title: §, document words, committees, letterheads, dates."""
    paragraph = PARAGRAPH.match(text)
    if paragraph:
        head.paragraph = head.paragraph or f"§ {paragraph[1]}"
        if paragraph[2] and (value := case_number_in(paragraph[2])):
            head.case_number = head.case_number or value
        return True
    if DATE_LABEL.match(text) or DNR_LABEL.match(text):
        return True
    word = doc_word(text)
    if word or CAPS_LINE.match(text):
        head.doc_word = head.doc_word or word
        caps.append(text)
        return True
    if is_committee_line(text):
        head.committee = head.committee or normalise_committee(text)
        return True
    if is_date_line(text):
        head.date = head.date or parse_date(text)
        return True
    return is_letterhead_line(text) or is_case_number(text) or bool(PERSON_LABEL.match(text))
