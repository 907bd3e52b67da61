"""How close the benchmark's scale-up corpora are to the real one: nearest-neighbour distances.

Compares the real corpus with the two generators of ``revsok.bench.scale_corpus`` at the real
corpus's size (same density): each vector's nearest other vector in its own set, and each real
query's nearest vector (queries from eval/queries.jsonl, embedded with the index's embedder). Prints
quantiles, a text histogram and the Kolmogorov–Smirnov statistic against the real distribution,
and writes docs/scale-nn-distances.png. With ``--recall-rows N`` it also builds both corpora at N
rows and measures HNSW recall@10 against exact search (default dense settings):

    .venv/bin/python scripts/scale_corpus_report.py --index /tmp/x450 --recall-rows 100000
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.dense import DenseIndex, DenseSettings  # noqa: E402
from index.searcher import Searcher  # noqa: E402
from revsok.bench import scale_corpus  # noqa: E402

QUERIES = REPO / "eval" / "queries.jsonl"
FIGURE = REPO / "docs" / "scale-nn-distances.png"
BIN_WIDTH = 0.01
LAST_BIN = 0.16
NAMES = ("real", "realistic", "copies")


def _queries() -> list[str]:
    with QUERIES.open(encoding="utf-8") as fh:
        return [json.loads(line)["query"] for line in fh if line.strip()]


def _histogram(title: str, part: dict) -> list[str]:
    edges = np.arange(0.0, LAST_BIN + BIN_WIDTH / 2, BIN_WIDTH)
    lines = [title, "  bin            " + "".join(f"{n:>11}" for n in NAMES)]
    counts = {}
    for name in NAMES:
        values = part[name]["values"]
        below, _ = np.histogram(values, bins=edges)
        counts[name] = [*below.tolist(), int((values >= edges[-1]).sum())]
    labels = [f"{lo:.2f}–{hi:.2f}" for lo, hi in itertools.pairwise(edges)]
    labels.append(f"≥ {edges[-1]:.2f}")
    for row, label in enumerate(labels):
        if any(counts[n][row] for n in NAMES):
            lines.append(f"  {label:<15}" + "".join(f"{counts[n][row]:>11}" for n in NAMES))
    return lines


def _quantiles(title: str, part: dict, levels: list[float]) -> list[str]:
    head = "".join(f"{'q' + format(q, 'g'):>9}" for q in levels)
    lines = [title, f"  {'':<10}{head}{'KS':>8}"]
    for name in NAMES:
        entry = part[name]
        values = "".join(f"{v:>9.4f}" for v in entry["quantiles"])
        lines.append(f"  {name:<10}{values}{entry['ks']:>8.3f}")
    return lines


def _figure(report: dict) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, axes = plt.subplots(1, 2, figsize=(11, 4))
    titles = {
        "self": "Varje vektors närmaste granne i samma mängd",
        "query": "Varje frågas närmaste vektor",
    }
    colours = {"real": "black", "realistic": "tab:blue", "copies": "tab:red"}
    labels = {"real": "verklig korpus", "realistic": "realistic", "copies": "copies, gammal"}
    for axis, part in zip(axes, ("self", "query"), strict=True):
        top = max(float(report[part][n]["values"].max()) for n in NAMES)
        bins = np.linspace(0, top * 1.02, 80)
        for name in NAMES:
            entry = report[part][name]
            label = f"{labels[name]}" + (f" (KS {entry['ks']:.2f})" if name != "real" else "")
            axis.hist(
                entry["values"], bins=bins, histtype="step", linewidth=1.6, density=True,
                color=colours[name], label=label,
            )  # fmt: skip
        axis.set_title(titles[part], fontsize=10)
        axis.set_xlabel("cosinusavstånd (1 − cos)")
        axis.legend(fontsize=8)
    axes[0].set_ylabel("täthet")
    figure.suptitle("Närmaste-granne-avstånd vid samma storlek som korpusen", fontsize=11)
    figure.tight_layout()
    FIGURE.parent.mkdir(exist_ok=True)
    figure.savefig(FIGURE, dpi=110)
    return True


def _recall(searcher: Searcher, rows: int, query_vectors: np.ndarray, seed: int) -> dict:
    """HNSW (default settings) recall@10 against exact search, per generator, at ``rows``."""
    result = {}
    for kind in ("realistic", "copies"):
        corpus = scale_corpus.generate(searcher, rows, seed=seed, kind=kind)
        flat = DenseIndex.build(corpus.vectors, kind="flat")
        exact = [flat.search(q, 10) for q in query_vectors]
        started = time.perf_counter()
        hnsw = DenseIndex.build(corpus.vectors, DenseSettings(), kind="hnsw")
        build = time.perf_counter() - started
        found = [hnsw.search(q, 10) for q in query_vectors]
        recall = [
            len({r for r, _ in f} & {r for r, _ in e}) / 10
            for f, e in zip(found, exact, strict=True)
        ]
        top1 = np.array([e[0][1] for e in exact])
        tenth = np.array([e[-1][1] for e in exact])
        result[kind] = {
            "recall_at_10": round(float(np.mean(recall)), 4),
            "recall_min": round(float(np.min(recall)), 2),
            "queries_below_0.9": int(sum(r < 0.9 for r in recall)),
            "build_seconds": round(build, 1),
            "top1_cos_median": round(float(np.median(top1)), 4),
            "top10_cos_median": round(float(np.median(tenth)), 4),
            "gap_top1_top10_median": round(float(np.median(top1 - tenth)), 4),
        }
        del corpus, flat, hnsw
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, default=REPO / "revsok-data" / "index")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--recall-rows", type=int, default=0, help="0: skip the recall test")
    parser.add_argument("--recall-queries", type=int, default=50)
    parser.add_argument("--no-figure", action="store_true")
    args = parser.parse_args()

    searcher = Searcher.load(args.index)
    real = searcher.dense.vectors
    size = len(real)
    started = time.perf_counter()
    realistic = scale_corpus.generate(searcher, size, seed=args.seed)
    copies = scale_corpus.generate(searcher, size, seed=args.seed, kind="copies")
    calibration = realistic.calibration
    print(
        f"Real corpus: {size} chunks, dimension {real.shape[1]}; generated {size} of each kind "
        f"in {time.perf_counter() - started:.1f} s"
    )
    print(
        f"Calibrated noise {calibration.noise} (× the real covariance): generated median NN "
        f"{calibration.generated_median:.4f} vs real {calibration.real_median:.4f}"
    )
    queries = _queries()
    query_vectors = np.asarray(searcher.embedder.encode_queries(queries), dtype=np.float32)
    report = scale_corpus.nn_report(
        real, {"realistic": realistic.vectors, "copies": copies.vectors}, query_vectors
    )
    levels = report["quantile_levels"]
    print()
    lines = _quantiles(
        "NN cosine distance, each vector to its nearest other in its own set "
        f"({size} rows each); KS vs real",
        report["self"],
        levels,
    )
    lines += [
        "",
        *_quantiles(
            f"NN cosine distance, each of {len(queries)} real queries to its nearest vector; "
            "KS vs real",
            report["query"],
            levels,
        ),
        "",
        *_histogram("Histogram (counts), own set:", report["self"]),
        "",
        *_histogram("Histogram (counts), queries:", report["query"]),
    ]
    pairwise = {"real": real, "realistic": realistic.vectors, "copies": copies.vectors}
    lines += ["", "Cosine between random pairs (the corpus's spread), median / q0.05 / q0.95:"]
    for name, vectors in pairwise.items():
        similarity = vectors @ vectors.T
        values = similarity[np.triu_indices(size, 1)]
        lines.append(
            f"  {name:<10}{np.median(values):.3f} / {np.quantile(values, 0.05):.3f} / "
            f"{np.quantile(values, 0.95):.3f}"
        )
    print("\n".join(lines))
    if not args.no_figure and _figure(report):
        print(f"\nWrote {FIGURE.relative_to(REPO)}")

    if args.recall_rows:
        pick = np.linspace(0, len(queries) - 1, min(args.recall_queries, len(queries)))
        chosen = query_vectors[np.unique(pick.round().astype(int))]
        print(
            f"\nHNSW (M {DenseSettings().hnsw_m}, efConstruction "
            f"{DenseSettings().hnsw_ef_construction}, efSearch {DenseSettings().hnsw_ef_search}) "
            f"vs exact, {args.recall_rows:,} rows, {len(chosen)} real queries:"
        )
        for kind, entry in _recall(searcher, args.recall_rows, chosen, args.seed).items():
            print(f"  {kind:<10}" + ", ".join(f"{k} {v}" for k, v in entry.items()))


if __name__ == "__main__":
    main()
