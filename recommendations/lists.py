"""Recommendation lists in a document's text: the lists after "rekommenderar vi X att:",
"Rekommendationer" headings and their items, whom they are addressed to, and the answers a packet
interleaves with them. Reports (``recommendations.extract``) and answers
(``recommendations.answers``) both read lists with this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.places import normalise_committee
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

_TRIGGER_WORD = re.compile(
    r"\brekommender(?:ar|as|ades|ade)\b|\brekommendation(?:er|erna)?\b", re.IGNORECASE
)
_PAST = re.compile(r"\brekommenderade(?:s)?\b|\blämnades\b|\bgavs\b", re.IGNORECASE)
# A heading over a list of recommendations, with or without its number ("6 Förslag till åtgärder").
_HEADING = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+)?(?:(?:våra|revisionens|revisorernas)\s+)?"
    r"(?:rekommendation(?:er)?|förslag\s+till\s+åtgärder|åtgärdsförslag|förbättringsförslag"
    r"|förbättringsområden|utvecklingsområden)"
    r"(?:\s+(?:till|för)\s+[\wåäöÅÄÖ ,-]+?)?\s*:?$",
    re.IGNORECASE,
)
# Who a trigger's recommendations come from. A recommendation is the auditors' own: "vi",
# "revisionen", "revisorerna" (or the byrå) recommend, a nämnd "rekommenderas", or the report
# "lämnar följande rekommendationer". Socialstyrelsen, SKR or "kommunen" recommending something
# in a bakgrund or tjänsteskrivelse is not an audit recommendation.
_AUDITOR = (
    r"(?:vi|revisionen|revisorerna|revisorer|de\s+förtroendevalda\s+revisorerna|granskningen"
    r"|rapporten|revisionskontoret|KPMG|EY|PwC|Deloitte|Grant\s+Thornton|BDO)"
)
_ACTIVE_VERB = re.compile(r"\brekommender(?:ar|ade|at)\b", re.IGNORECASE)
_AUDITOR_SUBJECT = re.compile(
    rf"\b{_AUDITOR}\s+(?:\w+\s+){{0,2}}?(?:har\s+)?rekommender(?:ar|ade|at)\b"
    rf"|\brekommender(?:ar|ade)\s+(?:därför\s+|också\s+|även\s+|dessutom\s+)*{_AUDITOR}\b",
    re.IGNORECASE,
)
_FOREIGN_SOURCE = re.compile(
    r"\b(?i:rekommendation\w*\s+(?:från|av|utfärdade\s+av|framtagna\s+av)\s+"
    r"(?!oss\b|revision|revisor|granskning))"
    r"|\b(?!(?i:revisionens|revisorernas|granskningens|rapportens|byråns)\b)[A-ZÅÄÖ][\wåäö:]*s\s+"
    r"(?:\w+\s+)?rekommendation"
    r"|\b(?i:rekommenderas\s+av\s+(?!oss\b|revision|revisor))"
    r"|\b(?i:(?:nationella|allmänna)\s+(?:\w+\s+)?rekommendation)",
)
_NOT_ADDRESSEES = re.compile(
    r"^(?:\w+\s+)?(?:kommunerna|kommuner|invånarna|invånare|medborgarna|allmänheten|"
    r"vårdnadshavar\w*|föräldrar\w*|föreningar\w*|regionerna|huvudmännen|patienter\w*|"
    r"brukar\w*|elever\w*|företag\w*|alla)\b",
    re.IGNORECASE,
)
_COMMITTEE_WORD = re.compile(
    r"(?:nämnd(?:en|s|ens)?|styrelse(?:n|ns)?|fullmäktige(?:s)?)\b", re.IGNORECASE
)
# "Kommunstyrelsen bör säkerställa …", "Socialnämnden rekommenderas att …", "Socialnämnden: …"
ITEM_COMMITTEE = re.compile(
    r"^(?P<who>(?:[\wåäöÅÄÖ-]+\s+(?:och|samt)\s+)?[\wåäöÅÄÖ-]+(?:nämnden|styrelsen|fullmäktige)"
    r"(?:\s+(?:och|samt)\s+[\wåäöÅÄÖ-]+(?:nämnden|styrelsen))?)"
    r"\s*(?::\s*|\s+(?:bör|ska|behöver|rekommenderas(?:\s+att)?)\s+)",
    re.IGNORECASE,
)
EARLIER_HEADING = re.compile(
    r"tidigare granskning|föregående granskning|ursprungliga granskning|tidigare rekommendation",
    re.IGNORECASE,
)
INLINE = re.compile(
    r"\b(?:vi|revisionen|revisorerna)\s+(?P<verb>rekommenderar|rekommenderade)\b"
    r"|\b(?P<verb2>rekommenderar|rekommenderade)\s+vi\b",
    re.IGNORECASE,
)
INLINE_LEAD = re.compile(r"^(?:\s*(?:därför|också|även|dessutom|vidare)\b)*\s*(?:att\s+)?", re.I)
_MAX_TRIGGER_LINES = 3
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


# --- triggers ---------------------------------------------------------------------------------


def _sentence_before(lines: list[Line], index: int) -> tuple[int, str]:
    """The sentence that ends on line ``index``: first line index and its text on one line."""
    first = index
    for j in range(index - 1, max(index - _MAX_TRIGGER_LINES, -1), -1):
        text = lines[j].text
        if not text or SENTENCE_END.search(text) or text.endswith(":"):
            break
        first = j
    joined = " ".join(line.text for line in lines[first : index + 1])
    # Only the last sentence of those lines: "… behöver stärkas. Utifrån … rekommenderar vi".
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", joined)
    return first, parts[-1]


def is_trigger(sentence: str) -> bool:
    if not _TRIGGER_WORD.search(sentence) or not is_auditors(sentence):
        return False
    stripped = sentence.rstrip()
    if stripped.endswith(":"):
        return True
    return bool(re.search(r"\batt$", stripped)) and bool(
        re.search(r"rekommender(?:ar|as|ades|ade)\b", stripped, re.I)
    )


def is_auditors(sentence: str) -> bool:
    """Are the recommendations the sentence speaks of the auditors' own (not Socialstyrelsen's,
    SKR's, or the kommun's advice to its invånare)?"""
    if _FOREIGN_SOURCE.search(sentence):
        return False
    if _ACTIVE_VERB.search(sentence) and not _AUDITOR_SUBJECT.search(sentence):
        return False
    addressee = _addressee(sentence)
    return not (addressee and _NOT_ADDRESSEES.match(addressee))


def _addressee(sentence: str) -> str | None:
    passive = re.search(
        r"(?P<a>[\wåäöÅÄÖ-]+(?:nämnden|styrelsen|fullmäktige)(?:\s*(?:,|och|samt)\s*"
        r"[\wåäöÅÄÖ-]+(?:nämnden|styrelsen|fullmäktige))*)\s+rekommenderas\b",
        sentence,
        re.IGNORECASE,
    )
    if passive:
        return passive.group("a")
    patterns = (
        r"rekommender\w*\s+(?:vi\s+|revisionen\s+|revisorerna\s+)?"
        r"(?:därför\s+|också\s+|även\s+)*(?P<a>.*?)\s*\batt\s*:?\s*$",
        r"rekommender\w*\s+(?:vi\s+)?att\s+(?P<a>[^:]*?)\s*:?\s*$",
        r"rekommendation\w*\s+(?:till|för)\s+(?P<a>[^:]*?)\s*:?\s*$",
    )
    for pattern in patterns:
        match = re.search(pattern, sentence, re.IGNORECASE)
        if match and match.group("a").strip():
            return match.group("a").strip(" ,")
    return None


def _standalone(lines: list[Line], index: int) -> bool:
    """Is line ``index`` a line of its own: after a blank line (or first), not a sentence?"""
    if SENTENCE_END.search(lines[index].text):
        return False
    return index == 0 or lines[index - 1].blank


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
            first, sentence = _sentence_before(lines, index)
            if is_trigger(sentence):
                trigger = (first, sentence)
            elif _HEADING.match(line.text) and _standalone(lines, index):
                trigger = (index, line.text)
            elif _self_labelled(lines, index):
                trigger, items_from = (index, ""), index
        if trigger is None:
            index += 1
            continue
        first, sentence = trigger
        addressee = _addressee(sentence)
        committee = normalise_committee(addressee) if addressee else None
        rec_list = RecList(
            section=section,
            trigger=sentence,
            start=lines[first].start,
            end=line.end,
            addressee=addressee,
            committee=committee or normalise_committee(sentence),
            past=bool(_PAST.search(sentence)),
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
        elif interleaved and (current or prose) and not _opens_other_list(line.text):
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


def _opens_other_list(text: str) -> bool:
    """A line that is a list's trigger of its own ends the answer prose before it."""
    return bool(_TRIGGER_WORD.search(text)) and text.rstrip().endswith(":")


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
        if not interleaved or not rec_list.items or _opens_other_list(line.text):
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
