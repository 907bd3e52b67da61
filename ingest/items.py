"""Split the cleaned text of a source into items (the documents of a meeting packet).

A meeting packet (handlingar) is many documents in one file: tjänsteskrivelser, reports,
protocol extracts, delegation lists, answers to the revisorer. Each item begins with a head
that states what it is: a ``Datum``/``Dnr`` block, a capitalised document word
(TJÄNSTESKRIVELSE, SAMMANTRÄDESPROTOKOLL …), "Förslag till beslut" under a committee and a
title, "§ N Dnr …", or a page whose printed number is 1. A single audit report has none of the
strong heads and comes back as one item; a later stage classifies it.

The head vocabulary (dates, Dnr, committees, document words) is in ``ingest.item_heads``; reading
what one head block states is in ``ingest.head_reading``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from itertools import takewhile

from ingest.committees import normalise_committee
from ingest.head_reading import (
    Head,
    Line,
    lines_of,
    next_nonblank,
    parse_head,
    previous_nonblank,
    walk_back,
)
from ingest.item_heads import (
    ANSWER_TITLE,
    DATE_LABEL,
    DELEGATION,
    DNR_LABEL,
    DOC_WORDS,
    FIRST_SECTION,
    LIST_HEADER,
    PARAGRAPH,
    PROPOSAL,
    REPORT_IN_TITLE,
    REPORT_TITLE,
    doc_word,
    is_committee_line,
    is_date_line,
)
from ingest.models import CleanedText, ItemSpan, PageSpan
from ingest.vocabulary import parse_date

logger = logging.getLogger(__name__)

_PROTOCOL_TYPES = {"protokoll"}

_PROPOSAL_LOOKBACK = 8
_REPORT_SECTION_LOOKAHEAD = 60
_MIN_LEADING_CHARS = 200


# --- Heads ------------------------------------------------------------------------------------


def _strong_heads(lines: Sequence[Line]) -> list[Head]:
    heads = []
    for i, line in enumerate(lines):
        text = line.text
        if not text:
            continue
        if doc_word(text):
            heads.append(Head(walk_back(lines, i), True, "document word"))
        elif PROPOSAL.match(text):
            heads.append(_proposal_head(lines, i))
        elif PARAGRAPH.match(text) and len(text) <= 80:
            heads.append(Head(walk_back(lines, i), True, "paragraph"))
        elif DATE_LABEL.match(text) and _has_dnr_after(lines, i):
            heads.append(Head(walk_back(lines, i), True, "datum/dnr"))
    return heads


def _proposal_head(lines: Sequence[Line], index: int) -> Head:
    """A "Förslag till beslut" head starts at the committee line above its title."""
    before = previous_nonblank(lines, index, _PROPOSAL_LOOKBACK)
    for i in before:
        if is_committee_line(lines[i].text):
            return Head(walk_back(lines, i), True, "proposal", proposal=True)
    title_start = before[0] if before else index
    for i in before[1:]:
        if i + 1 < len(lines) and not lines[i + 1].text:
            break
        title_start = i
    return Head(title_start, True, "proposal", proposal=True)


def _has_dnr_after(lines: Sequence[Line], index: int) -> bool:
    return any(DNR_LABEL.match(lines[i].text) for i in next_nonblank(lines, index, 6))


def _weak_heads(lines: Sequence[Line], pages: Sequence[PageSpan]) -> list[Head]:
    """Heads that only count inside a packet: first pages, answers, report title pages."""
    heads = []
    first_line_of_page = {}
    for i, line in enumerate(lines):
        first_line_of_page.setdefault(line.page, i)
        text = line.text
        if text and _is_answer_title(lines, i):
            heads.append(Head(i, False, "answer"))
        elif text and _is_report_title(lines, i):
            heads.append(Head(i, False, "report title"))
    for index, page in enumerate(pages):
        if page.printed == "1" and page.end > page.start and index in first_line_of_page:
            heads.append(Head(first_line_of_page[index], False, "first page"))
    return heads


def _is_answer_title(lines: Sequence[Line], index: int) -> bool:
    """The title of a yttrande / "Socialnämndens svar på …", standing above its own prose."""
    text = lines[index].text
    if not ANSWER_TITLE.match(text) or len(text) > 100 or text.endswith("."):
        return False
    before = previous_nonblank(lines, index, 1)
    if before and (len(lines[before[0]].text) > 40 or LIST_HEADER.match(lines[before[0]].text)):
        return False
    after = [lines[i].text for i in next_nonblank(lines, index, 8)]
    return sum(len(t) for t in after) >= 200 and not any(t.startswith("___") for t in after[:2])


def _is_report_title(lines: Sequence[Line], index: int) -> bool:
    """A report's title line, followed soon by its first numbered section ("1 Inledning")."""
    text = lines[index].text
    if len(text) > 70 or not REPORT_TITLE.match(text):
        return False
    after = next_nonblank(lines, index, _REPORT_SECTION_LOOKAHEAD)
    return any(FIRST_SECTION.match(lines[i].text) for i in after)


