"""Links between records: answers → the recommendations they answer, earlier recommendations →
what the follow-up found, and earlier recommendations → the same one in the original report.

Candidates must share kommun and nämnd (when both name one) and lie in a year window; among
those, meaning decides: token overlap under the Swedish analyzer and, with an embedder, cosine
similarity of the embeddings. A quoted recommendation that matches no report's recommendation
is kept as a record of its own (its report is not in the corpus).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from recommendations.documents import DocumentText
from recommendations.language import sentences
from recommendations.models import Answer, Link, Recommendation, one_line
from recommendations.similarity import Similarity

ANSWER_YEARS = 2  # a nämnd answers within this many years of the report
QUOTE_THRESHOLD = 0.6
CONTENT_THRESHOLD = 0.6
TITLE_THRESHOLD = 0.75
FINDING_THRESHOLD = 0.4
CURRENT_THRESHOLD = 0.6
SAME_THRESHOLD = 0.75
# Cosine similarity of multilingual-e5 embeddings sits high for any two Swedish passages on the
# same subject area; only near-paraphrases pass this.
COSINE_THRESHOLD = 0.93


def same_committee(rec: Recommendation, committee: str | None) -> bool:
    if not committee or not rec.committee:
        return True
    wanted = committee.casefold()
    if rec.committee.casefold() == wanted:
        return True
    # "socialnämnden (omsorgs- och arbetsmarknadsnämnden)": a renamed nämnd answers for both.
    return wanted.rstrip("n") in (rec.addressee or "").casefold()


def _in_window(rec: Recommendation, year: int | None) -> bool:
    made = rec.source.year
    if made is None or year is None:
        return True
    return made <= year <= made + ANSWER_YEARS


def _same_place(rec: Recommendation, answer: Answer) -> bool:
    a, b = rec.source.municipality, answer.source.municipality
    return a is None or b is None or a.casefold() == b.casefold()


def match_score(similarity: Similarity, a: str, b: str) -> tuple[float, str]:
    lexical = similarity.overlap(a, b)
    cosine = similarity.cosine(a, b)
    if cosine is not None and cosine >= COSINE_THRESHOLD and cosine > lexical:
        return cosine, "semantisk"
    return lexical, "lexikal"


def _candidates(recs: Sequence[Recommendation], answer: Answer) -> list[Recommendation]:
    return [
        r
        for r in recs
        if not r.earlier
        and r.source.doc_id != answer.source.doc_id
        and _same_place(r, answer)
        and same_committee(r, answer.source.committee)
        and _in_window(r, answer.source.year)
    ]


def resolve_quoted(
    report_recs: Sequence[Recommendation],
    quoted: Sequence[Recommendation],
    answers: Sequence[Answer],
    answer_of: dict[str, list[str]],
    similarity: Similarity,
) -> tuple[list[Recommendation], list[Link]]:
    """Quoted recommendations matched to report recommendations, or kept as records; and the
    links from each answer to what it answers."""
    by_id = {answer.answer_id: answer for answer in answers}
    kept: list[Recommendation] = []
    target_of: dict[str, tuple[str, float, str]] = {}  # quoted rec_id → (rec_id, score, method)
    for rec in quoted:
        holder = next(
            (by_id[a] for a, recs in answer_of.items() if rec.rec_id in recs), None
        ) or _pseudo_answer(rec)
        used = {t for t, _, _ in target_of.values()}
        scored = [
            (*match_score(similarity, rec.text, r.text), r)
            for r in _candidates(report_recs, holder)
            if r.rec_id not in used
        ]
        best = max(scored, key=lambda s: s[0], default=None)
        if best is not None and best[0] >= QUOTE_THRESHOLD:
            target_of[rec.rec_id] = (best[2].rec_id, best[0], best[1])
            continue
        twin = next(
            (
                k
                for k in kept
                if k.municipality == rec.municipality
                and similarity.overlap(k.text, rec.text) >= 0.85
            ),
            None,
        )
        if twin is not None:
            kept[kept.index(twin)] = replace(twin, locations=twin.locations + rec.locations)
            target_of[rec.rec_id] = (twin.rec_id, 1.0, "citat")
        else:
            kept.append(rec)
            target_of[rec.rec_id] = (rec.rec_id, 1.0, "citat")
    links = []
    for answer_id, rec_ids in answer_of.items():
        answer = by_id[answer_id]
        for rec_id in rec_ids:
            target, score, method = target_of[rec_id]
            method = method if target != rec_id else "citat"
            excerpt = _first_sentence(answer.text)
            links.append(_answer_link(answer, target, score, method, excerpt))
    return kept, links


def _pseudo_answer(rec: Recommendation) -> Answer:
    return Answer(
        answer_id="",
        text="",
        quoted=rec.text,
        kind="citat",
        source=rec.source,
        location=None,
        audit_title=rec.audit_title,
    )


def _title_score(similarity: Similarity, a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    return similarity.overlap(a, b)


def link_decisions(
    recs: Sequence[Recommendation],
    answers: Sequence[Answer],
    already: set[str],
    similarity: Similarity,
) -> list[Link]:
    """Answers that quote nothing (a decision to adopt a yttrande) → the audit they name, or the
    recommendations their text covers."""
    links = []
    for answer in answers:
        if answer.answer_id in already:
            continue
        candidates = [
            r
            for r in recs
            if not r.earlier
            and _same_place(r, answer)
            and same_committee(r, answer.source.committee)
            and (r.origin == "handling" or _in_window(r, answer.source.year))
            and r.source.doc_id != answer.source.doc_id
        ]
        for rec in candidates:
            title = max(
                _title_score(similarity, answer.audit_title, rec.audit_title),
                _title_score(similarity, answer.audit_title, rec.source.title),
            )
            content = similarity.coverage(rec.text, answer.text)
            if title >= TITLE_THRESHOLD:
                score, method = title, "rubrik"
            elif content >= CONTENT_THRESHOLD:
                score, method = content, "lexikal"
            else:
                continue
            excerpt = _best_sentence(similarity, rec.text, answer.text)[1]
            links.append(_answer_link(answer, rec.rec_id, score, method, excerpt))
    return links


def link_report_answers(
    recs: Sequence[Recommendation], answers: Sequence[Answer], similarity: Similarity
) -> list[Link]:
    """A follow-up report's "Nämndens svar" → the earlier recommendations it prints before it."""
    links = []
    for answer in answers:
        for rec in recs:
            if not rec.earlier or rec.source.doc_id != answer.source.doc_id:
                continue
            score, excerpt = _best_sentence(similarity, rec.text, answer.text)
            links.append(_answer_link(answer, rec.rec_id, score, "samma dokument", excerpt))
    return links


