"""Recommendation search judged: queries → the recommendations that answer them.

``eval/recommendation_queries.jsonl`` names each expected recommendation by a verbatim span of its
own wording, so the judgments survive a new extraction. A query may expect none: then the right
answer is to show nothing. Metrics per query: precision of what is shown among the top 5 (a query
that shows nothing is left out of precision, and counted as "tom"), and recall@10 of the expected
recommendations. The relevance floor (``RelevanceFloor``) is chosen on the dev split; the test
split only reports. Run:  python -m eval.recommendation_eval [--index MAPP]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eval.evalset import normalise, split_of
from eval.metrics import bootstrap_interval
from index.searcher import Searcher
from recommendations.store import RecommendationStore, RelevanceFloor
from revsok.settings import Settings

DEFAULT_SET = Path(__file__).resolve().parent / "recommendation_queries.jsonl"
SHOWN = 5


@dataclass(frozen=True)
class RecQuery:
    id: str
    query: str
    expected: tuple[str, ...]  # rec ids


def load(store: RecommendationStore, path: Path = DEFAULT_SET) -> list[RecQuery]:
    texts = {r.rec_id: normalise(r.text) for r in store.records.recommendations}
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        expected = []
        for item in raw["expected"]:
            span = normalise(item["evidence"])
            # The record keeps the recommendation's words without "se avsnitt 3.2" or the lead-in
            # ("rekommenderades socialnämnden att: —"), so either may hold the other.
            found = [rid for rid, text in texts.items() if span in text or _core(text) in span]
            if not found:
                raise ValueError(f"{raw['id']}: ingen rekommendation innehåller {span[:60]!r}")
            expected.extend(found)
        queries.append(RecQuery(raw["id"], raw["query"], tuple(dict.fromkeys(expected))))
    return queries


def _core(text: str) -> str:
    return text.split(" se avsnitt")[0].rstrip(" ,.")


def score(shown: Sequence[str], expected: Sequence[str]) -> dict[str, float | None]:
    top = list(shown[:SHOWN])
    wanted = set(expected)
    return {
        "precision@5": (sum(r in wanted for r in top) / len(top)) if top else None,
        "recall@10": (len(wanted & set(shown[:10])) / len(wanted)) if wanted else None,
        "shown": len(top),
    }


def run(store, searcher, queries, floor: RelevanceFloor) -> list[dict]:
    rows = []
    for q in queries:
        hits = store.search(
            q.query,
            embedder=searcher.embedder,
            k=10,
            query_vector=searcher.query_vector(q.query),
            relevance=floor,
        )
        shown = [h.recommendation.rec_id for h in hits]
        rows.append({"id": q.id, "query": q.query, **score(shown, q.expected)})
    return rows


def summary(rows: list[dict]) -> dict:
    precision = [r["precision@5"] for r in rows if r["precision@5"] is not None]
    recall = [r["recall@10"] for r in rows if r["recall@10"] is not None]
    return {
        "queries": len(rows),
        "precision@5": float(np.mean(precision)) if precision else 0.0,
        "precision@5_interval": bootstrap_interval(precision),
        "recall@10": float(np.mean(recall)) if recall else 0.0,
        "recall@10_interval": bootstrap_interval(recall),
        "empty_though_expected": sum(r["shown"] == 0 and r["recall@10"] is not None for r in rows),
        "shown_though_none_expected": sum(r["shown"] > 0 and r["recall@10"] is None for r in rows),
    }


def objective(s: dict) -> float:
    """F0.5: precision counts twice as much as recall (none rather than wrong ones)."""
    p, r = s["precision@5"], s["recall@10"]
    return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0


def floors() -> list[RelevanceFloor]:
    return [
        RelevanceFloor(minimum=m, below_best=b, kommun_bonus=k)
        for m in (0.0, 0.9, 1.0, 1.1, 1.2, 1.3)
        for b in (10.0, 0.5, 0.4, 0.3, 0.2)
        for k in (0.0, 0.3, 0.6)
    ]


def calibrate(index_dir: Path) -> dict:
    searcher = Searcher.load(index_dir)
    store = RecommendationStore.load(index_dir)
    queries = load(store)
    dev = [q for q in queries if split_of(q.id) == "dev"]
    test = [q for q in queries if split_of(q.id) == "test"]
    tried = []
    for floor in floors():
        s = summary(run(store, searcher, dev, floor))
        tried.append((objective(s), floor, s))
    # Ties keep the earlier (looser) floor.
    best = max(tried, key=lambda t: t[0])
    unfloored = RelevanceFloor(below_best=10.0, kommun_bonus=best[1].kommun_bonus)
    return {
        "chosen": best[1].__dict__,
        "dev": best[2],
        "test": summary(run(store, searcher, test, best[1])),
        "test_without_floor": summary(run(store, searcher, test, unfloored)),
        "test_previous": summary(
            run(store, searcher, test, RelevanceFloor(below_best=10.0, kommun_bonus=0.0))
        ),
        "per_query_test": run(store, searcher, test, best[1]),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=Settings().resolved_index_dir)
    args = parser.parse_args(argv)
    print(json.dumps(calibrate(args.index), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
