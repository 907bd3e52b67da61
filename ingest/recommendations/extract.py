"""Recommendations in a report: the lists after "rekommenderar vi X att:", "Rekommendationer"
headings and single "Vi rekommenderar att …" sentences, merged into one record per recommendation.

A report states each recommendation two or three times (Sammanfattning, the bedömning of its
section, Slutsats och rekommendationer); those copies become one record with every location. Two
items of the same list are never merged: a list never repeats itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.places import normalise_committee
from ingest.recommendations.documents import DocumentText, SectionText
from ingest.recommendations.language import (
    REC_LABEL,
    SENTENCE_END,
    YEAR,
    Line,
    cited_sections,
    clean_item,
    is_verb_opening,
    lines_of,
    sentences,
    strip_bullet,
)
from ingest.recommendations.models import Recommendation, stable_id
from ingest.recommendations.similarity import Similarity
from ingest.recommendations.tables import tables

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
_ITEM_COMMITTEE = re.compile(
    r"^(?P<who>(?:[\wåäöÅÄÖ-]+\s+(?:och|samt)\s+)?[\wåäöÅÄÖ-]+(?:nämnden|styrelsen|fullmäktige)"
    r"(?:\s+(?:och|samt)\s+[\wåäöÅÄÖ-]+(?:nämnden|styrelsen))?)"
    r"\s*(?::\s*|\s+(?:bör|ska|behöver|rekommenderas(?:\s+att)?)\s+)",
    re.IGNORECASE,
)
_EARLIER_HEADING = re.compile(
    r"tidigare granskning|föregående granskning|ursprungliga granskning|tidigare rekommendation",
    re.IGNORECASE,
)
_INLINE = re.compile(
    r"\b(?:vi|revisionen|revisorerna)\s+(?P<verb>rekommenderar|rekommenderade)\b"
    r"|\b(?P<verb2>rekommenderar|rekommenderade)\s+vi\b",
    re.IGNORECASE,
)
_INLINE_LEAD = re.compile(r"^(?:\s*(?:därför|också|även|dessutom|vidare)\b)*\s*(?:att\s+)?", re.I)
_MAX_TRIGGER_LINES = 3
_MAX_ITEM_LINES = 6
_MIN_ITEM_WORDS = 3


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


def _is_trigger(sentence: str) -> bool:
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
    return bool(match.group("n")) or is_verb_opening(rest) or bool(_ITEM_COMMITTEE.match(rest))


def _item_lists(section: SectionText, interleaved_answers: bool) -> list[RecList]:
    lines = lines_of(section.text)
    lists: list[RecList] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        trigger: tuple[int, str] | None = None
        items_from = index + 1
        if line.text:
            first, sentence = _sentence_before(lines, index)
            if _is_trigger(sentence):
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
    own = _ITEM_COMMITTEE.match(text)
    if own:
        # "Kommunstyrelsen bör säkerställa …": the item names its own nämnd.
        addressee, text = own.group("who"), text[own.end() :]
        text = re.sub(r"^att\s+", "", text)
    text = display_text(text)
    if len(text.split()) >= _MIN_ITEM_WORDS:
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
        for rec_list in _item_lists(section, interleaved_answers)
    ]


def display_text(text: str) -> str:
    """A recommendation as one capitalised line without a closing full stop."""
    text = text.strip().rstrip(".").strip()
    return text[:1].upper() + text[1:]


# --- reports ----------------------------------------------------------------------------------


@dataclass
class _Candidate:
    text: str
    cited: tuple[str, ...]
    section_index: int
    start: int
    end: int
    list_key: tuple[int, int] | None
    earlier: bool
    earlier_year: int | None
    addressee: str | None
    committee: str | None
    priority: int


def _earlier_year(
    doc: DocumentText, section: SectionText, sentence: str, before: str
) -> int | None:
    year = doc.doc.year or 9999
    for text in (sentence, section.path_text):
        found = [int(y) for y in YEAR.findall(text) if int(y) < year]
        if found:
            return found[-1]
    found = [int(y) for y in YEAR.findall(before) if int(y) < year]
    return max(found) if found else None


def _inline_candidates(doc: DocumentText, index: int, section: SectionText) -> list[_Candidate]:
    found = []
    text = section.text
    for start, end in sentences(text):
        raw = text[start:end]
        sentence = " ".join(raw.split())
        match = _INLINE.search(sentence)
        if not match or _opens_list(raw):
            continue
        rest = _INLINE_LEAD.sub("", sentence[match.end() :], count=1).rstrip(". ")
        addressee = normalise_committee(rest[:60])
        rest = re.sub(r"^\S+(?:nämnden|styrelsen|fullmäktige)\s+(?:att\s+)?", "", rest)
        cited, cleaned = cited_sections(rest)
        cleaned = display_text(cleaned)
        if len(cleaned.split()) < _MIN_ITEM_WORDS:
            continue
        past = (match.group("verb") or match.group("verb2") or "").casefold().endswith("de")
        found.append(
            _Candidate(
                text=cleaned,
                cited=cited,
                section_index=index,
                start=start,
                end=end,
                list_key=None,
                earlier=past,
                earlier_year=_earlier_year(doc, section, sentence, text[:start]) if past else None,
                addressee=addressee,
                committee=addressee,
                priority=3,
            )
        )
    return found


def _opens_list(raw: str) -> bool:
    """Does the sentence hold a list trigger ("… rekommenderar vi X att" and a line break)?"""
    match = _INLINE.search(" ".join(raw.split()))
    lines = raw.splitlines()
    for count in range(1, len(lines) + 1):
        head = " ".join(" ".join(lines[:count]).split())
        if match and len(head) >= match.end() and _is_trigger(head):
            return True
    return False


def _candidates(doc: DocumentText) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    for index, section in enumerate(doc.sections):
        for list_number, rec_list in enumerate(_item_lists(section, interleaved_answers=False)):
            earlier_section = bool(_EARLIER_HEADING.search(section.path_text))
            earlier = rec_list.past or earlier_section
            year = (
                _earlier_year(doc, section, rec_list.trigger, section.text[: rec_list.start])
                if earlier
                else None
            )
            priority = 0 if section.kind == "slutsats/rekommendationer" else 1
            for item in rec_list.items:
                cited, cleaned = cited_sections(item.text)
                cleaned = display_text(cleaned)
                candidates.append(
                    _Candidate(
                        text=cleaned,
                        cited=cited,
                        section_index=index,
                        start=item.start,
                        end=item.end,
                        list_key=(index, list_number),
                        earlier=earlier,
                        earlier_year=year,
                        addressee=item.addressee or rec_list.addressee,
                        committee=(
                            normalise_committee(item.addressee)
                            if item.addressee
                            else rec_list.committee
                        ),
                        priority=priority,
                    )
                )
        candidates.extend(_inline_candidates(doc, index, section))
        candidates.extend(_table_candidates(doc, index, section))
    return candidates


# A table of recommendations: "Nr | Rekommendation | Ansvarig | Prioritet", "Rekommendation 2018 |
# Vidtagna åtgärder | Status" (a follow-up's table of the earlier ones).
_REC_COLUMN = re.compile(
    r"rekommendation|åtgärdsförslag|förslag\s+till\s+åtgärd|förbättringsområde", re.IGNORECASE
)
_COMMITTEE_COLUMN = re.compile(
    r"nämnd|styrelse|ansvar|adressat|mottagare|berörd|riktad\s+till", re.IGNORECASE
)
_SECTION_COLUMN = re.compile(r"avsnitt|hänvisning|referens|kapitel|^se$", re.IGNORECASE)
_EARLIER_COLUMN = re.compile(r"tidigare|ursprunglig|föregående|lämnad", re.IGNORECASE)


def _table_candidates(doc: DocumentText, index: int, section: SectionText) -> list[_Candidate]:
    found = []
    for table_number, table in enumerate(tables(section.text)):
        rec_column = table.column(_REC_COLUMN)
        if rec_column is None or table.header is None:
            continue
        committee_column = table.column(_COMMITTEE_COLUMN, exclude=(rec_column,))
        section_column = table.column(_SECTION_COLUMN, exclude=(rec_column,))
        heading = table.header[rec_column]
        doc_year = doc.doc.year or 9999
        header_years = [int(y) for y in YEAR.findall(heading) if int(y) < doc_year]
        earlier = bool(
            header_years
            or _EARLIER_COLUMN.search(heading)
            or _EARLIER_HEADING.search(section.path_text)
        )
        year = (
            (header_years[-1] if header_years else _earlier_year(doc, section, heading, ""))
            if earlier
            else None
        )
        for row in table.rows:
            if rec_column >= len(row.cells):
                continue
            text = strip_bullet(row.cells[rec_column])[1]
            addressee = row.cells[committee_column] if committee_column is not None else None
            if committee_column is not None and committee_column >= len(row.cells):
                addressee = None
            own = _ITEM_COMMITTEE.match(text)
            if own:
                addressee, text = own.group("who"), re.sub(r"^att\s+", "", text[own.end() :])
            cited, cleaned = cited_sections(text)
            if section_column is not None and section_column < len(row.cells):
                cited = tuple(dict.fromkeys(_SECTION_NUMBERS.findall(row.cells[section_column])))
                cited += tuple(n for n in cited_sections(text)[0] if n not in cited)
            cleaned = display_text(cleaned)
            if len(cleaned.split()) < _MIN_ITEM_WORDS:
                continue
            committee = normalise_committee(addressee) if addressee else None
            found.append(
                _Candidate(
                    text=cleaned,
                    cited=cited,
                    section_index=index,
                    start=row.start,
                    end=row.end,
                    list_key=(index, 1000 + table_number),
                    earlier=earlier,
                    earlier_year=year,
                    addressee=addressee if committee else None,
                    committee=committee,
                    priority=0 if section.kind == "slutsats/rekommendationer" else 1,
                )
            )
    return found


_SECTION_NUMBERS = re.compile(r"(?<![\d.])\d{1,2}(?:\.\d{1,2}){0,3}(?![\d.]*\d)")


MERGE_THRESHOLD = 0.75


def report_recommendations(doc: DocumentText, similarity: Similarity) -> list[Recommendation]:
    """One record per recommendation of a report, with all its locations, in document order."""
    groups: list[list[_Candidate]] = []
    ordered = sorted(_candidates(doc), key=lambda c: (c.priority, c.section_index, c.start))
    for candidate in ordered:
        best, best_score = None, 0.0
        for group in groups:
            if group[0].earlier != candidate.earlier:
                continue
            if candidate.list_key is not None and any(
                c.list_key == candidate.list_key for c in group
            ):
                continue
            score = similarity.overlap(group[0].text, candidate.text)
            if score > best_score:
                best, best_score = group, score
        if best is not None and best_score >= MERGE_THRESHOLD:
            best.append(candidate)
        else:
            groups.append([candidate])
    records = []
    source = doc.source
    for group in groups:
        head = group[0]
        spots = sorted(group, key=lambda c: (c.section_index, c.start))
        locations = tuple(doc.sections[c.section_index].location(c.start, c.end) for c in spots)
        cited = tuple(dict.fromkeys(n for c in group for n in c.cited))
        committee = next((c.committee for c in group if c.committee), None) or source.committee
        addressee = next((c.addressee for c in group if c.addressee), None)
        records.append(
            (
                (spots[0].section_index, spots[0].start),
                Recommendation(
                    rec_id=stable_id("rek", source.doc_id, head.earlier, head.text),
                    text=head.text,
                    committee=committee,
                    addressee=addressee,
                    cited_sections=cited,
                    source=source,
                    locations=locations,
                    earlier=head.earlier,
                    earlier_year=head.earlier_year if head.earlier else None,
                    origin="rapport",
                    audit_title=source.title,
                ),
            )
        )
    records.sort(key=lambda pair: (pair[1].earlier, pair[0]))
    return [record for _, record in records]