def link_follow_ups(
    recs: Sequence[Recommendation], docs: Sequence[DocumentText], similarity: Similarity
) -> list[Link]:
    """Earlier recommendations → the follow-up's bedömning about them, its current
    recommendation on the same matter, and the original report's record when indexed."""
    links = []
    by_doc = {d.doc.doc_id: d for d in docs}
    for rec in recs:
        if not rec.earlier:
            continue
        doc = by_doc.get(rec.source.doc_id)
        if doc is not None:
            finding = _best_finding(similarity, rec, doc)
            if finding is not None:
                links.append(finding)
        for other in recs:
            if (
                other.earlier
                or other.rec_id == rec.rec_id
                or other.municipality != rec.municipality
            ):
                continue
            score, method = match_score(similarity, rec.text, other.text)
            if other.source.doc_id == rec.source.doc_id:
                # The follow-up's own recommendation on the same matter, in other words.
                score = max(score, similarity.coverage(rec.text, other.text))
            if other.source.doc_id == rec.source.doc_id and score >= CURRENT_THRESHOLD:
                links.append(_record_link("uppföljning", rec, other, score, method))
            elif (
                other.source.doc_id != rec.source.doc_id
                and rec.earlier_year is not None
                and other.source.year is not None
                and abs(other.source.year - rec.earlier_year) <= 1
                and same_committee(other, rec.committee)
                and score >= SAME_THRESHOLD
            ):
                links.append(_record_link("samma rekommendation", rec, other, score, method))
    return links


def _best_finding(similarity: Similarity, rec: Recommendation, doc: DocumentText) -> Link | None:
    best = None
    for section in doc.sections:
        if section.kind not in ("bedömning", "slutsats/rekommendationer", "sammanfattning"):
            continue
        for start, end in sentences(section.text, section.body_start):
            sentence = one_line(section.text[start:end])
            if re.search(r"\brekommender", sentence, re.I):
                continue  # the finding, not the new recommendation (linked on its own)
            score = similarity.coverage(rec.text, sentence)
            # A bedömning states the finding; the Sammanfattning repeats it.
            rank = (score, section.kind == "bedömning", similarity.overlap(rec.text, sentence))
            if best is None or rank > best[0]:
                best = (rank, section, start, end, sentence)
    if best is None or best[0][0] < FINDING_THRESHOLD:
        return None
    (score, _, _), section, start, end, sentence = best
    location = section.location(start, end)
    return Link(
        kind="uppföljning",
        source_id=rec.rec_id,
        target_id=location.chunk_id,
        score=round(score, 3),
        method="lexikal",
        excerpt=sentence,
        target_chunk=location.chunk_id,
        citation=doc.source.citation(location),
    )


def _answer_link(answer: Answer, rec_id: str, score: float, method: str, excerpt: str) -> Link:
    return Link(
        kind="svar",
        source_id=answer.answer_id,
        target_id=rec_id,
        score=round(score, 3),
        method=method,
        excerpt=excerpt,
        citation=answer.citation(),
    )


def _record_link(
    kind: str, rec: Recommendation, other: Recommendation, score: float, method: str
) -> Link:
    return Link(
        kind=kind,
        source_id=rec.rec_id,
        target_id=other.rec_id,
        score=round(score, 3),
        method=method,
        excerpt=other.text,
        citation=other.citation(),
    )


def _best_sentence(similarity: Similarity, needle: str, text: str) -> tuple[float, str]:
    best = (0.0, _first_sentence(text))
    for start, end in sentences(text):
        sentence = one_line(text[start:end])
        score = similarity.coverage(needle, sentence)
        if score > best[0]:
            best = (score, sentence)
    return best


def _first_sentence(text: str) -> str:
    spans = sentences(text)
    return one_line(text[spans[0][0] : spans[0][1]]) if spans else ""
