"""A report's overall verdict and its answer to each revisionsfråga.

The verdict is the graded word of the "sammanfattande bedömning" sentence: ändamålsenlig, i
huvudsak, delvis, till viss del or inte. Answers per revisionsfråga come from a Ja/Delvis/Nej (or
Uppfyllt/Delvis uppfyllt/Ej uppfyllt) table when the report has one, else from the bedömning whose
words best cover the question.
"""

from __future__ import annotations

import re

from ingest.recommendations.documents import DocumentText, SectionText
from ingest.recommendations.language import (
    ANSWER_WORD,
    answer_level,
    lines_of,
    sentences,
    strip_bullet,
    verdict_level,
)
from ingest.recommendations.models import QuestionAnswer, Verdict, one_line, stable_id
from ingest.recommendations.similarity import Similarity

_SUMMARY = re.compile(
    r"\b(?:sammanfattande|samlade|sammantagna|övergripande|sammanvägda|sammantagen)\s+bedömning"
    r"|\bsammantaget\s+bedömer\b|\bsammanfattningsvis\s+bedömer\b|\bbedömer\s+(?:vi\s+)?"
    r"(?:sammantaget|sammanfattningsvis)\b|\bvår\s+bedömning\s+är\s+sammantaget\b",
    re.IGNORECASE,
)
_VERDICT_KINDS = ("slutsats/rekommendationer", "sammanfattning")
_QUESTION_KINDS = ("syfte/revisionsfrågor",)
_HTML = re.compile(r"<[^>]+>")


def _clean_cell(text: str) -> str:
    text = _HTML.sub(" ", text).replace("&nbsp;", " ")
    return one_line(text.replace("▶", " ").replace("•", " "))


# --- overall verdict --------------------------------------------------------------------------


def report_verdict(doc: DocumentText) -> Verdict | None:
    """The overall verdict, located in every section that states it (Sammanfattning, Slutsats)."""
    found: list[tuple[int, SectionText, int, int, str, str]] = []
    for rank, wanted in enumerate((True, False)):
        # The conclusion's sentence first; a later section's own sentence is its own verdict.
        ordered = sorted(
            (s for s in doc.sections if (s.kind in _VERDICT_KINDS) == wanted),
            key=lambda s: s.kind != "slutsats/rekommendationer",
        )
        for section in ordered:
            for start, end in sentences(section.text, section.body_start):
                sentence = one_line(section.text[start:end])
                if not _SUMMARY.search(sentence):
                    continue
                level = verdict_level(_verdict_clause(sentence))
                if level is not None:
                    found.append((rank, section, start, end, sentence, level))
        if found:
            break
    if not found:
        return None
    _, _, _, _, sentence, level = found[0]
    same = [f for f in found if f[5] == level]
    locations = tuple(section.location(start, end) for _, section, start, end, _, _ in same)
    source = doc.source
    return Verdict(
        verdict_id=stable_id("bed", source.doc_id, level),
        level=level,
        sentence=sentence,
        source=source,
        locations=locations,
    )


def _verdict_clause(sentence: str) -> str:
    """The part of the sentence after "bedömning … är att": where the grading word stands."""
    match = re.search(r"\bär\s+att\b|\bbedömer\s+(?:vi\s+)?(?:\w+\s+)?att\b", sentence, re.I)
    return sentence[match.end() :] if match else sentence


# --- answers per revisionsfråga ---------------------------------------------------------------


def _table_rows(text: str) -> list[list[str]]:
    """Rows of the pipe tables in ``text`` (a row may run over several lines)."""
    rows: list[list[str]] = []
    buffer = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not buffer and not stripped.startswith("|"):
            continue
        buffer = f"{buffer} {stripped}" if buffer else stripped
        if buffer.endswith("|") and buffer.count("|") >= 3:
            cells = [c.strip() for c in buffer.strip("|").split("|")]
            if not all(re.fullmatch(r":?-*:?", c) for c in cells):
                rows.append(cells)
            buffer = ""
        elif not stripped:
            buffer = ""
    return rows


def _split_questions(cell: str) -> list[str]:
    parts = re.split(r"(?<=\?)\s+", _clean_cell(cell))
    return [p.strip(" -–—") for p in parts if p.strip().endswith("?") and len(p.split()) >= 3]


def _table_answers(doc: DocumentText) -> list[QuestionAnswer]:
    answers = []
    source = doc.source
    for section in doc.sections:
        for cells in _table_rows(section.text):
            question_cells = [c for c in cells if "?" in c]
            answer_cells = [
                (c, m) for c in cells if (m := ANSWER_WORD.match(_clean_cell(c))) and "?" not in c
            ]
            if not question_cells or not answer_cells:
                continue
            answer_cell, match = answer_cells[0]
            word = " ".join(match.group("word").split())
            comment = _clean_cell(answer_cell)[len(match.group(0)) :].strip(" .:–-")
            location = _locate(section, _clean_cell(question_cells[0])[:40])
            for question in _split_questions(question_cells[0]):
                answers.append(
                    QuestionAnswer(
                        qa_id=stable_id("fråga", source.doc_id, question),
                        question=question,
                        answer=word[:1].upper() + word[1:].casefold(),
                        level=answer_level(word),
                        comment=comment,
                        method="tabell",
                        source=source,
                        location=location,
                    )
                )
    answers.extend(_line_answers(doc, {a.question for a in answers}))
    return answers


