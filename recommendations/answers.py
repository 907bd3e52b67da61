"""What the nämnd answered: answers in packets and protocols, and in a follow-up report.

A packet item answering the revisorer either quotes the recommendations ("Revisionen rekommenderar
socialnämnden att:" and each one followed by the nämnd's text), or decides to adopt a yttrande as
the nämnd's answer to a named audit ("att anta Yttrande – Grundläggande granskning … som
socialnämndens svar på revisionens skrivelse"). A follow-up report may print the nämnd's answer to
the earlier audit under "Socialnämndens svar".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.vocabulary import ANSWER_NOUN, ANSWER_TO, AUDITORS_GENITIVE, COMMITTEE_GENITIVE
from recommendations.documents import DocumentText, SectionText
from recommendations.language import cited_sections, lines_of
from recommendations.lists import display_text, recommendation_lists
from recommendations.models import Answer, Recommendation, one_line, stable_id

_AUDIT_WORDS = re.compile(r"revision|revisor|granskning", re.IGNORECASE)
_ANSWER_TITLE = re.compile(
    r"\b(?:svar|yttrande|yttrandet)\b.*\b(?:granskning|revision)|"
    rf"\b{AUDITORS_GENITIVE}\b.*\bgranskning",
    re.IGNORECASE,
)
_ANSWER_DECISION = re.compile(
    rf"(?:som|utgöra|utgör)\s+\S*{COMMITTEE_GENITIVE}\s+{ANSWER_NOUN}"
    rf"|svar\s+(?:på|till)\s+(?:{AUDITORS_GENITIVE}|revisionen|revisorerna)"
    rf"|yttrande\s+(?:över|på)\s+{AUDITORS_GENITIVE}",
    re.IGNORECASE,
)
_REPORT_ANSWER_HEADING = re.compile(
    rf"^(?:\S+{COMMITTEE_GENITIVE}|nämndens)\s+{ANSWER_NOUN}\d*$", re.I
)
_TITLE_NOISE = re.compile(
    rf"^{AUDITORS_GENITIVE}\s+|^\S+{COMMITTEE_GENITIVE}\s+"
    rf"{ANSWER_NOUN}\s+{ANSWER_TO}\s+|^{ANSWER_NOUN}\s+{ANSWER_TO}?\s*"
    r"|^yttrande\s*[-–—:]\s*",
    re.IGNORECASE,
)
_DECISION_SECTIONS = re.compile(r"förslag till beslut|^beslut$|beslutsförslag", re.IGNORECASE)
_MAX_ANSWER_CHARS = 4000


@dataclass
class QuotedRecommendations:
    """Recommendations a packet item quotes, and the answers it gives (one per recommendation
    when interleaved, else the item's decision as one answer to all of them)."""

    recommendations: list[Recommendation]
    answers: list[Answer]
    answer_of: dict[str, list[str]]  # answer_id → rec_ids it answers (before linking to reports)


def audit_title(title: str | None) -> str | None:
    """The audit an answering item names: "Socialnämndens svar på ”X”" → "X"."""
    if not title:
        return None
    text = one_line(title)
    for _ in range(2):
        text = _TITLE_NOISE.sub("", text).strip()
    text = text.strip(" ”\"“'’«»")
    return text[:1].upper() + text[1:] if text else None


def _trim(text: str) -> str:
    """Answer text without a trailing signature ("Mats Collin / Förvaltningschef")."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    while lines and (
        not lines[-1].strip()
        or (len(lines[-1]) < 40 and not re.search(r"[.!?:]$", lines[-1].strip()))
    ):
        lines.pop()
    return "\n".join(lines)[:_MAX_ANSWER_CHARS]


def _decision(doc: DocumentText) -> tuple[SectionText, int, int, str] | None:
    """An item's decision: its "Förslag till beslut"/"Beslut" section, or the answer sentence."""
    for section in doc.sections:
        if section.title and _DECISION_SECTIONS.search(section.title):
            body = section.text[section.body_start :]
            if _ANSWER_DECISION.search(one_line(body)):
                return section, section.body_start, len(section.text), _trim(body)
    for section in doc.sections:
        match = _ANSWER_DECISION.search(section.text)
        if match:
            start = section.text.rfind("\n\n", 0, match.start()) + 1
            end = section.text.find("\n\n", match.end())
            end = len(section.text) if end == -1 else end
            return section, start, end, _trim(section.text[start:end])
    return None


def is_answer_item(doc: DocumentText) -> bool:
    return bool(_ANSWER_TITLE.search(doc.doc.title or "")) or _decision(doc) is not None


def packet_answers(doc: DocumentText) -> QuotedRecommendations:
    """Quoted recommendations and answers of one packet or protocol item."""
    source = doc.source
    title = audit_title(doc.doc.title)
    decision = _decision(doc)
    answer_like = bool(_ANSWER_TITLE.search(doc.doc.title or "")) or decision is not None
    recs: list[Recommendation] = []
    answers: list[Answer] = []
    answer_of: dict[str, list[str]] = {}
    for rec_list in recommendation_lists(doc, interleaved_answers=True):
        if not (_AUDIT_WORDS.search(rec_list.trigger) or answer_like):
            continue
        section = rec_list.section
        for item in rec_list.items:
            cited, text = cited_sections(item.text)
            text = display_text(text)
            rec = Recommendation(
                rec_id=stable_id("rek", source.doc_id, False, text),
                text=text,
                committee=rec_list.committee or source.committee,
                addressee=rec_list.addressee,
                cited_sections=cited,
                source=source,
                locations=(section.location(item.start, item.end),),
                origin="handling",
                audit_title=title,
            )
            recs.append(rec)
            if item.answer.strip() and item.answer_start is not None:
                answer = Answer(
                    answer_id=stable_id("svar", source.doc_id, text),
                    text=_trim(item.answer),
                    quoted=text,
                    kind="svar",
                    source=source,
                    location=section.location(item.answer_start, item.answer_end),
                    audit_title=title,
                )
                answers.append(answer)
                answer_of[answer.answer_id] = [rec.rec_id]
    if decision is not None or (answer_like and recs and not answers):
        if decision is not None:
            section, start, end, text = decision
            location = section.location(start, end)
        else:
            text, location = "", recs[0].locations[0]
        answer = Answer(
            answer_id=stable_id("svar", source.doc_id, "beslut"),
            text=text,
            quoted=None,
            kind="beslut",
            source=source,
            location=location,
            audit_title=title,
        )
        answers.append(answer)
        # The decision answers what the item quotes only when no nämnd text answers it already.
        answer_of[answer.answer_id] = [] if len(answers) > 1 else [r.rec_id for r in recs]
    return QuotedRecommendations(recs, answers, answer_of)


def report_answers(doc: DocumentText) -> list[Answer]:
    """The nämnd's answer to an earlier audit as a follow-up report prints it."""
    answers = []
    source = doc.source
    for section in doc.sections:
        lines = lines_of(section.text)
        for i, line in enumerate(lines):
            if not _REPORT_ANSWER_HEADING.match(line.text):
                continue
            start = lines[i + 1].start if i + 1 < len(lines) else line.end
            end = len(section.text)
            for later in lines[i + 1 :]:
                if _REPORT_ANSWER_HEADING.match(later.text):
                    end = later.start
                    break
            text = _trim(section.text[start:end])
            if len(text.split()) < 10:
                continue
            answers.append(
                Answer(
                    answer_id=stable_id("svar", source.doc_id, line.text),
                    text=text,
                    quoted=None,
                    kind="svar i rapport",
                    source=source,
                    location=section.location(start, end),
                    audit_title=source.title,
                )
            )
    return answers
