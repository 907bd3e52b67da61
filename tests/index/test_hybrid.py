import pytest

from index.hybrid import FusionSettings, fuse, reciprocal_rank_fusion, weighted_fusion


def test_rrf_against_hand_worked_values():
    rankings = {"bm25": [(1, 9.0), (2, 5.0)], "dense": [(2, 0.9), (3, 0.8)]}
    fused = dict(reciprocal_rank_fusion(rankings, k=60))
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61)
    assert fused[1] == pytest.approx(1 / 61)
    assert fused[3] == pytest.approx(1 / 62)
    assert [row for row, _ in reciprocal_rank_fusion(rankings, k=60)] == [2, 1, 3]


def test_weighted_fusion_against_hand_worked_values():
    rankings = {"bm25": [(1, 10.0), (2, 6.0), (3, 2.0)], "dense": [(3, 0.9), (2, 0.5)]}
    fused = dict(weighted_fusion(rankings, {"bm25": 0.7, "dense": 0.3}))
    # bm25 normalised: 1 → 1.0, 2 → 0.5, 3 → 0.0; dense: 3 → 1.0, 2 → 0.0
    assert fused[1] == pytest.approx(0.7)
    assert fused[2] == pytest.approx(0.35)
    assert fused[3] == pytest.approx(0.3)


def test_fuse_dispatches_and_validates():
    rankings = {"bm25": [(1, 1.0)], "dense": [(2, 1.0)]}
    assert {r for r, _ in fuse(rankings, FusionSettings(method="weighted", dense_weight=1.0))} == {
        1,
        2,
    }
    assert fuse(rankings, FusionSettings(method="weighted", dense_weight=1.0))[0][0] == 2
    with pytest.raises(ValueError, match="okänd fusion"):
        FusionSettings(method="max")


def test_z_score_fusion_against_hand_worked_values():
    from index.hybrid import weighted_fusion

    # bm25 scores 3, 2, 1: mean 2, spread sqrt(2/3); shifted so the floor is 0 → 0, 1.2247, 2.4495
    rankings = {"bm25": [(1, 3.0), (2, 2.0), (3, 1.0)], "dense": [(3, 0.8), (1, 0.4)]}
    fused = dict(weighted_fusion(rankings, {"bm25": 0.5, "dense": 0.5}, "zscore"))
    # dense 0.8, 0.4: mean 0.6, spread 0.2 → z 1, -1 → shifted 2, 0
    assert fused[1] == pytest.approx(0.5 * 2.449490 + 0.5 * 0.0, rel=1e-5)
    assert fused[2] == pytest.approx(0.5 * 1.224745, rel=1e-5)
    assert fused[3] == pytest.approx(0.5 * 0.0 + 0.5 * 2.0)


def test_rank_fusion_uses_only_the_order():
    from index.hybrid import weighted_fusion

    a = {"bm25": [(1, 100.0), (2, 1.0)], "dense": [(2, 0.9), (1, 0.1)]}
    b = {"bm25": [(1, 2.0), (2, 1.9)], "dense": [(2, 0.5), (1, 0.49)]}
    assert weighted_fusion(a, {"bm25": 0.6, "dense": 0.4}, "rank") == weighted_fusion(
        b, {"bm25": 0.6, "dense": 0.4}, "rank"
    )
    assert dict(weighted_fusion(a, {"bm25": 0.6, "dense": 0.4}, "rank")) == {
        1: pytest.approx(0.6 * 1.0 + 0.4 * 0.5),
        2: pytest.approx(0.6 * 0.5 + 0.4 * 1.0),
    }


def test_confidence_weighting_favours_the_retriever_that_stands_out():
    from index.hybrid import confidence, retriever_weights

    sure = [(1, 10.0), (2, 2.0), (3, 1.9), (4, 2.1)]
    guessing = [(5, 0.80), (6, 0.79), (7, 0.81), (8, 0.78)]
    assert confidence(sure) > 5 > confidence(guessing)
    settings = FusionSettings(dense_weight=0.5, confidence_weighting=True)
    weights = retriever_weights({"bm25": sure, "dense": guessing}, settings)
    assert weights["bm25"] > 0.8 and weights["dense"] < 0.2
    assert sum(weights.values()) == pytest.approx(1.0)
    plain = retriever_weights(
        {"bm25": sure, "dense": guessing},
        FusionSettings(dense_weight=0.5, confidence_weighting=False),
    )
    assert plain == {"bm25": 0.5, "dense": 0.5}


def test_unknown_normalisation_is_refused():
    with pytest.raises(ValueError, match="okänd normalisering"):
        FusionSettings(normalisation="softmax")
