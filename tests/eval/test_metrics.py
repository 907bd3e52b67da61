"""Metric code against values worked out by hand."""

import math

import pytest

from eval.metrics import (
    mean_scores,
    ndcg_at,
    paired_randomization_test,
    per_query,
    recall_at,
    reciprocal_rank_at,
)

JUDGED = {"a": 2, "b": 1, "c": 2}  # three relevant chunks, two of them answer the query


def test_recall():
    assert recall_at(["x", "a", "y", "b"], JUDGED, 5) == pytest.approx(2 / 3)
    assert recall_at(["x", "a", "y", "b"], JUDGED, 2) == pytest.approx(1 / 3)
    assert recall_at(["x"], {}, 5) == 0.0


def test_reciprocal_rank():
    assert reciprocal_rank_at(["x", "y", "b", "a"], JUDGED, 10) == pytest.approx(1 / 3)
    assert reciprocal_rank_at(["x"] * 10 + ["a"], JUDGED, 10) == 0.0


def test_ndcg_by_hand():
    # ranking x, a, b: DCG = 2/log2(3) + 1/log2(4); ideal a, c, b: 2/log2(2) + 2/log2(3) + 1/log2(4)
    dcg = 2 / math.log2(3) + 1 / 2
    idcg = 2 + 2 / math.log2(3) + 1 / 2
    assert ndcg_at(["x", "a", "b"], JUDGED, 10) == pytest.approx(dcg / idcg)
    assert ndcg_at(["a", "c", "b"], JUDGED, 10) == pytest.approx(1.0)


def test_per_query_and_mean():
    rows = [per_query(["a", "c", "b"], JUDGED), per_query(["x", "y"], JUDGED)]
    means = mean_scores(rows)
    assert means["recall@10"] == pytest.approx(0.5)
    assert means["mrr@10"] == pytest.approx(0.5)
    assert means["ndcg@10"] == pytest.approx(0.5)


def test_randomization_test():
    same = [0.5, 0.2, 0.9]
    assert paired_randomization_test(same, same) == 1.0
    better = [1.0] * 12
    worse = [0.0] * 12
    # All 12 differences positive: only the all-plus and all-minus sign patterns are as extreme.
    p = paired_randomization_test(better, worse, trials=20_000, seed=1)
    assert p == pytest.approx(2 / 2**12, abs=0.002)
    noisy = paired_randomization_test([0.6, 0.4, 0.5, 0.55], [0.5, 0.5, 0.5, 0.5])
    assert p < 0.01 < noisy


def test_hit_at_k():
    from eval.metrics import hit_at

    assert hit_at(["x", "y", "b"], JUDGED, 3) == 1.0
    assert hit_at(["x", "y", "b"], JUDGED, 2) == 0.0
    assert per_query(["a"], JUDGED)["hit@10"] == 1.0


def test_bootstrap_interval_brackets_the_mean_and_narrows_with_more_queries():
    from eval.metrics import bootstrap_interval

    few = [0.0, 1.0] * 10
    many = [0.0, 1.0] * 200
    low, high = bootstrap_interval(few)
    assert low < 0.5 < high
    wide, narrow = high - low, bootstrap_interval(many)[1] - bootstrap_interval(many)[0]
    assert narrow < wide / 3
    # Half the values 0 and half 1 over 20 queries: the standard error is sqrt(.25 / 20) = 0.11,
    # so the 95 % interval is about ± 0.22.
    assert wide == pytest.approx(0.44, abs=0.06)
    assert bootstrap_interval([0.7] * 5) == (pytest.approx(0.7), pytest.approx(0.7))
    assert bootstrap_interval([]) == (0.0, 0.0)
