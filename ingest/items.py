"""Split the cleaned text of a source into items (the documents of a meeting packet).

A meeting packet (handlingar) is many documents in one file: tjänsteskrivelser, reports,
protocol extracts, delegation lists, answers to the revisorer. Each item begins with a head
that states what it is: a ``Datum``/``Dnr`` block, a capitalised document word
(TJÄNSTESKRIVELSE, SAMMANTRÄDESPROTOKOLL …), "Förslag till beslut" under a committee and a
title, "§ N Dnr …", or a page whose printed number is 1. A single audit report has none of the
strong heads and comes back as one item; a later stage classifies it.

The head vocabulary (dates, Dnr, committees, document words) is in ``ingest.item_heads``.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import takewhile
from typing import NamedTuple

from ingest.item_heads import (
    ANSWER_TITLE,
    BODY_START,
    CAPS_LINE,
    DATE_LABEL,
    DECIDES,
    DELEGATION,
    DNR_LABEL,
    DOC_WORDS,
    FIRST_SECTION,
    LIST_HEADER,
    PARAGRAPH,
    PERSON_LABEL,
    PROPOSAL,
    REPORT_IN_TITLE,
    REPORT_TITLE,
    case_number_in,
    doc_word,
    is_case_number,
    is_committee_line,
    is_date_line,
    is_head_block_line,
    is_letterhead_line,
)
from ingest.models import CleanedText, ItemSpan, PageSpan
from ingest.places import normalise_committee
from ingest.vocabulary import parse_date

logger = logging.getLogger(__name__)

_PROTOCOL_TYPES = {"protokoll"}

_HEAD_SCAN_LINES = 25
_WALK_BACK_LINES = 8
_PROPOSAL_LOOKBACK = 8
_REPORT_SECTION_LOOKAHEAD = 60
_MIN_LEADING_CHARS = 200
_TITLE_LINES = 4
_TITLE_LENGTH = 120


# --- Lines with offsets -----------------------------------------------------------------------


class _Line(NamedTuple):
    """One line of the cleaned text: its offset, its stripped text, its page (index, printed).

    A named tuple rather than a frozen dataclass: a large file has a million lines, and a
    frozen dataclass takes several times as long to create.
    """

    start: int
    text: str
    page: int
    printed: str | None


def _lines_of(cleaned: CleanedText) -> list[_Line]:
    page_starts = [p.start for p in cleaned.pages]
    lines, offset = [], 0
    for raw in cleaned.text.split("\n"):
        page = _page_index(page_starts, offset)
        printed = cleaned.pages[page].printed if page >= 0 else None
        lines.append(_Line(offset, raw.strip(), page, printed))
        offset += len(raw) + 1
    return lines


def _page_index(page_starts: list[int], offset: int) -> int:
    return bisect_right(page_starts, offset) - 1


# --- Heads ------------------------------------------------------------------------------------


@dataclass
class _Head:
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


def _next_nonblank(lines: Sequence[_Line], index: int, limit: int) -> list[int]:
    found = []
    for i in range(index + 1, len(lines)):
        if lines[i].text:
            found.append(i)
            if len(found) == limit:
                break
    return found


def _previous_nonblank(lines: Sequence[_Line], index: int, limit: int) -> list[int]:
    found = []
    for i in range(index - 1, -1, -1):
        if lines[i].text:
            found.append(i)
            if len(found) == limit:
                break
    return found


def _walk_back(lines: Sequence[_Line], index: int) -> int:
    """First line of the head block that ``index`` belongs to."""
    start = index
    for i in _previous_nonblank(lines, index, _WALK_BACK_LINES):
        if not is_head_block_line(lines[i].text):
            break
        start = i
    return start


def _parse_head(lines: Sequence[_Line], head: _Head) -> _Head:
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


def _committee_after(lines: Sequence[_Line], index: int) -> str | None:
    """Committee in the sentence opening the body ("… föreslår socialnämnden besluta")."""
    for i in [index, *_next_nonblank(lines, index, 2)]:
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


def _read_body_start(head: _Head, text: str) -> bool:
    """Whether ``text`` opens the body; a "Kommunstyrelsens beslut" line names the committee."""
    body = BODY_START.match(text)
    if not body:
        return False
    head.proposal = head.proposal or bool(PROPOSAL.match(text))
    named = body[1] or body[2]
    if named and not head.committee:
        head.committee = normalise_committee(named)
    return True


def _read_head_line(head: _Head, state: _HeadState, text: str) -> bool:
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


def _read_label(head: _Head, text: str) -> str | None:
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


def _is_label_line(head: _Head, text: str, caps: list[str]) -> bool:
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


def _strong_heads(lines: Sequence[_Line]) -> list[_Head]:
    heads = []
    for i, line in enumerate(lines):
        text = line.text
        if not text:
            continue
        if doc_word(text):
            heads.append(_Head(_walk_back(lines, i), True, "document word"))
        elif PROPOSAL.match(text):
            heads.append(_proposal_head(lines, i))
        elif PARAGRAPH.match(text) and len(text) <= 80:
            heads.append(_Head(_walk_back(lines, i), True, "paragraph"))
        elif DATE_LABEL.match(text) and _has_dnr_after(lines, i):
            heads.append(_Head(_walk_back(lines, i), True, "datum/dnr"))
    return heads


def _proposal_head(lines: Sequence[_Line], index: int) -> _Head:
    """A "Förslag till beslut" head starts at the committee line above its title."""
    before = _previous_nonblank(lines, index, _PROPOSAL_LOOKBACK)
    for i in before:
        if is_committee_line(lines[i].text):
            return _Head(_walk_back(lines, i), True, "proposal", proposal=True)
    title_start = before[0] if before else index
    for i in before[1:]:
        if i + 1 < len(lines) and not lines[i + 1].text:
            break
        title_start = i
    return _Head(title_start, True, "proposal", proposal=True)


def _has_dnr_after(lines: Sequence[_Line], index: int) -> bool:
    return any(DNR_LABEL.match(lines[i].text) for i in _next_nonblank(lines, index, 6))


def _weak_heads(lines: Sequence[_Line], pages: Sequence[PageSpan]) -> list[_Head]:
    """Heads that only count inside a packet: first pages, answers, report title pages."""
    heads = []
    first_line_of_page = {}
    for i, line in enumerate(lines):
        first_line_of_page.setdefault(line.page, i)
        text = line.text
        if text and _is_answer_title(lines, i):
            heads.append(_Head(i, False, "answer"))
        elif text and _is_report_title(lines, i):
            heads.append(_Head(i, False, "report title"))
    for index, page in enumerate(pages):
        if page.printed == "1" and page.end > page.start and index in first_line_of_page:
            heads.append(_Head(first_line_of_page[index], False, "first page"))
    return heads


def _is_answer_title(lines: Sequence[_Line], index: int) -> bool:
    """The title of a yttrande / "Socialnämndens svar på …", standing above its own prose."""
    text = lines[index].text
    if not ANSWER_TITLE.match(text) or len(text) > 100 or text.endswith("."):
        return False
    before = _previous_nonblank(lines, index, 1)
    if before and (len(lines[before[0]].text) > 40 or LIST_HEADER.match(lines[before[0]].text)):
        return False
    after = [lines[i].text for i in _next_nonblank(lines, index, 8)]
    return sum(len(t) for t in after) >= 200 and not any(t.startswith("___") for t in after[:2])


def _is_report_title(lines: Sequence[_Line], index: int) -> bool:
    """A report's title line, followed soon by its first numbered section ("1 Inledning")."""
    text = lines[index].text
    if len(text) > 70 or not REPORT_TITLE.match(text):
        return False
    after = _next_nonblank(lines, index, _REPORT_SECTION_LOOKAHEAD)
    return any(FIRST_SECTION.match(lines[i].text) for i in after)


