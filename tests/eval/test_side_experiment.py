"""What the side experiments share picks the dev queries and splits out the paraphrases."""

import pytest

from eval.evalset import load_eval_set, split_of
from eval.runner import run_mode
from eval.side_experiment import PARAPHRASE, dev_queries, overall_and_paraphrases


def test_dev_queries_are_the_dev_split_with_evidence_in_the_index(corpus_searcher):
    mapped = dev_queries(corpus_searcher)
    dev = {q.id for q in load_eval_set() if split_of(q.id) == "dev"}
    assert {m.query.id for m in mapped} <= dev
    assert len(mapped) > 0.9 * len(dev)
    assert all(m.qrels for m in mapped)


def test_paraphrases_are_scored_apart_from_the_whole(corpus_searcher):
    mapped = [m for m in dev_queries(corpus_searcher) if m.query.type == PARAPHRASE][:3]
    mapped += [m for m in dev_queries(corpus_searcher) if m.query.type != PARAPHRASE][:3]
    results = run_mode(corpus_searcher, mapped, "bm25")
    overall, paraphrases = overall_and_paraphrases(results)
    by_type = [r.scores["mrr@10"] for r in results if r.type == PARAPHRASE]
    assert paraphrases["mrr@10"] == pytest.approx(sum(by_type) / 3)
    assert overall["mrr@10"] == pytest.approx(sum(r.scores["mrr@10"] for r in results) / 6)
