"""The judged set for recommendation search, and what the relevance floor does."""

import pytest

from eval.recommendation_eval import load, run, score, summary
from recommendations.store import RecommendationStore, RelevanceFloor


def test_precision_and_recall_by_hand():
    assert score(["a", "x", "b"], ["a", "b", "c"]) == {
        "precision@5": pytest.approx(2 / 3),
        "recall@10": pytest.approx(2 / 3),
        "shown": 3,
    }
    # Nothing expected and nothing shown: no precision to judge, no recall to miss.
    assert score([], []) == {"precision@5": None, "recall@10": None, "shown": 0}
    assert score(["x"], []) == {"precision@5": 0.0, "recall@10": None, "shown": 1}


@pytest.fixture(scope="module")
def store(corpus_index):
    return RecommendationStore.load(corpus_index)


def test_every_expected_recommendation_is_found_among_the_records(store):
    queries = load(store)
    assert len(queries) >= 20
    assert sum(1 for q in queries if not q.expected) >= 2  # queries whose answer is "none"
    assert {rid for q in queries for rid in q.expected} <= {
        r.rec_id for r in store.records.recommendations
    }


def test_the_floor_shows_fewer_wrong_recommendations_on_the_dev_queries(store, corpus_searcher):
    from eval.evalset import split_of

    dev = [q for q in load(store) if split_of(q.id) == "dev"]
    everything = summary(run(store, corpus_searcher, dev, RelevanceFloor(below_best=10.0)))
    floored = summary(run(store, corpus_searcher, dev, RelevanceFloor()))
    assert floored["precision@5"] > everything["precision@5"]
    assert floored["recall@10"] >= 0.8
