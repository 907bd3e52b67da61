"""Recommendations in a report: the lists after "rekommenderar vi X att:", "Rekommendationer"
headings and single "Vi rekommenderar att …" sentences, merged into one record per recommendation.

A report states each recommendation two or three times (Sammanfattning, the bedömning of its
section, Slutsats och rekommendationer); those copies become one record with every location. Two
items of the same list are never merged: a list never repeats itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.committees import normalise_committee
from ingest.vocabulary import COMMITTEE_NOUN, YEAR
from recommendations.documents import DocumentText, SectionText
from recommendations.language import (
    cited_sections,
    sentences,
    strip_bullet,
)
from recommendations.lists import (
    EARLIER_HEADING,
    ITEM_COMMITTEE,
    MIN_ITEM_WORDS,
    display_text,
    item_lists,
)
from recommendations.models import Recommendation, stable_id
from recommendations.similarity import Similarity
from recommendations.tables import tables
from recommendations.triggers import INLINE, INLINE_LEAD, is_trigger


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
        match = INLINE.search(sentence)
        if not match or _opens_list(raw):
            continue
        rest = INLINE_LEAD.sub("", sentence[match.end() :], count=1).rstrip(". ")
        addressee = normalise_committee(rest[:60])
        rest = re.sub(rf"^\S+{COMMITTEE_NOUN}\s+(?:att\s+)?", "", rest)
        cited, cleaned = cited_sections(rest)
        cleaned = display_text(cleaned)
        if len(cleaned.split()) < MIN_ITEM_WORDS:
            continue
        past = (
            (match.group("verb") or match.group("verb2") or match.group("verb3") or "")
            .casefold()
            .endswith("de")
        )
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
    match = INLINE.search(" ".join(raw.split()))
    lines = raw.splitlines()
    for count in range(1, len(lines) + 1):
        head = " ".join(" ".join(lines[:count]).split())
        if match and len(head) >= match.end() and is_trigger(head):
            return True
    return False


def _candidates(doc: DocumentText) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    for index, section in enumerate(doc.sections):
        for list_number, rec_list in enumerate(item_lists(section, interleaved_answers=False)):
            earlier_section = bool(EARLIER_HEADING.search(section.path_text))
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
            or EARLIER_HEADING.search(section.path_text)
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
            own = ITEM_COMMITTEE.match(text)
            if own:
                addressee, text = own.group("who"), re.sub(r"^att\s+", "", text[own.end() :])
            cited, cleaned = cited_sections(text)
            if section_column is not None and section_column < len(row.cells):
                cited = tuple(dict.fromkeys(_SECTION_NUMBERS.findall(row.cells[section_column])))
                cited += tuple(n for n in cited_sections(text)[0] if n not in cited)
            cleaned = display_text(cleaned)
            if len(cleaned.split()) < MIN_ITEM_WORDS:
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