def _line_answers(doc: DocumentText, known: set[str]) -> list[QuestionAnswer]:
    """Question lines followed by an answer word ("Är … ?" / "Delvis. …"), outside pipe tables."""
    answers = []
    source = doc.source
    for section in doc.sections:
        if section.kind in _QUESTION_KINDS:
            continue
        lines = [line for line in lines_of(section.text) if line.text]
        for i, line in enumerate(lines[:-1]):
            if line.text.startswith("|"):
                continue
            _, question = strip_bullet(line.text)
            if not question.endswith("?") or len(question.split()) < 3 or question in known:
                continue
            following = lines[i + 1].text
            match = ANSWER_WORD.match(following)
            if not match or following.startswith("|"):
                continue
            word = " ".join(match.group("word").split())
            answers.append(
                QuestionAnswer(
                    qa_id=stable_id("fråga", source.doc_id, question),
                    question=question,
                    answer=word[:1].upper() + word[1:].casefold(),
                    level=answer_level(word),
                    comment=following[len(match.group(0)) :].strip(" .:–-"),
                    method="tabell",
                    source=source,
                    location=section.location(line.start, lines[i + 1].end),
                )
            )
    return answers


def _locate(section: SectionText, probe: str):
    words = probe.split()[:4]
    if words:
        pattern = r"\s+".join(re.escape(w) for w in words)
        match = re.search(pattern, section.text)
        if match:
            return section.location(match.start(), match.end())
    return section.location(0)


def revision_questions(doc: DocumentText) -> list[tuple[str, SectionText, int, int]]:
    """The revisionsfrågor the report sets out to answer (bulleted questions in its Syfte)."""
    found = []
    for section in doc.sections:
        if section.kind not in _QUESTION_KINDS:
            continue
        current: list = []
        for line in [*lines_of(section.text), None]:
            bulleted, rest = strip_bullet(line.text) if line is not None else (True, "")
            if line is not None and not line.text:
                continue
            if bulleted or (current and current[-1][1].endswith("?") and rest[:1].isupper()):
                if current:
                    text = one_line(" ".join(r for _, r in current))
                    if text.endswith("?") and len(text.split()) >= 3:
                        found.append((text, section, current[0][0].start, current[-1][0].end))
                current = [(line, rest)] if line is not None and bulleted else []
            elif current:
                current.append((line, rest))
    return found


def _assessment_answers(doc: DocumentText, similarity: Similarity) -> list[QuestionAnswer]:
    """Each revisionsfråga answered by the bedömning whose words best cover it."""
    answers = []
    source = doc.source
    assessments = [s for s in doc.sections if s.kind == "bedömning"]
    if not assessments:
        return answers
    for question, _, _, _ in revision_questions(doc):
        scored = [
            (similarity.coverage(question, f"{s.path_text}\n{s.text}"), i)
            for i, s in enumerate(assessments)
        ]
        score, best = max(scored)
        if score < 0.34:
            continue
        section = assessments[best]
        start, end, sentence = _assessment_sentence(section, question, similarity)
        level = verdict_level(_verdict_clause(sentence), strict=True) if sentence else None
        answers.append(
            QuestionAnswer(
                qa_id=stable_id("fråga", source.doc_id, question),
                question=question,
                answer=sentence,
                level=_as_answer_level(level),
                comment="",
                method="bedömning",
                source=source,
                location=section.location(start, end),
            )
        )
    return answers


def _assessment_sentence(
    section: SectionText, question: str, similarity: Similarity
) -> tuple[int, int, str]:
    """The judging sentence ("Vi bedömer …") of a bedömning that is closest to the question."""
    best = None
    for start, end in sentences(section.text, section.body_start):
        sentence = one_line(section.text[start:end])
        judging = bool(re.search(r"\b(?:bedömer|bedömning|konstaterar|anser)\b", sentence, re.I))
        score = similarity.coverage(question, sentence) + (0.2 if judging else 0.0)
        if best is None or score > best[0]:
            best = (score, start, end, sentence)
    if best is None:
        return 0, 0, ""
    return best[1], best[2], best[3]


def _as_answer_level(level: str | None) -> str | None:
    return {
        "ändamålsenlig": "ja",
        "i huvudsak": "i huvudsak",
        "delvis": "delvis",
        "till viss del": "delvis",
        "inte": "nej",
    }.get(level or "")


def question_answers(doc: DocumentText, similarity: Similarity) -> list[QuestionAnswer]:
    """Answers per revisionsfråga: the report's own table when it has one, else its bedömningar."""
    table = _table_answers(doc)
    if table:
        return table
    return _assessment_answers(doc, similarity)
