"""Run the eval set against an index: metrics per mode and per query type, worst queries, reports.

A saved run (``--save NAME``) is a JSON file with every query's metrics and ranking, so a later run
can be compared with it query by query (``--compare NAME``) under a paired randomization test.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from eval.evalset import EvalQuery, MappedQuery, map_judgments
from eval.metrics import METRICS, mean_scores, paired_randomization_test, per_query
from index.hybrid import FusionSettings
from index.searcher import Searcher

log = logging.getLogger(__name__)

DEPTH = 10  # every metric looks at the top 10
WORST = 10


@dataclass(frozen=True)
class QueryResult:
    id: str
    query: str
    type: str
    style: str
    scores: dict[str, float]
    ranking: list[str]
    relevant: dict[str, int]


def run_mode(
    searcher: Searcher,
    mapped: Sequence[MappedQuery],
    mode: str,
    fusion: FusionSettings | None = None,
) -> list[QueryResult]:
    results = []
    for item in mapped:
        if not item.qrels:
            continue  # no judgment could be placed on a chunk: the query cannot be scored
        hits = searcher.search(item.query.query, k=DEPTH, mode=mode, fusion=fusion)
        ranking = [hit.chunk.chunk_id for hit in hits]
        results.append(
            QueryResult(
                id=item.query.id,
                query=item.query.query,
                type=item.query.type,
                style=item.query.style,
                scores=per_query(ranking, item.qrels),
                ranking=ranking,
                relevant=item.qrels,
            )
        )
    return results


def summarise(results: Sequence[QueryResult]) -> dict:
    by_type: dict[str, list[dict[str, float]]] = defaultdict(list)
    for result in results:
        by_type[result.type].append(result.scores)
    return {
        "overall": mean_scores([r.scores for r in results]),
        "queries": len(results),
        "by_type": {
            kind: {"queries": len(rows), **mean_scores(rows)}
            for kind, rows in sorted(by_type.items())
        },
    }


def evaluate(
    searcher: Searcher,
    queries: Sequence[EvalQuery],
    modes: Sequence[str] = ("bm25", "dense", "hybrid"),
    fusion: FusionSettings | None = None,
) -> dict:
    mapped = map_judgments(queries, searcher.chunks)
    unmatched = [
        {"id": m.query.id, "document": j.document, "evidence": j.evidence}
        for m in mapped
        for j in m.unmatched
    ]
    if unmatched:
        log.warning("%d bevisavsnitt hittades inte i indexets chunkar", len(unmatched))
    runs = {mode: run_mode(searcher, mapped, mode, fusion) for mode in modes}
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "index": str(searcher.path),
        "embedder": searcher.config["embedder"]["name"],
        "chunking": searcher.config.get("chunking", {}),
        "fusion": (fusion or searcher.fusion).__dict__,
        "queries": len(queries),
        "unmatched_evidence": unmatched,
        "modes": {mode: summarise(results) for mode, results in runs.items()},
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
                "got": [_label(c) for c in came_back],
                "wanted": [_label(c) for c in wanted],
            }
        )
    return worst


def _label(chunk) -> str:
    section = " ".join(x for x in (chunk.section_number, chunk.section_title) if x)
    excerpt = " ".join(chunk.text.split())[:90]
    return (
        f"{chunk.municipality or '?'} · {chunk.title or chunk.source_file} · {section}: {excerpt}"
    )


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
