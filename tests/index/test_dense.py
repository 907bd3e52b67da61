import numpy as np
import pytest

import index.dense as dense_module
from index.dense import DenseIndex


@pytest.fixture(scope="module")
def vectors():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2000, 32)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_nearest_neighbour_is_itself(vectors, kind):
    index = DenseIndex.build(vectors, kind=kind)
    hits = index.search(vectors[42], 5)
    assert hits[0][0] == 42
    assert hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
@pytest.mark.parametrize("exact_limit", [50_000, 10])
def test_filter_applies_before_ranking(vectors, kind, exact_limit, monkeypatch):
    monkeypatch.setattr(dense_module, "EXACT_SUBSET_LIMIT", exact_limit)
    index = DenseIndex.build(vectors, kind=kind)
    allowed = np.zeros(len(vectors), dtype=bool)
    allowed[::50] = True  # 40 rows, none of them the query's own
    hits = index.search(vectors[7], 10, allowed)
    assert len(hits) == 10
    assert all(row % 50 == 0 for row, _ in hits)
    exact = sorted(np.flatnonzero(allowed), key=lambda r: -float(vectors[r] @ vectors[7]))[:10]
    assert [row for row, _ in hits][:5] == [int(r) for r in exact[:5]]


def test_save_load_round_trip(vectors, tmp_path):
    for kind in ("flat", "hnsw"):
        index = DenseIndex.build(vectors, kind=kind)
        index.save(tmp_path)
        loaded = DenseIndex.load(tmp_path, index.settings, kind)
        assert loaded.kind == kind
        assert loaded.search(vectors[3], 8) == index.search(vectors[3], 8)


def test_threshold_picks_the_approximate_index(vectors):
    from index.dense import DenseSettings

    assert DenseIndex.build(vectors, DenseSettings(approximate_above=1000)).kind == "hnsw"
    assert DenseIndex.build(vectors, DenseSettings(approximate_above=5000)).kind == "flat"


def test_a_query_runs_faiss_on_one_thread_and_restores_the_callers_count(vectors, monkeypatch):
    import faiss

    seen = []
    index = DenseIndex.build(vectors, kind="flat")
    search = index.index.search

    def spy(*args, **kwargs):
        seen.append(faiss.omp_get_max_threads())
        return search(*args, **kwargs)

    monkeypatch.setattr(index.index, "search", spy)
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(2)
    try:
        assert index.search(vectors[0], 3)[0][0] == 0
        assert seen == [dense_module.QUERY_THREADS]
        assert faiss.omp_get_max_threads() == 2
    finally:
        faiss.omp_set_num_threads(before)