def _is_running_head(lines: Sequence[_Line], head: _Head) -> bool:
    """A head repeated on page 2, 3 … of a document: no title of its own, the text runs on."""
    printed = lines[head.line].printed
    if printed is None or printed == "1" or head.proposal or head.paragraph:
        return False
    return head.title is None or head.title[0].islower()


def _drop_repeated_heads(lines: Sequence[_Line], heads: list[_Head]) -> list[_Head]:
    """Drop heads that repeat the previous head on a later page of the same document.

    A tjänsteskrivelse prints its head block (document word, Datum, Dnr) on every page; on page 2
    the first line of the body then looks like a title. The same document word, date and Dnr
    say it is the same document.
    """
    kept: list[_Head] = []
    for head in heads:
        # Heads without a Dnr in between ("Förslag till beslut" in the same head) do not count.
        previous = next((h for h in reversed(kept) if h.case_number is not None), None)
        repeated = (
            previous is not None
            and lines[head.line].printed != "1"
            and not (head.paragraph or head.proposal)
            and head.case_number is not None
            and (head.doc_word, head.date, head.case_number)
            == (previous.doc_word, previous.date, previous.case_number)
        )
        if not repeated:
            kept.append(head)
    return kept


def _merge_heads(lines: Sequence[_Line], heads: list[_Head]) -> list[_Head]:
    """One head per item: heads inside the block of an earlier head add to it."""
    merged: list[_Head] = []
    for head in sorted(heads, key=lambda h: (h.line, not h.strong)):
        if merged and _belongs_to(lines, merged[-1], head):
            _fill(merged[-1], head)
            continue
        merged.append(head)
    return merged


