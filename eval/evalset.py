"""The eval set: queries with judgments that name a document and a verbatim evidence span.

Judgments never name chunks, so they survive re-chunking: at evaluation time each span is found in
the chunks of its document, and every chunk holding the span (or, where a chunk boundary cuts it,
a long enough piece of it) gets the judgment's grade.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.models import Chunk
from revsok.errors import RevsokError

DEFAULT_SET = Path(__file__).resolve().parent / "queries.jsonl"
# A chunk boundary may cut an evidence span; a piece this long at either end still identifies it.
_MIN_PIECE = 60


SPLITS = ("dev", "test", "all")


class EvalSetError(RevsokError):
    pass


def split_of(query_id: str) -> str:
    """The fixed split of a query: ``test`` when SHA-256 of its id is divisible by 3, else ``dev``.

    The rule depends on the id alone, so it never changes as queries are added or edited, and it
    was fixed before any result was seen. Every tunable is chosen on ``dev``; ``test`` only reports.
    """
    return "test" if int(hashlib.sha256(query_id.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def select_split(queries: Sequence[EvalQuery], split: str) -> list[EvalQuery]:
    if split not in SPLITS:
        raise EvalSetError(f"okänd del '{split}' (välj {', '.join(SPLITS)})")
    return [q for q in queries if split == "all" or split_of(q.id) == split]


@dataclass(frozen=True)
class Judgment:
    document: str  # the source file's stem, e.g. "ragunda-2022-granskning-missbruksvard"
    evidence: str
    grade: int


@dataclass(frozen=True)
class EvalQuery:
    id: str
    query: str
    type: str
    style: str
    judgments: tuple[Judgment, ...]
    mentions: tuple[str, ...] = ()  # what the query text names: kommun, år, nämnd, …


def normalise(text: str) -> str:
    # Line breaks, hyphenation at line ends and spacing differ between a PDF and its source text.
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return " ".join(text.split()).casefold()


def load_eval_set(path: Path = DEFAULT_SET) -> list[EvalQuery]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise EvalSetError(f"{path}: kan inte läsas ({err})") from err
    queries: list[EvalQuery] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            query = EvalQuery(
                id=raw["id"],
                query=raw["query"],
                type=raw.get("type", "okänd"),
                style=raw.get("style", "okänd"),
                judgments=tuple(
                    Judgment(j["document"], j["evidence"], int(j["grade"]))
                    for j in raw["judgments"]
                ),
                mentions=tuple(raw.get("mentions", ())),
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
            raise EvalSetError(f"{path}:{number}: ogiltig rad ({err})") from err
        if query.id in seen:
            raise EvalSetError(f"{path}:{number}: id {query.id} finns redan")
        seen.add(query.id)
        queries.append(query)
    return queries


def document_key(source_file: str) -> str:
    name = source_file.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


@dataclass(frozen=True)
class MappedQuery:
    query: EvalQuery
    qrels: dict[str, int]  # chunk_id -> grade
    unmatched: tuple[Judgment, ...]


def map_judgments(queries: Sequence[EvalQuery], chunks: Iterable[Chunk]) -> list[MappedQuery]:
    """Chunk-level relevance for each query, from its document-level evidence spans."""
    by_document: dict[str, list[tuple[str, str]]] = {}
    for chunk in chunks:
        by_document.setdefault(document_key(chunk.source_file), []).append(
            (chunk.chunk_id, normalise(chunk.text))
        )
    mapped = []
    for query in queries:
        qrels: dict[str, int] = {}
        unmatched = []
        for judgment in query.judgments:
            holders = _chunks_holding(
                normalise(judgment.evidence), by_document.get(judgment.document, [])
            )
            if not holders:
                unmatched.append(judgment)
            for chunk_id in holders:
                qrels[chunk_id] = max(qrels.get(chunk_id, 0), judgment.grade)
        mapped.append(MappedQuery(query, qrels, tuple(unmatched)))
    return mapped


def _chunks_holding(evidence: str, chunks: Sequence[tuple[str, str]]) -> list[str]:
    whole = [cid for cid, text in chunks if evidence in text]
    if whole:
        return whole
    head, tail = evidence[:_MIN_PIECE], evidence[-_MIN_PIECE:]
    if len(evidence) < _MIN_PIECE:
        return []
    return [cid for cid, text in chunks if head in text or tail in text]
