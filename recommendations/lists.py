"""Recommendation lists in a document's text: the lists after "rekommenderar vi X att:",
"Rekommendationer" headings and their items, whom they are addressed to, and the answers a packet
interleaves with them. Reports (``recommendations.extract``) and answers
(``recommendations.answers``) both read lists with this; what opens a list is told by
``recommendations.triggers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.committees import normalise_committee
from ingest.vocabulary import COMMITTEE_NOUN, NAME_WORD
from recommendations.documents import DocumentText, SectionText
from recommendations.language import (
    REC_LABEL,
    SENTENCE_END,
    Line,
    clean_item,
    is_verb_opening,
    lines_of,
    strip_bullet,
)
from recommendations.triggers import (
    PAST,
    addressee_of,
    is_heading,
    is_trigger,
    opens_other_list,
    sentence_before,
)

_COMMITTEE_WORD = re.compile(
    r"(?:nämnd(?:en|s|ens)?|styrelse(?:n|ns)?|fullmäktige(?:s)?)\b", re.IGNORECASE
)
# "Kommunstyrelsen bör säkerställa …", "Socialnämnden rekommenderas att …", "Socialnämnden: …"
ITEM_COMMITTEE = re.compile(
    rf"^(?P<who>(?:{NAME_WORD}\s+(?:och|samt)\s+)?{NAME_WORD}{COMMITTEE_NOUN}"
    rf"(?:\s+(?:och|samt)\s+{NAME_WORD}{COMMITTEE_NOUN})?)"
    r"\s*(?::\s*|\s+(?:bör|ska|behöver|rekommenderas(?:\s+att)?)\s+)",
    re.IGNORECASE,
)
EARLIER_HEADING = re.compile(
    r"tidigare granskning|föregående granskning|ursprungliga granskning|tidigare rekommendation",
    re.IGNORECASE,
)
_MAX_ITEM_LINES = 6
MIN_ITEM_WORDS = 3


@dataclass
class Item:
    """One item of a recommendation list; ``answer`` is prose that follows it (packets only)."""

    text: str
    start: int
    end: int
    addressee: str | None = None
    answer: str = ""
    answer_start: int | None = None
    answer_end: int | None = None


@dataclass
class RecList:
    section: SectionText
    trigger: str
    start: int
    end: int
    addressee: str | None
    committee: str | None
    past: bool
    items: list[Item] = field(default_factory=list)
    interleaved: bool = False


# --- lists ------------------------------------------------------------------------------------


def _self_labelled(lines: list[Line], index: int) -> bool:
    """A "Rekommendation 1: …" / "R1 …" line opening a paragraph: a recommendation by its label."""
    match = REC_LABEL.match(lines[index].text)
    if not match or not _paragraph_start(lines, index):
        return False
    rest = lines[index].text[match.end() :]
    return bool(match.group("n")) or is_verb_opening(rest) or bool(ITEM_COMMITTEE.match(rest))


def item_lists(section: SectionText, interleaved_answers: bool) -> list[RecList]:
    lines = lines_of(section.text)
    lists: list[RecList] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        trigger: tuple[int, str] | None = None
        items_from = index + 1
        if line.text:
            first, sentence = sentence_before(lines, index)
            if is_trigger(sentence):
                trigger = (first, sentence)
            elif is_heading(lines, index):
                trigger = (index, line.text)
            elif _self_labelled(lines, index):
                trigger, items_from = (index, ""), index
        if trigger is None:
            index += 1
            continue
        first, sentence = trigger
        addressee = addressee_of(sentence)
        committee = normalise_committee(addressee) if addressee else None
        rec_list = RecList(
            section=section,
            trigger=sentence,
            start=lines[first].start,
            end=line.end,
            addressee=addressee,
            committee=committee or normalise_committee(sentence),
            past=bool(PAST.search(sentence)),
        )
        index = max(_read_items(lines, items_from, rec_list, interleaved_answers), index + 1)
        if rec_list.items:
            lists.append(rec_list)
    return lists


def committee_label(text: str) -> str | None:
    """A line naming only the nämnder the following items are for ("Socialnämnden:")."""
    text = text.strip().rstrip(":").strip()
    if not text or len(text.split()) > 8 or SENTENCE_END.search(text):
        return None
    words = re.split(r"\s*(?:,|\boch\b|\bsamt\b)\s*", text)
    if all(_COMMITTEE_WORD.search(w) and len(w.split()) <= 3 for w in words if w):
        return text
    return None


# --- items ------------------------------------------------------------------------------------


def _paragraph_start(lines: list[Line], index: int) -> bool:
    for j in range(index - 1, -1, -1):
        if lines[j].blank:
            return True
        return bool(SENTENCE_END.search(lines[j].text) or lines[j].text.endswith(":"))
    return True


def _verb_sentence(lines: list[Line], index: int) -> int | None:
    """Last line of a recommendation sentence opening on ``index`` and ending at a line end."""
    if not is_verb_opening(lines[index].text) or not _paragraph_start(lines, index):
        return None
    for j in range(index, min(index + _MAX_ITEM_LINES, len(lines))):
        text = lines[j].text
        if not text:
            return j - 1 if j > index else None
        if SENTENCE_END.search(text):
            # A sentence that stops mid-line and runs on is prose, not a recommendation heading.
            inner = text[:-1]
            return j if not re.search(r"[.!?]\s+[A-ZÅÄÖ]", inner) else None
    return None


def _read_items(lines: list[Line], index: int, rec_list: RecList, interleaved: bool) -> int:
    while index < len(lines) and lines[index].blank:
        index += 1
    if index >= len(lines):
        return index
    if committee_label(lines[index].text) and _next_bulleted(lines, index):
        return _read_bullets(lines, index, rec_list, interleaved)
    bulleted, _ = strip_bullet(lines[index].text)
    if bulleted:
        return _read_bullets(lines, index, rec_list, interleaved)
    return _read_unbulleted(lines, index, rec_list, interleaved)


def _next_bulleted(lines: list[Line], index: int) -> bool:
    following = next((line for line in lines[index + 1 :] if not line.blank), None)
    return following is not None and strip_bullet(following.text)[0]


def _add_item(rec_list: RecList, parts: list[Line], addressee: str | None = None) -> None:
    text = clean_item(" ".join(strip_bullet(p.text)[1] for p in parts))
    own = ITEM_COMMITTEE.match(text)
    if own:
        # "Kommunstyrelsen bör säkerställa …": the item names its own nämnd.
        addressee, text = own.group("who"), text[own.end() :]
        text = re.sub(r"^att\s+", "", text)
    text = display_text(text)
    if len(text.split()) >= MIN_ITEM_WORDS:
        rec_list.items.append(Item(text, parts[0].start, parts[-1].end, addressee=addressee))


def _add_answer(rec_list: RecList, prose: list[Line]) -> None:
    if not prose or not rec_list.items:
        return
    item = rec_list.items[-1]
    item.answer = "\n".join(p.text for p in prose if p.text)
    item.answer_start, item.answer_end = prose[0].start, prose[-1].end


def _read_bullets(lines: list[Line], index: int, rec_list: RecList, interleaved: bool) -> int:
    current: list[Line] = []
    prose: list[Line] = []
    blank_before = False
    label: str | None = None  # the nämnd a "Socialnämnden" line sets for the items below it
    while index < len(lines):
        line = lines[index]
        if line.blank:
            blank_before = True
            index += 1
            continue
        bulleted, rest = strip_bullet(line.text)
        if bulleted and not prose:
            if current:
                _add_item(rec_list, current, label)
            current, blank_before = [line], False
        elif bulleted and prose:
            rec_list.interleaved = True
            if current:
                _add_item(rec_list, current, label)
                current = []
            _add_answer(rec_list, prose)
            prose, current, blank_before = [], [line], False
        elif not prose and committee_label(line.text) and _next_bulleted(lines, index):
            if current:
                _add_item(rec_list, current, label)
                current = []
            label, blank_before = committee_label(line.text), False
        elif current and not prose and _continues(current[-1].text, rest, blank_before):
            current.append(line)
            blank_before = False
        elif interleaved and (current or prose) and not opens_other_list(line.text):
            if current:
                _add_item(rec_list, current, label)
                current = []
            prose.append(line)
            blank_before = False
        else:
            break
        index += 1
    if current:
        _add_item(rec_list, current, label)
    if prose and rec_list.interleaved:
        _add_answer(rec_list, prose)
    return index


# An item that ends by citing its section ("… (avsnitt 3.4)") is complete: a PDF without blank
# lines between paragraphs otherwise runs the signature after the list into the last item.
_CITATION_END = re.compile(r"\((?:se\s+)?avsnitt[^()]*\)$", re.IGNORECASE)


def _continues(previous: str, text: str, blank_before: bool) -> bool:
    if not text:
        return False
    if text[0].islower():
        return True
    return (
        not blank_before
        and not re.search(r"[.!?;:]$", previous)
        and not _CITATION_END.search(previous)
    )


def _read_unbulleted(lines: list[Line], index: int, rec_list: RecList, interleaved: bool) -> int:
    prose: list[Line] = []
    while index < len(lines):
        line = lines[index]
        if line.blank:
            index += 1
            continue
        last = _verb_sentence(lines, index)
        if last is not None:
            if prose:
                rec_list.interleaved = True
                _add_answer(rec_list, prose)
                prose = []
            _add_item(rec_list, lines[index : last + 1])
            index = last + 1
            continue
        if not interleaved or not rec_list.items or opens_other_list(line.text):
            break
        prose.append(line)
        index += 1
    if prose and rec_list.interleaved:
        _add_answer(rec_list, prose)
    elif prose and interleaved and rec_list.items:
        rec_list.interleaved = True
        _add_answer(rec_list, prose)
    return index


def recommendation_lists(doc: DocumentText, interleaved_answers: bool = False) -> list[RecList]:
    return [
        rec_list
        for section in doc.sections
        for rec_list in item_lists(section, interleaved_answers)
    ]


def display_text(text: str) -> str:
    """A recommendation as one capitalised line without a closing full stop."""
    text = text.strip().rstrip(".").strip()
    return text[:1].upper() + text[1:]