def _belongs_to(lines: Sequence[_Line], previous: _Head, head: _Head) -> bool:
    if head.line <= previous.stop:
        return True
    # A first page already opened by a strong head on it adds nothing new.
    same_page = lines[previous.line].page == lines[head.line].page
    return head.kind == "first page" and previous.strong and same_page


_HEAD_FIELDS = ("doc_word", "caps_title", "title", "date", "case_number", "paragraph", "committee")


def _fill(target: _Head, source: _Head) -> None:
    for name in _HEAD_FIELDS:
        if getattr(target, name) is None:
            setattr(target, name, getattr(source, name))
    target.proposal = target.proposal or source.proposal
    target.stop = max(target.stop, source.stop)


def _doc_type(head: _Head) -> str:
    title = head.title or ""
    word_type = DOC_WORDS.get(head.doc_word or "")
    if head.paragraph or word_type in _PROTOCOL_TYPES:
        return "protokoll"
    if word_type == "delegationslista" or DELEGATION.search(title):
        return "delegationslista"
    if REPORT_IN_TITLE.search(title) or head.kind == "report title":
        return "rapport/berättelse"
    if word_type == "tjänsteskrivelse" or head.proposal:
        return "tjänsteskrivelse"
    return "annat"


# --- Items ------------------------------------------------------------------------------------


def split_items(cleaned: CleanedText) -> list[ItemSpan]:
    """Split a cleaned source into items; a single report comes back as one item."""
    text = cleaned.text
    lines = _lines_of(cleaned)
    parsed = [_parse_head(lines, h) for h in _strong_heads(lines)]
    strong = _drop_repeated_heads(lines, [h for h in parsed if not _is_running_head(lines, h)])
    if not strong:
        logger.debug("no item heads: one item of %d chars", len(text))
        return [ItemSpan(0, len(text))]
    weak = [_parse_head(lines, h) for h in _weak_heads(lines, cleaned.pages)]
    heads = [_complete(lines, h) for h in _merge_heads(lines, strong + weak)]
    items = _items_from_heads(lines, heads, len(text))
    running = _running_heads(lines)
    items = [_with_running_head(lines, item, running) for item in items]
    logger.info("split %d chars into %d items", len(text), len(items))
    return items


def _complete(lines: Sequence[_Line], head: _Head) -> _Head:
    """Fill what the head implies but does not state in a labelled line."""
    if head.committee is None and head.title and head.kind == "answer":
        head.committee = normalise_committee(head.title.split(" svar ")[0])
    if head.date is None and head.kind == "first page":
        # Delegation lists print their date beside the page number: the date of page 1.
        page = lines[head.line].page
        following = (lines[i] for i in range(head.line, len(lines)))  # no copy of the rest
        on_page = takewhile(lambda line: line.page == page, following)
        head.date = next((parse_date(ln.text) for ln in on_page if is_date_line(ln.text)), None)
    return head


def _items_from_heads(lines: Sequence[_Line], heads: list[_Head], length: int) -> list[ItemSpan]:
    starts = [lines[h.line].start for h in heads]
    if starts[0] > 0 and _content_chars(lines, 0, starts[0]) < _MIN_LEADING_CHARS:
        # A few letterhead lines before the first head belong to that item.
        starts[0] = 0
    items = []
    if starts[0] > 0:
        items.append(ItemSpan(0, starts[0]))
    ends = [*starts[1:], length]
    for head, start, end in zip(heads, starts, ends, strict=True):
        items.append(
            ItemSpan(
                start=start,
                end=end,
                doc_type=_doc_type(head),
                title=head.title,
                date=head.date,
                case_number=head.case_number,
                paragraph=head.paragraph,
                committee=head.committee,
            )
        )
    return items


def _content_chars(lines: Sequence[_Line], start: int, end: int) -> int:
    return sum(len(line.text) for line in lines if start <= line.start < end)


def _running_heads(lines: Sequence[_Line]) -> list[_Head]:
    """Heads of continuation pages ("Datum 2022-03-08" above "Sida 9(32)")."""
    heads = []
    for i, line in enumerate(lines):
        labelled = DATE_LABEL.match(line.text) or DNR_LABEL.match(line.text)
        if labelled or doc_word(line.text):
            head = _parse_head(lines, _Head(_walk_back(lines, i), False, "running"))
            if _is_running_head(lines, head):
                heads.append(head)
    return heads


def _with_running_head(lines: Sequence[_Line], item: ItemSpan, running: list[_Head]) -> ItemSpan:
    """Take date and Dnr from the running head of a later page when the first head lost them."""
    if item.doc_type is None or (item.date and item.case_number):
        return item
    date, case_number = item.date, item.case_number
    for head in running:
        if item.start <= lines[head.line].start < item.end:
            date = date or head.date
            case_number = case_number or head.case_number
    return replace(item, date=date, case_number=case_number)
