"""What the dev-only side experiments share: an index in, a markdown table out, measured on
the dev queries that have evidence in that index."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from eval.evalset import DEFAULT_SET, MappedQuery, load_eval_set, map_judgments, select_split
from eval.metrics import mean_scores
from eval.runner import QueryResult
from index.searcher import Searcher
from revsok.settings import Settings

PARAPHRASE = "parafras"  # the query type the side experiments were aimed at


def dev_queries(searcher: Searcher, eval_set: Path = DEFAULT_SET) -> list[MappedQuery]:
    """The dev queries mapped onto the searcher's chunks; those with no evidence there are left
    out (the runner could not score them)."""
    dev = select_split(load_eval_set(eval_set), "dev")
    return [m for m in map_judgments(dev, list(searcher.chunks)) if m.qrels]


def overall_and_paraphrases(
    results: Sequence[QueryResult],
) -> tuple[dict[str, float], dict[str, float]]:
    """Mean scores of all ``results``, and of the paraphrases among them."""
    paraphrases = [r.scores for r in results if r.type == PARAPHRASE]
    return mean_scores([r.scores for r in results]), mean_scores(paraphrases)


def run_on_index(
    description: str, measure: Callable[[Path], str], argv: Sequence[str] | None = None
) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--index", type=Path, default=Settings().resolved_index_dir)
    args = parser.parse_args(argv)
    print(measure(args.index))
    return 0
