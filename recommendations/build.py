"""From ingested documents and chunks to the linked record set: the one entry point."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace

from ingest.models import Chunk, DocumentRecord
from recommendations.answers import is_answer_item, packet_answers, report_answers
from recommendations.documents import DocumentText, document_texts
from recommendations.extract import report_recommendations
from recommendations.linking import (
    link_decisions,
    link_follow_ups,
    link_report_answers,
    resolve_quoted,
)
from recommendations.models import Answer, Recommendation, RecordSet
from recommendations.similarity import Similarity
from recommendations.topics import assign_topics
from recommendations.verdicts import question_answers, report_verdict

log = logging.getLogger(__name__)


def extract_records(
    documents: Iterable[DocumentRecord], chunks: Iterable[Chunk], embedder=None
) -> RecordSet:
    """Recommendations, verdicts, answers per revisionsfråga, the nämnd's answers, and links.

    ``embedder`` (optional) adds cosine similarity to the lexical matching of answers and
    quoted recommendations; without it the result is the same on every machine.
    """
    docs = document_texts(documents, chunks)
    reports = [d for d in docs if d.is_report]
    answering = [d for d in docs if not d.is_report and is_answer_item(d)]
    similarity = Similarity(
        (s.text for d in [*reports, *answering] for s in d.sections), embedder=embedder
    )
    report_recs, verdicts, qas, answers = [], [], [], []
    for doc in reports:
        report_recs.extend(report_recommendations(doc, similarity))
        verdict = report_verdict(doc)
        if verdict is not None:
            verdicts.append(verdict)
        qas.extend(question_answers(doc, similarity))
        answers.extend(report_answers(doc))
    quoted, packet_answer_list, answer_of = _read_packets(answering)
    if embedder is not None:
        similarity.prepare(
            [r.text for r in [*report_recs, *quoted]] + [a.text for a in packet_answer_list]
        )
    kept, links = resolve_quoted(report_recs, quoted, packet_answer_list, answer_of, similarity)
    recs = report_recs + kept
    linked = {a for a, ids in answer_of.items() if ids}
    links += link_decisions(recs, packet_answer_list, linked, similarity)
    links += link_report_answers(recs, answers, similarity)
    links += link_follow_ups(recs, docs, similarity)
    recs = [replace(r, topics=assign_topics(r.text)) for r in recs]
    all_answers = answers + packet_answer_list
    log.info(
        "%d rekommendationer, %d bedömningar, %d svar, %d länkar",
        len(recs),
        len(verdicts),
        len(all_answers),
        len(links),
    )
    return RecordSet(
        recommendations=tuple(recs),
        verdicts=tuple(verdicts),
        question_answers=tuple(qas),
        answers=tuple(all_answers),
        links=tuple(_unique(links)),
        stats={
            "recommendations": len(recs),
            "earlier": sum(r.earlier for r in recs),
            "verdicts": len(verdicts),
            "question_answers": len(qas),
            "answers": len(all_answers),
            "links": len(links),
        },
    )


def _read_packets(
    answering: list[DocumentText],
) -> tuple[list[Recommendation], list[Answer], dict[str, list[str]]]:
    """The recommendations the answering items quote, their answers, and which answer which."""
    quoted, answer_of = [], {}
    packet_answer_list = []
    for doc in answering:
        found = packet_answers(doc)
        quoted.extend(found.recommendations)
        packet_answer_list.extend(found.answers)
        answer_of.update(found.answer_of)
    return quoted, packet_answer_list, answer_of


def _unique(links):
    seen = set()
    for link in links:
        key = (link.kind, link.source_id, link.target_id)
        if key not in seen:
            seen.add(key)
            yield link
