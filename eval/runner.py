"""Run the eval set against an index: metrics per mode and per query type, worst queries, reports.

A saved run (``--save NAME``) is a JSON file with every query's metrics and ranking, so a later run
can be compared with it query by query (``--compare NAME``) under a paired randomization test.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from eval.evalset import EvalQuery, MappedQuery, map_judgments, select_split
from eval.metrics import (
    METRICS,
    bootstrap_interval,
    mean_scores,
    paired_randomization_test,
    per_query,
)
from eval.plain_bm25 import NAME as PLAIN_BM25
from eval.plain_bm25 import PlainBM25
from index.hybrid import FusionSettings
from index.ranking import RankingSettings
from index.searcher import Searcher

log = logging.getLogger(__name__)

DEPTH = 10  # every metric looks at the top 10
WORST = 10
# The default before query understanding, duplicate folding and the dev-split tuning: what the
# new default is compared with, query by query.
PREVIOUS = "hybrid-v1"
PREVIOUS_FUSION = FusionSettings(method="weighted", dense_weight=0.3, normalisation="minmax")
PREVIOUS_RANKING = RankingSettings(
    boost_kommun=0.0,
    boost_year=0.0,
    boost_committee=0.0,
    boost_doc_type=0.0,
    boost_section=0.0,
    strip_lexical=(),
    collapse_duplicates=False,
    document_cap=0,
)
MODES = ("bm25", "dense", "hybrid", PREVIOUS, PLAIN_BM25)
# Hybrid is compared with each of these, query by query.
COMPARED_WITH = ("bm25", "dense", PLAIN_BM25, PREVIOUS)

Ranker = Callable[[str], list[str]]


@dataclass(frozen=True)
class QueryResult:
    id: str
    query: str
    type: str
    style: str
    mentions: tuple[str, ...]
    scores: dict[str, float]
    ranking: list[str]
    relevant: dict[str, int]


def ranker(
    searcher: Searcher,
    mode: str,
    fusion: FusionSettings | None = None,
    ranking: RankingSettings | None = None,
) -> Ranker:
    """Query → chunk ids as the user sees them: each passage, then the copies folded into it."""
    if mode == PLAIN_BM25:
        plain = PlainBM25(searcher.chunks)
        return lambda query: plain.rank(query, DEPTH)
    if mode == PREVIOUS:
        mode, fusion, ranking, understand = "hybrid", PREVIOUS_FUSION, PREVIOUS_RANKING, False
    else:
        understand = True

    def rank(query: str) -> list[str]:
        hits = searcher.search(
            query, k=DEPTH, mode=mode, fusion=fusion, ranking=ranking, understand=understand
        )
        return [cid for hit in hits for cid in hit.chunk_ids()]

    return rank


def run_ranker(rank: Ranker, mapped: Sequence[MappedQuery]) -> list[QueryResult]:
    results = []
    for item in mapped:
        if not item.qrels:
            continue  # no judgment could be placed on a chunk: the query cannot be scored
        ranking = rank(item.query.query)[:DEPTH]
        results.append(
            QueryResult(
                id=item.query.id,
                query=item.query.query,
                type=item.query.type,
                style=item.query.style,
                mentions=item.query.mentions,
                scores=per_query(ranking, item.qrels),
                ranking=ranking,
                relevant=item.qrels,
            )
        )
    return results


def run_mode(
    searcher: Searcher,
    mapped: Sequence[MappedQuery],
    mode: str,
    fusion: FusionSettings | None = None,
    ranking: RankingSettings | None = None,
) -> list[QueryResult]:
    return run_ranker(ranker(searcher, mode, fusion, ranking), mapped)


def summarise(results: Sequence[QueryResult]) -> dict:
    by_type: dict[str, list[dict[str, float]]] = defaultdict(list)
    by_mention: dict[str, list[dict[str, float]]] = defaultdict(list)
    for result in results:
        by_type[result.type].append(result.scores)
        by_mention["nämner kommun/år/nämnd" if _names_metadata(result) else "nämner inget"].append(
            result.scores
        )
    return {
        "overall": mean_scores([r.scores for r in results]),
        "interval": {
            metric: bootstrap_interval([r.scores[metric] for r in results]) for metric in METRICS
        },
        "queries": len(results),
        "by_type": {
            kind: {"queries": len(rows), **mean_scores(rows)}
            for kind, rows in sorted(by_type.items())
        },
        "by_mention": {
            kind: {"queries": len(rows), **mean_scores(rows)}
            for kind, rows in sorted(by_mention.items())
        },
    }


def _names_metadata(result: QueryResult) -> bool:
    return bool({"kommun", "år", "nämnd"} & set(result.mentions))


def paired(runs: dict[str, list[QueryResult]], first: str, second: str) -> dict:
    """``first`` minus ``second`` per metric: mean difference, its bootstrap interval, p-value."""
    other = {r.id: r.scores for r in runs[second]}
    pairs = [(r.scores, other[r.id]) for r in runs[first] if r.id in other]
    out = {}
    for metric in METRICS:
        a = [x[metric] for x, _ in pairs]
        b = [y[metric] for _, y in pairs]
        diffs = [x - y for x, y in zip(a, b, strict=True)]
        out[metric] = {
            "delta": sum(diffs) / len(diffs) if diffs else 0.0,
            "interval": bootstrap_interval(diffs),
            "p_value": paired_randomization_test(a, b),
            "queries": len(diffs),
        }
    return out


def evaluate(
    searcher: Searcher,
    queries: Sequence[EvalQuery],
    modes: Sequence[str] = ("bm25", "dense", "hybrid"),
    fusion: FusionSettings | None = None,
    ranking: RankingSettings | None = None,
    split: str = "all",
    previous: Searcher | None = None,
) -> dict:
    """Metrics per mode on ``split``, and hybrid against the others query by query.

    ``previous`` is the index the previous default was built on (its chunking); the
    ``hybrid-v1`` mode runs there, so the comparison is with what users had, not a hybrid.
    """
    chosen = select_split(queries, split)
    mapped = map_judgments(chosen, searcher.chunks)
    unmatched = [
        {"id": m.query.id, "document": j.document, "evidence": j.evidence}
        for m in mapped
        for j in m.unmatched
    ]
    if unmatched:
        log.warning("%d bevisavsnitt hittades inte i indexets chunkar", len(unmatched))
    runs = {}
    for mode in modes:
        if mode == PREVIOUS and previous is not None:
            runs[mode] = run_mode(previous, map_judgments(chosen, previous.chunks), mode)
        else:
            runs[mode] = run_mode(searcher, mapped, mode, fusion, ranking)
    comparisons = {}
    if "hybrid" in runs:
        comparisons = {
            f"hybrid − {other}": paired(runs, "hybrid", other)
            for other in COMPARED_WITH
            if other in runs
        }
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "index": str(searcher.path),
        "embedder": searcher.config.embedder_name,
        "chunking": searcher.config.to_dict()["chunking"],
        "fusion": (fusion or searcher.fusion).__dict__,
        "ranking": {**(ranking or searcher.ranking).__dict__},
        "split": split,
        "previous_index": str(previous.path) if previous is not None else None,
        "queries": len(chosen),
        "unmatched_evidence": unmatched,
        "modes": {mode: summarise(results) for mode, results in runs.items()},
        "comparisons": comparisons,
        "per_query": {
            mode: [result.__dict__ for result in results] for mode, results in runs.items()
        },
    }


def worst_queries(report: dict, searcher: Searcher, mode: str, count: int = WORST) -> list[dict]:
    """The queries that did worst, with what came back instead of the relevant passages."""
    chunks = {c.chunk_id: c for c in searcher.chunks}
    rows = sorted(report["per_query"][mode], key=lambda r: (r["scores"]["ndcg@10"], r["id"]))
    worst = []
    for row in rows[:count]:
        came_back = [chunks[cid] for cid in row["ranking"][:3] if cid in chunks]
        wanted = [chunks[cid] for cid in row["relevant"] if cid in chunks][:2]
        worst.append(
            {
                "id": row["id"],
                "query": row["query"],
                "ndcg@10": row["scores"]["ndcg@10"],
                "got": [passage_label(c) for c in came_back],
                "wanted": [passage_label(c) for c in wanted],
            }
        )
    return worst


def passage_label(chunk, excerpt_chars: int = 90) -> str:
    """ "Ragunda kommun · Granskning av … · 3.2 Samverkan: Kommunen har …": a judged or returned
    passage in a report of the eval, short enough to read in a list."""
    excerpt = " ".join(chunk.text.split())[:excerpt_chars]
    place = f"{chunk.municipality or '?'} · {chunk.title or chunk.source_file}"
    return f"{place} · {chunk.section_label}: {excerpt}"


def compare(current: dict, saved: dict) -> dict:
    """Per mode and metric: both means, the delta and a paired randomization p-value."""
    out: dict = {}
    for mode, rows in current["per_query"].items():
        if mode not in saved.get("per_query", {}):
            continue
        before = {r["id"]: r["scores"] for r in saved["per_query"][mode]}
        paired = [(r["scores"], before[r["id"]]) for r in rows if r["id"] in before]
        out[mode] = {}
        for metric in METRICS:
            now = [a[metric] for a, _ in paired]
            then = [b[metric] for _, b in paired]
            mean_now = sum(now) / len(now) if now else 0.0
            mean_then = sum(then) / len(then) if then else 0.0
            out[mode][metric] = {
                "now": mean_now,
                "saved": mean_then,
                "delta": mean_now - mean_then,
                "p_value": paired_randomization_test(now, then),
                "queries": len(paired),
            }
    return out


def save_run(report: dict, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load_run(folder: Path, name: str) -> dict:
    path = folder / f"{name}.json"
    if not path.is_file():
        available = ", ".join(sorted(p.stem for p in folder.glob("*.json"))) or "inga"
        raise FileNotFoundError(f"Ingen sparad körning '{name}' i {folder} (finns: {available})")
    return json.loads(path.read_text(encoding="utf-8"))
