"""Measure BM25 with the title and heading path as a field of their own, on dev only.

Today the title and heading path are indexed in the chunk's BM25 text ("joined"). The variants:
the chunk text alone ("body"); the body plus a separate title+heading field weighted by w; and the
joined text plus that field as an extra boost. Each variant reuses the shipped index's fitted
analyzer, so only the fields differ. The choice among them is cross-validated as ``eval.tuning``
does (picked on 4/5 of dev, scored on the fifth). Run:

    python -m eval.fielded_bm25 --index revsok-data/index
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from eval.metrics import bootstrap_interval
from eval.runner import run_mode
from eval.side_experiment import dev_queries, run_on_index
from eval.tuning import FOLDS, fold_of, objective
from index.lexical import LexicalIndex
from index.searcher import Searcher

WEIGHTS_BODY = (0.1, 0.25, 0.5, 1.0)
WEIGHTS_JOINED = (0.1, 0.25, 0.5)


class FieldedLexical:
    """Two BM25 indexes over the same rows, scored as ``main + weight × field``."""

    name = "bm25"

    def __init__(self, main: LexicalIndex, field: LexicalIndex, weight: float):
        self.main, self.field, self.weight = main, field, weight
        self.analyzer = main.analyzer
        self.size = main.size

    def _scores(self, index: LexicalIndex, query: str, allowed) -> np.ndarray:
        scores = index.scores(query, allowed)
        return np.zeros(self.size, dtype=np.float32) if scores is None else scores

    def search(self, query: str, k: int, allowed=None) -> list[tuple[int, float]]:
        if allowed is not None and not allowed.any():
            return []
        scores = self._scores(self.main, query, allowed) + self.weight * self._scores(
            self.field, query, allowed
        )
        rows = np.flatnonzero(scores > 0)
        if len(rows) > k:
            rows = rows[np.argpartition(-scores[rows], k - 1)[:k]]
        rows = rows[np.lexsort((rows, -scores[rows]))]
        return [(int(row), float(scores[row])) for row in rows]


def variants(searcher: Searcher) -> dict[str, object]:
    joined = searcher.lexical
    chunks = searcher.chunks
    body = LexicalIndex.build([c.text for c in chunks], joined.analyzer)
    heads = LexicalIndex.build(
        ["\n".join(p for p in (c.title, c.heading_path_text) if p) for c in chunks],
        joined.analyzer,
    )
    options: dict[str, object] = {"titel och rubrikväg i BM25-texten (i dag)": joined}
    options["bara chunkens text"] = body
    for weight in WEIGHTS_BODY:
        options[f"text + {weight} × fältet titel+rubrikväg"] = FieldedLexical(body, heads, weight)
    for weight in WEIGHTS_JOINED:
        options[f"som i dag + {weight} × fältet titel+rubrikväg"] = FieldedLexical(
            joined, heads, weight
        )
    return options


def measure(index: Path) -> str:
    searcher = Searcher.load(index)
    mapped = dev_queries(searcher)
    scores: dict[tuple[str, str], dict[str, dict[str, float]]] = {}
    options = variants(searcher)
    shipped = searcher.lexical
    for name, lexical in options.items():
        searcher.lexical = lexical
        for mode in ("bm25", "hybrid"):
            results = run_mode(searcher, mapped, mode, searcher.fusion, searcher.ranking)
            scores[(name, mode)] = {r.id: r.scores for r in results}
    searcher.lexical = shipped
    ids = sorted(scores[(next(iter(options)), "hybrid")])
    lines = [
        f"Dev: {len(ids)} frågor, hybrid och bm25 med övriga val som levereras.",
        "",
        "| BM25-fält | bm25 Recall@10 | bm25 MRR@10 | hybrid Recall@10 | hybrid MRR@10 | mål |",
        "|---|---|---|---|---|---|",
    ]
    for name in options:
        row = [
            np.mean([scores[(name, mode)][q][metric] for q in ids])
            for mode in ("bm25", "hybrid")
            for metric in ("recall@10", "mrr@10")
        ]
        goal = np.mean([objective(scores[(name, "hybrid")][q]) for q in ids])
        lines.append(f"| {name} | " + " | ".join(f"{v:.3f}" for v in row) + f" | {goal:.3f} |")
    held_out, picks = [], []
    for fold in range(FOLDS):
        train = [q for q in ids if fold_of(q) != fold]
        best = max(
            options, key=lambda n: np.mean([objective(scores[(n, "hybrid")][q]) for q in train])
        )
        picks.append(best)
        held_out += [objective(scores[(best, "hybrid")][q]) for q in ids if fold_of(q) == fold]
    low, high = bootstrap_interval(held_out)
    lines += [
        "",
        f"Korsvaliderat val (valt på 4/5, mätt på 1/5): mål {np.mean(held_out):.3f} "
        f"[{low:.3f}, {high:.3f}]; valt i vikningarna: " + "; ".join(f"{p}" for p in picks),
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    return run_on_index(__doc__.splitlines()[0], measure, argv)


if __name__ == "__main__":
    sys.exit(main())