def _is_running_head(lines: Sequence[Line], head: Head) -> bool:
    """A head repeated on page 2, 3 … of a document: no title of its own, the text runs on."""
    printed = lines[head.line].printed
    if printed is None or printed == "1" or head.proposal or head.paragraph:
        return False
    return head.title is None or head.title[0].islower()


def _drop_repeated_heads(lines: Sequence[Line], heads: list[Head]) -> list[Head]:
    """Drop heads that repeat the previous head on a later page of the same document.

    A tjänsteskrivelse prints its head block (document word, Datum, Dnr) on every page; on page 2
    the first line of the body then looks like a title. The same document word, date and Dnr
    say it is the same document.
    """
    kept: list[Head] = []
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


def _merge_heads(lines: Sequence[Line], heads: list[Head]) -> list[Head]:
    """One head per item: heads inside the block of an earlier head add to it."""
    merged: list[Head] = []
    for head in sorted(heads, key=lambda h: (h.line, not h.strong)):
        if merged and _belongs_to(lines, merged[-1], head):
            _fill(merged[-1], head)
            continue
        merged.append(head)
    return merged


def _belongs_to(lines: Sequence[Line], previous: Head, head: Head) -> bool:
    if head.line <= previous.stop:
        return True
    # A first page already opened by a strong head on it adds nothing new.
    same_page = lines[previous.line].page == lines[head.line].page
    return head.kind == "first page" and previous.strong and same_page


_HEAD_FIELDS = ("doc_word", "caps_title", "title", "date", "case_number", "paragraph", "committee")


def _fill(target: Head, source: Head) -> None:
    for name in _HEAD_FIELDS:
        if getattr(target, name) is None:
            setattr(target, name, getattr(source, name))
    target.proposal = target.proposal or source.proposal
    target.stop = max(target.stop, source.stop)


def _doc_type(head: Head) -> str:
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
    lines = lines_of(cleaned)
    parsed = [parse_head(lines, h) for h in _strong_heads(lines)]
    strong = _drop_repeated_heads(lines, [h for h in parsed if not _is_running_head(lines, h)])
    if not strong:
        logger.debug("no item heads: one item of %d chars", len(text))
        return [ItemSpan(0, len(text))]
    weak = [parse_head(lines, h) for h in _weak_heads(lines, cleaned.pages)]
    heads = [_complete(lines, h) for h in _merge_heads(lines, strong + weak)]
    items = _items_from_heads(lines, heads, len(text))
    running = _running_heads(lines)
    items = [_with_running_head(lines, item, running) for item in items]
    logger.info("split %d chars into %d items", len(text), len(items))
    return items


def _complete(lines: Sequence[Line], head: Head) -> Head:
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


def _items_from_heads(lines: Sequence[Line], heads: list[Head], length: int) -> list[ItemSpan]:
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


def _content_chars(lines: Sequence[Line], start: int, end: int) -> int:
    return sum(len(line.text) for line in lines if start <= line.start < end)


def _running_heads(lines: Sequence[Line]) -> list[Head]:
    """Heads of continuation pages ("Datum 2022-03-08" above "Sida 9(32)")."""
    heads = []
    for i, line in enumerate(lines):
        labelled = DATE_LABEL.match(line.text) or DNR_LABEL.match(line.text)
        if labelled or doc_word(line.text):
            head = parse_head(lines, Head(walk_back(lines, i), False, "running"))
            if _is_running_head(lines, head):
                heads.append(head)
    return heads


def _with_running_head(lines: Sequence[Line], item: ItemSpan, running: list[Head]) -> ItemSpan:
    """Take date and Dnr from the running head of a later page when the first head lost them."""
    if item.doc_type is None or (item.date and item.case_number):
        return item
    date, case_number = item.date, item.case_number
    for head in running:
        if item.start <= lines[head.line].start < item.end:
            date = date or head.date
            case_number = case_number or head.case_number
    return replace(item, date=date, case_number=case_number)
