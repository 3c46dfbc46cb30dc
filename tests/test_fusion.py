"""Rank fusion, per-group caps and MMR."""

import pytest

from assistant.qa.fusion import cap_per_group, mmr, reciprocal_rank_fusion

pytestmark = pytest.mark.unit


def test_rrf_hand_computed():
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63)
    assert fused["d"] == pytest.approx(1 / 62)
    order = [d for d, _ in reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]], k=60)]
    assert order == ["b", "a", "d", "c"]


def test_rrf_weights():
    rankings = [["a", "b"], ["b", "a"]]
    assert reciprocal_rank_fusion(rankings, k=1, weights=[2.0, 1.0])[0][0] == "a"
    assert reciprocal_rank_fusion(rankings, k=1, weights=[1.0, 2.0])[0][0] == "b"
    fused = dict(reciprocal_rank_fusion(rankings, k=1, weights=[2.0, 1.0]))
    assert fused["a"] == pytest.approx(2 / 2 + 1 / 3)
    with pytest.raises(ValueError):
        reciprocal_rank_fusion(rankings, weights=[1.0])


def test_rrf_ties_broken_by_first_appearance():
    # x and y have identical scores; x appears first.
    assert [d for d, _ in reciprocal_rank_fusion([["x", "y"], ["y", "x"]])] == ["x", "y"]
    assert [d for d, _ in reciprocal_rank_fusion([["y", "x"], ["x", "y"]])] == ["y", "x"]


def test_rrf_duplicate_in_one_ranking_counts_once():
    fused = dict(reciprocal_rank_fusion([["a", "a", "b"]], k=0))
    assert fused == {"a": 1.0, "b": pytest.approx(1 / 3)}


def test_cap_per_group_keeps_breadth():
    items = [("A", 1), ("A", 2), ("A", 3), ("B", 1), ("C", 1), ("A", 4)]
    out = cap_per_group(items, lambda it: it[0], cap=2, k=4)
    assert out == [("A", 1), ("A", 2), ("B", 1), ("C", 1)]


def test_cap_per_group_fills_with_skipped_in_order():
    items = [("A", i) for i in range(5)] + [("B", 0)]
    out = cap_per_group(items, lambda it: it[0], cap=2, k=5)
    assert out == [("A", 0), ("A", 1), ("B", 0), ("A", 2), ("A", 3)]
    assert cap_per_group(items, lambda it: it[0], cap=2, k=100) == [
        ("A", 0),
        ("A", 1),
        ("B", 0),
        ("A", 2),
        ("A", 3),
        ("A", 4),
    ]
    assert cap_per_group([], lambda it: it, cap=1, k=3) == []


def test_mmr_prefers_diverse_results():
    relevance = {"a": 1.0, "a2": 0.95, "b": 0.8}
    same = {frozenset({"a", "a2"})}

    def sim(x, y):
        return 1.0 if frozenset({x, y}) in same else 0.0

    assert mmr(["a", "a2", "b"], relevance, sim, k=2, lambda_=0.7) == ["a", "b"]
    # With lambda 1 it is plain relevance order.
    assert mmr(["a", "a2", "b"], relevance, sim, k=3, lambda_=1.0) == ["a", "a2", "b"]
    assert mmr(["a"], relevance, sim, k=5) == ["a"]
