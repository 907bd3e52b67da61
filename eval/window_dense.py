"""Measure dense scoring by a chunk's best window ("MaxP"), tried after the tuning and not taken.

A 450-token chunk is one e5 vector, so a passage that answers in two sentences is diluted by the
rest of the chunk. Here each chunk is also embedded as overlapping windows of ``words`` words (led
by the chunk's title and heading path, as the chunk is) and its dense score becomes
``alpha × chunk cosine + (1 − alpha) × best window cosine``; BM25, the fusion and everything after
are the shipped ones. Dev only. Run (embedding the windows takes ~4 minutes on 2 cores):

    python -m eval.window_dense --index revsok-data/index

Result (2026-11-28, in the README): windows lift dense alone (mål 0.631 → 0.665) but not the
hybrid (0.753 → at most 0.753), so the shipped dense scoring stays.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import numpy as np

from eval.evalset import DEFAULT_SET
from eval.runner import run_mode
from eval.side_experiment import dev_queries, overall_and_paraphrases, run_on_index
from eval.tuning import objective
from index import searcher as searcher_module
from index.candidates import _union
from index.searcher import Searcher
from ingest.models import Chunk

WINDOWS = ((80, 40), (160, 80))  # (words, stride)
ALPHAS = (0.0, 0.3, 0.5, 0.7)


def windows_of(chunk: Chunk, words: int, stride: int, embed_context: bool) -> list[str]:
    """Overlapping windows of the chunk's words, each led by its context as the chunk is."""
    context = "\n".join(p for p in (chunk.title, chunk.heading_path_text) if p)
    tokens = chunk.text.split()
    out = []
    start = 0
    while True:
        piece = " ".join(tokens[start : start + words])
        out.append(f"{context}\n{piece}" if embed_context and context else piece)
        if start + words >= len(tokens):
            return out
        start += stride


@dataclass(frozen=True)
class WindowVectors:
    vectors: np.ndarray  # one row per window
    owner: np.ndarray  # the chunk row each window belongs to

    @classmethod
    def embed(cls, searcher: Searcher, words: int, stride: int) -> WindowVectors:
        texts, owner = [], []
        for row, chunk in enumerate(searcher.chunks):
            for text in windows_of(chunk, words, stride, searcher.config.embed_context):
                texts.append(text)
                owner.append(row)
        vectors = np.asarray(searcher.embedder.encode_passages(texts), dtype=np.float32)
        return cls(vectors, np.asarray(owner, dtype=np.int64))

    def best(self, vector: np.ndarray, rows: int) -> np.ndarray:
        """Each chunk's best window cosine with ``vector``."""
        best = np.full(rows, -1.0, dtype=np.float32)
        np.maximum.at(best, self.owner, self.vectors @ vector)
        return best


def _top(scores: np.ndarray, depth: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
    rows = np.flatnonzero(mask) if mask is not None else np.arange(len(scores))
    order = rows[np.argsort(-scores[rows], kind="stable")][:depth]
    return [(int(row), float(scores[row])) for row in order]


@contextmanager
def with_window_dense(searcher: Searcher, windows: WindowVectors, alpha: float) -> Iterator[None]:
    """Dense candidates scored by ``alpha`` × chunk cosine + (1 − ``alpha``) × best window.

    Scores every chunk exactly: the sample corpus is small, and this is a measurement."""
    chunk_vectors = np.asarray(searcher.dense.vectors)

    def dense_ranking(dense, vector, depth, allowed, soft):
        scores = alpha * (chunk_vectors @ vector) + (1 - alpha) * windows.best(
            vector, len(chunk_vectors)
        )
        found = _top(scores, depth, allowed)
        return found if soft is None else _union(found, _top(scores, depth, soft))

    with mock.patch.object(searcher_module, "dense_ranking", dense_ranking):
        yield


def _row(label: str, searcher: Searcher, mapped: Sequence) -> str:
    cells = []
    for mode in ("hybrid", "dense"):
        overall, paraphrases = overall_and_paraphrases(run_mode(searcher, mapped, mode))
        cells.append(
            f"{overall['recall@10']:.3f} / {overall['mrr@10']:.3f} | {objective(overall):.3f} | "
            f"{paraphrases['recall@10']:.2f}"
        )
    return f"| {label} | {' | '.join(cells)} |"


def measure(index: Path, eval_set: Path = DEFAULT_SET) -> str:
    searcher = Searcher.load(index)
    mapped = dev_queries(searcher, eval_set)
    lines = [
        f"Dev: {len(mapped)} frågor",
        "",
        "| Täthetspoäng | hybrid R@10 / MRR@10 | mål | parafraser R@10 "
        "| dense R@10 / MRR@10 | mål | parafraser R@10 |",
        "|---|---|---|---|---|---|---|",
        _row("hela chunken (levererad)", searcher, mapped),
    ]
    for words, stride in WINDOWS:
        windows = WindowVectors.embed(searcher, words, stride)
        for alpha in ALPHAS:
            with with_window_dense(searcher, windows, alpha):
                label = f"fönster {words}/{stride} ord, α {alpha}"
                lines.append(_row(label, searcher, mapped))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    return run_on_index(__doc__.splitlines()[0], measure, argv)


if __name__ == "__main__":
    sys.exit(main())
