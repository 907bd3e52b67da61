import numpy as np
import pytest

import index.dense as dense_module
from index.dense import DenseIndex, DenseSettings
from index.dense_settings import IVF_MIN_PER_LIST


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


IVF_VARIANTS = {
    "ivf-flat": DenseSettings(ivf_nlist=16, ivf_nprobe=4, ivf_encoding="flat"),
    "ivf-sq8": DenseSettings(ivf_nlist=16, ivf_nprobe=4, ivf_encoding="sq8"),
    "ivf-pq": DenseSettings(ivf_nlist=16, ivf_nprobe=4, ivf_encoding="pq", ivf_pq_m=8),
}


@pytest.fixture(scope="module", params=sorted(IVF_VARIANTS))
def ivf(request, vectors):
    return DenseIndex.build(vectors, IVF_VARIANTS[request.param], kind="ivf")


def test_ivf_finds_each_vector_itself(ivf, vectors):
    assert ivf.kind == "ivf"
    assert ivf.index.nlist == 16
    for row in (0, 42, 1999):
        hits = ivf.search(vectors[row], 5)
        assert hits[0][0] == row
        # Compressed codes are rescored from the float vectors: the cosine is exact.
        assert hits[0][1] == pytest.approx(1.0, abs=1e-5)
        assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


@pytest.mark.parametrize("exact_limit", [50_000, 10])
def test_ivf_filter_applies_before_ranking(ivf, vectors, exact_limit, monkeypatch):
    monkeypatch.setattr(dense_module, "EXACT_SUBSET_LIMIT", exact_limit)
    allowed = np.zeros(len(vectors), dtype=bool)
    allowed[::50] = True  # 40 rows in 16 lists: the 4 probed lists alone may not hold 10
    hits = ivf.search(vectors[7], 10, allowed)
    assert len(hits) == 10
    assert all(row % 50 == 0 for row, _ in hits)
    exact = sorted(np.flatnonzero(allowed), key=lambda r: -float(vectors[r] @ vectors[7]))[:10]
    assert [row for row, _ in hits][:5] == [int(r) for r in exact[:5]]


def test_a_large_filter_probes_more_lists_and_keeps_to_the_filter(vectors, monkeypatch):
    monkeypatch.setattr(dense_module, "EXACT_SUBSET_LIMIT", 10)
    settings = DenseSettings(ivf_nlist=16, ivf_nprobe=2, ivf_encoding="flat")
    index = DenseIndex.build(vectors, settings, kind="ivf")
    seen = []
    search = index.index.search

    def spy(query, k, params=None):
        seen.append((params.nprobe, params.sel is not None))
        return search(query, k, params=params)

    monkeypatch.setattr(index.index, "search", spy)
    allowed = np.arange(len(vectors)) % 4 == 0  # a quarter of the rows: four times the lists
    hits = index.search(vectors[8], 10, allowed)
    assert seen == [(8, True)]
    assert hits[0][0] == 8 and all(allowed[row] for row, _ in hits)
    assert len(hits) == 10


@pytest.mark.parametrize("variant", sorted(IVF_VARIANTS))
def test_ivf_save_load_round_trip(vectors, variant, tmp_path):
    settings = IVF_VARIANTS[variant]
    index = DenseIndex.build(vectors, settings, kind="ivf")
    index.save(tmp_path)
    assert (tmp_path / dense_module.IVF_FILE).exists()
    loaded = DenseIndex.load(tmp_path, DenseSettings(ivf_nlist=16, ivf_nprobe=8), "ivf")
    assert loaded.kind == "ivf" and loaded.rescored == index.rescored
    # The search settings are the config's, the lists the file's.
    assert (loaded.index.nprobe, loaded.index.nlist) == (8, 16)
    loaded.index.nprobe = index.index.nprobe
    assert loaded.search(vectors[3], 8) == index.search(vectors[3], 8)


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.unlink(),
        lambda path: path.write_bytes(path.read_bytes()[:200]),
        lambda path: path.write_bytes(b"not a faiss index"),
    ],
    ids=["missing", "truncated", "garbage"],
)
def test_a_damaged_ivf_file_is_a_dense_index_error(vectors, tmp_path, damage):
    DenseIndex.build(vectors, DenseSettings(ivf_nlist=16), kind="ivf").save(tmp_path)
    damage(tmp_path / dense_module.IVF_FILE)
    with pytest.raises(dense_module.DenseIndexError, match="bygg om"):
        DenseIndex.load(tmp_path, DenseSettings(), "ivf")


def test_an_ivf_file_of_other_vectors_or_kind_is_refused(vectors, tmp_path):
    DenseIndex.build(vectors[:1000], DenseSettings(ivf_nlist=16), kind="ivf").save(tmp_path)
    np.save(tmp_path / dense_module.VECTORS_FILE, vectors)
    with pytest.raises(dense_module.DenseIndexError, match="hör inte ihop"):
        DenseIndex.load(tmp_path, DenseSettings(), "ivf")
    # A graph saved under the inverted file's name is not an inverted file.
    DenseIndex.build(vectors, kind="hnsw").save(tmp_path)
    (tmp_path / dense_module.HNSW_FILE).rename(tmp_path / dense_module.IVF_FILE)
    with pytest.raises(dense_module.DenseIndexError, match="hör inte ihop"):
        DenseIndex.load(tmp_path, DenseSettings(), "ivf")


def test_the_corpus_size_picks_flat_hnsw_or_ivf(vectors):
    settings = DenseSettings(approximate_above=500, ivf_above=1500, ivf_nlist=64)
    assert [settings.kind_for(n) for n in (500, 501, 1500, 1501)] == ["flat", "hnsw", "hnsw", "ivf"]
    index = DenseIndex.build(vectors, settings)
    assert index.kind == "ivf"
    # 2000 vectors fill 51 lists of 39: fewer lists than asked for, each with a real centroid.
    assert index.index.nlist == 2000 // IVF_MIN_PER_LIST
    assert DenseIndex.build(vectors[:0], settings, kind="ivf").kind == "flat"


def test_ivf_settings_are_checked():
    with pytest.raises(ValueError, match="ivf_encoding"):
        DenseSettings(ivf_encoding="opq")
    with pytest.raises(ValueError, match="ivf_nprobe"):
        DenseSettings(ivf_nprobe=0)


def test_an_index_config_from_before_ivf_reads_with_todays_ivf_defaults(tmp_path):
    from index.index_config import IndexConfig
    from index.layout import FORMAT_VERSION, IndexConfigError

    raw = {
        "format_version": FORMAT_VERSION,
        "embedder": {"name": "hash", "dimension": 32},
        "counts": {"chunks": 0, "documents": 0, "recommendations": 0},
        "dense": {
            "kind": "hnsw",
            "approximate_above": 50_000,
            "hnsw_m": 32,
            "hnsw_ef_construction": 80,
            "hnsw_ef_search": 256,
        },
        "lexical": {},
        "fusion": {},
    }
    config = IndexConfig.from_dict(raw, tmp_path / "config.json")
    assert (config.dense_kind, config.dense) == ("hnsw", DenseSettings())
    again = IndexConfig.from_dict(config.to_dict(), tmp_path / "config.json")
    assert again.dense == config.dense
    raw["dense"] |= {"kind": "ivf", "ivf_nprobe": 64}
    assert IndexConfig.from_dict(raw, tmp_path / "config.json").dense.ivf_nprobe == 64
    raw["dense"]["ivf_encoding"] = "opq"
    with pytest.raises(IndexConfigError, match="ivf_encoding"):
        IndexConfig.from_dict(raw, tmp_path / "config.json")
