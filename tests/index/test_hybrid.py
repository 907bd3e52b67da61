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
