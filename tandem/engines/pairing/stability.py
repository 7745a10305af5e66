"""Stability report: blocking pairs of an assignment.

Both sides are assumed to rank partners by the pair score (higher is better).  Given an
assignment, let ``u_j`` be the score of learning lead ``j`` with its partner (``-∞`` if
unmatched) and ``v_i`` the threshold of experienced lead ``i``: ``-∞`` if it has spare capacity,
``+∞`` if its capacity is 0, otherwise the lowest score among its partners.  A feasible pair
``(i, j)`` that is not matched together *blocks* iff

    score_ij > u_j   and   score_ij > v_i,

i.e. both would rather be together than keep (one of) their current arrangements.  The
optimal assignment trades some stability for GAP priority and total score; the count shows
staff how much.  Fixed pairs count as ordinary assignments.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from tandem.engines.pairing.score import Evaluation


def blocking_mask(ev: Evaluation, pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    """Boolean ``n x m`` matrix of blocking pairs (vectorised)."""
    p = ev.problem
    n, m = ev.score.shape
    pairs = list(pairs)
    u = np.full(m, -np.inf)
    load = np.zeros(n, dtype=np.int64)
    worst = np.full(n, np.inf)
    matched = np.zeros((n, m), dtype=bool)
    for i, j in pairs:
        u[j] = ev.score[i, j]
        load[i] += 1
        worst[i] = min(worst[i], ev.score[i, j])
        matched[i, j] = True
    cap = np.array([e.capacity for e in p.experienced], dtype=np.int64)
    v = np.where(load < cap, -np.inf, worst)  # full leads: worst partner (+inf if capacity 0)
    return ev.feasible & ~matched & (ev.score > u[None, :]) & (ev.score > v[:, None])


def blocking_pairs(ev: Evaluation, pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Blocking pairs as (experienced index, learning index), sorted."""
    i, j = np.nonzero(blocking_mask(ev, pairs))
    return list(zip(i.tolist(), j.tolist(), strict=True))
