"""A report's overall verdict and its answer to each revisionsfråga.

The verdict is the graded word of the "sammanfattande bedömning" sentence: ändamålsenlig, i
huvudsak, delvis, till viss del or inte. Answers per revisionsfråga come from a Ja/Delvis/Nej (or
Uppfyllt/Delvis uppfyllt/Ej uppfyllt) table when the report has one, else from the bedömning whose
words best cover the question.
"""

from __future__ import annotations

import re

from recommendations.documents import DocumentText, SectionText
from recommendations.language import (
    ANSWER_WORD,
    answer_level,
    labelled_answer,
    lines_of,
    sentences,
    strip_bullet,
    verdict_level,
    verdict_of_answer,
)
from recommendations.models import QuestionAnswer, Verdict, one_line, stable_id
from recommendations.similarity import Similarity
from recommendations.tables import tables

_SUMMARY = re.compile(
    r"\b(?:sammanfattande|sammanfattade|samlade?|sammantagna|övergripande|sammanvägda|sammantagen)\s+"
    r"(?:revisionella\s+)?bedömning|\bhelhetsbedömning"
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
                level = _sentence_verdict(sentence)
                if level is not None:
                    found.append((rank, section, start, end, sentence, level))
        if found:
            break
    if not found:
        found = _judging_verdicts(doc)
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


# Without a "samlade bedömning" sentence, the first judging sentence of the Sammanfattning
# ("Vi bedömer att nämnden i allt väsentligt …") states the verdict.
_JUDGING = re.compile(
    r"\b(?:vi|revisionen|revisorerna)\s+(?:\w+\s+)?bedömer\b|\bbedömer\s+(?:vi|revisionen|"
    r"revisorerna)\b|\b(?:vår|revisionens|revisorernas)\s+(?:\w+\s+)?bedömning\s+är\b"
    # Weaker than a "sammanfattande bedömning", so read only when the report states none:
    # "Övergripande är bedömningen att …", "Sammanfattningsvis kan vi konstatera att …",
    # "Utifrån genomförd granskning görs bedömningen att …"
    r"|\bövergripande\s+är\s+bedömningen\b|\bsammanfattningsvis\s+kan\s+vi\s+konstatera\b"
    r"|\b(?:görs|gör\s+vi|gjordes)\s+(?:den\s+\w+\s+)?bedömningen\s+att\b",
    re.IGNORECASE,
)


def _judging_verdicts(doc: DocumentText) -> list[tuple[int, SectionText, int, int, str, str]]:
    for kind in ("sammanfattning", "slutsats/rekommendationer"):
        for section in doc.sections:
            if section.kind != kind:
                continue
            for start, end in sentences(section.text, section.body_start):
                sentence = one_line(section.text[start:end])
                if not _JUDGING.search(sentence):
                    continue
                level = verdict_level(_verdict_clause(sentence), strict=True)
                if level is not None:
                    return [(0, section, start, end, sentence, level)]
    return []


def _sentence_verdict(sentence: str) -> str | None:
    """The verdict of a summary sentence, graded in words or by a label ("… bedömning: Delvis")."""
    label = re.search(r"bedömning\s*[:–—-]\s*", sentence, re.IGNORECASE)
    if label:
        answered = labelled_answer("bedömning: " + sentence[label.end() :])
        if answered is not None:
            return verdict_of_answer(answered[1])
    return verdict_level(_verdict_clause(sentence))


def _verdict_clause(sentence: str) -> str:
    """The part of the sentence after "bedömning … är att": where the grading word stands."""
    match = re.search(r"\bär\s+att\b|\bbedömer\s+(?:vi\s+)?(?:\w+\s+)?att\b", sentence, re.I)
    return sentence[match.end() :] if match else sentence


# --- answers per revisionsfråga ---------------------------------------------------------------


_QUESTION_COLUMN = re.compile(r"fråga|kontrollmål|frågeställning", re.IGNORECASE)
_ANSWER_COLUMN = re.compile(r"svar|bedömning|status|uppfyll|resultat|grad", re.IGNORECASE)
_COMMENT_COLUMN = re.compile(r"kommentar|motivering|iakttagelse|förklaring", re.IGNORECASE)
_LABEL_PREFIX = re.compile(r"^(?:revisionsfråga|fråga|delfråga)\s*\d{0,2}\s*[:.–—-]?\s*", re.I)


def _split_questions(cell: str) -> list[str]:
    parts = re.split(r"(?<=\?)\s+", _clean_cell(cell))
    parts = [_LABEL_PREFIX.sub("", p.strip(" -–—")) for p in parts]
    return [p for p in parts if p.strip().endswith("?") and len(p.split()) >= 3]


def _answer_cell(cells: list[str], skip: set[int], preferred: int | None):
    """The cell holding the graded answer: the answer column's, else a cell that is only an
    answer word ("Delvis"), else one that opens with it ("Nej. Rutiner saknas")."""
    candidates = []
    for index, cell in enumerate(cells):
        if index in skip or "?" in cell:
            continue
        text = _clean_cell(cell)
        match = ANSWER_WORD.match(text)
        if match is None:
            continue
        whole = not text[match.end() :].strip(" .")
        candidates.append((index != preferred, not whole, index, text, match))
    if not candidates:
        return None
    _, _, index, text, match = min(candidates, key=lambda c: c[:3])
    return index, text, match


def _table_answers(doc: DocumentText) -> list[QuestionAnswer]:
    answers = []
    source = doc.source
    for section in doc.sections:
        for table in tables(section.text):
            question_column = table.column(_QUESTION_COLUMN)
            skip = () if question_column is None else (question_column,)
            answer_column = table.column(_ANSWER_COLUMN, exclude=skip)
            comment_column = table.column(_COMMENT_COLUMN)
            for row in table.rows:
                cells = list(row.cells)
                question_cells = [i for i, c in enumerate(cells) if "?" in c]
                if question_column is not None and question_column < len(cells):
                    question_cells = [question_column, *question_cells]
                if not question_cells:
                    continue
                found = _answer_cell(cells, {question_cells[0]}, answer_column)
                if found is None:
                    continue
                _, text, match = found
                word = " ".join(match.group("word").split())
                comment = text[len(match.group(0)) :].strip(" .:–-")
                if not comment and comment_column is not None and comment_column < len(cells):
                    comment = _clean_cell(cells[comment_column]).strip(" .")
                question_text = cells[question_cells[0]]
                questions = _split_questions(question_text)
                if not questions and question_column is not None:
                    plain = _LABEL_PREFIX.sub("", _clean_cell(question_text))
                    questions = [plain] if len(plain.split()) >= 3 else []
                location = section.location(row.start, row.end)
                for question in questions:
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
    """Question lines answered outside pipe tables: by the next line ("Är … ?" / "Delvis. …",
    "Svar: Ja") or, further down before the next question, by a labelled line ("Bedömning: Ej
    uppfyllt")."""
    answers = []
    source = doc.source
    for section in doc.sections:
        if section.kind in _QUESTION_KINDS and not _ANSWERS_TITLE.search(section.title or ""):
            continue
        lines = [line for line in lines_of(section.text) if line.text]
        questions = [i for i, line in enumerate(lines) if _question_of(line.text)]
        for n, i in enumerate(questions):
            question = _question_of(lines[i].text)
            if question in known:
                continue
            stop = questions[n + 1] if n + 1 < len(questions) else len(lines)
            found = None
            for j in range(i + 1, stop):
                following = lines[j].text
                if following.startswith("|"):
                    break
                labelled = labelled_answer(following)
                if labelled is not None:
                    word, level, end = labelled
                    found = (j, word, level, following[end:])
                    break
                match = ANSWER_WORD.match(following) if j == i + 1 else None
                if match:
                    word = " ".join(match.group("word").split())
                    found = (j, word, answer_level(word), following[len(match.group(0)) :])
                    break
            if found is None:
                continue
            j, word, level, comment = found
            known.add(question)
            answers.append(
                QuestionAnswer(
                    qa_id=stable_id("fråga", source.doc_id, question),
                    question=question,
                    answer=word[:1].upper() + word[1:].casefold(),
                    level=level,
                    comment=comment.strip(" .:–-"),
                    method="tabell",
                    source=source,
                    location=section.location(lines[i].start, lines[j].end),
                )
            )
    return answers


_ANSWERS_TITLE = re.compile(r"\bsvar\b|\bbesvara|\bbedömning", re.IGNORECASE)


def _question_of(text: str) -> str | None:
    """The revisionsfråga a line states ("Revisionsfråga 2: Följs … upp?"), or None."""
    if text.startswith("|"):
        return None
    _, question = strip_bullet(text)
    question = _LABEL_PREFIX.sub("", question)
    if not question.endswith("?") or len(question.split()) < 3:
        return None
    return question


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
        answer_level_ = _as_answer_level(level)
        if answer_level_ is None:
            # The bedömning grades nothing: its grade, or the Sammanfattning's sentence on it.
            graded = _graded_sentence(section, question, similarity, _MIN_GRADED_COVERAGE)
            if graded is None:
                for summary in doc.sections:
                    if summary.kind in _VERDICT_KINDS:
                        found = _graded_sentence(summary, question, similarity, 0.5, False)
                        if found is not None and (graded is None or found[0] > graded[0]):
                            graded, section = found, summary
            if graded is not None:
                _, start, end, sentence, answer_level_ = graded
        answers.append(
            QuestionAnswer(
                qa_id=stable_id("fråga", source.doc_id, question),
                question=question,
                answer=sentence,
                level=answer_level_,
                comment="",
                method="bedömning",
                source=source,
                location=section.location(start, end),
            )
        )
    return answers


_MIN_GRADED_COVERAGE = 0.25


def _graded_sentence(
    section: SectionText,
    question: str,
    similarity: Similarity,
    threshold: float,
    labels: bool = True,
) -> tuple[float, int, int, str, str] | None:
    """A labelled grade of a bedömning ("Bedömning: Delvis uppfyllt"), else the graded sentence
    of the section that best covers the question (score, start, end, sentence, level)."""
    best = None
    for line in lines_of(section.text, section.body_start) if labels else ():
        labelled = labelled_answer(line.text)
        if labelled is not None:
            return 1.0, line.start, line.end, line.text, labelled[1]
    for start, end in sentences(section.text, section.body_start):
        sentence = one_line(section.text[start:end])
        level = _as_answer_level(verdict_level(_verdict_clause(sentence), strict=True))
        if level is None:
            continue
        score = similarity.coverage(question, sentence)
        if score >= threshold and (best is None or score > best[0]):
            best = (score, start, end, sentence, level)
    return best


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
