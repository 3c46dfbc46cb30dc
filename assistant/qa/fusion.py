"""Small pure functions for combining and diversifying ranked results."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

__all__ = ["cap_per_group", "mmr", "reciprocal_rank_fusion"]

T = TypeVar("T")


def reciprocal_rank_fusion(
    rankings: list[list[str]], k: int = 60, weights: list[float] | None = None
) -> list[tuple[str, float]]:
    """Fuse rankings: score(d) = sum_i w_i / (k + rank_i(d)), rank 1-based.

    RRF needs no score calibration between a dense and a lexical retriever,
    which is why it is used here. Ties are broken by first appearance
    (scanning the rankings in order), so results are deterministic. An id
    repeated within one ranking counts only at its best rank.
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("weights must have one entry per ranking")
    scores: dict[str, float] = {}
    first_seen: dict[str, int] = {}
    for ranking, weight in zip(rankings, weights):
        seen: set[str] = set()
        for rank, doc in enumerate(ranking, start=1):
            if doc in seen:
                continue
            seen.add(doc)
            first_seen.setdefault(doc, len(first_seen))
            scores[doc] = scores.get(doc, 0.0) + weight / (k + rank)
    order = sorted(scores, key=lambda d: (-scores[d], first_seen[d]))
    return [(d, scores[d]) for d in order]


def cap_per_group(items: list[T], group_of: Callable[[T], Hashable], cap: int, k: int) -> list[T]:
    """First ``k`` items in order with at most ``cap`` per group, for breadth.

    If the cap leaves fewer than ``k`` items (e.g. a question about a single
    municipality), the skipped items are appended in their original order:
    the cap is a preference for breadth, never a reason to return less.
    """
    kept: list[T] = []
    skipped: list[T] = []
    per_group: dict[Hashable, int] = {}
    for item in items:
        if len(kept) >= k:
            break
        g = group_of(item)
        if per_group.get(g, 0) < cap:
            per_group[g] = per_group.get(g, 0) + 1
            kept.append(item)
        else:
            skipped.append(item)
    if len(kept) < k:
        kept.extend(skipped[: k - len(kept)])
    return kept


def mmr(
    ids: Sequence[str],
    relevance: dict[str, float],
    similarity: Callable[[str, str], float],
    k: int,
    lambda_: float = 0.7,
) -> list[str]:
    """Maximal marginal relevance (Carbonell & Goldstein 1998), greedy.

    Picks, k times, the id maximising
    ``lambda_ * relevance - (1 - lambda_) * max similarity to those picked``.
    Ties go to the earlier id in ``ids``. Costs O(k * len(ids)) similarity
    calls, so pass a short candidate list.
    """
    remaining = list(dict.fromkeys(ids))
    chosen: list[str] = []
    # Best similarity of each candidate to the chosen set, updated incrementally.
    max_sim = {d: 0.0 for d in remaining}
    while remaining and len(chosen) < k:
        best = max(
            remaining,
            key=lambda d: lambda_ * relevance.get(d, 0.0) - (1 - lambda_) * max_sim[d],
        )
        # max() returns the first maximal element, which gives the tie-break.
        chosen.append(best)
        remaining.remove(best)
        for d in remaining:
            max_sim[d] = max(max_sim[d], similarity(d, best))
    return chosen
