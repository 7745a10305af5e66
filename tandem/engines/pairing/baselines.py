"""Baselines the optimal assignment is compared with (bench and tests).

greedy
    What a careful coordinator with a spreadsheet does: take the learning leads GAP first,
    then by id, and give each the highest-scoring feasible experienced lead that still has
    capacity (serial dictatorship).
gale_shapley
    Learning-lead-proposing deferred acceptance with capacities (the hospital/residents
    variant).  Both sides rank by the pair score, ties broken by index, so the result is a
    stable matching: it has no blocking pairs in the sense of
    :mod:`tandem.engines.pairing.stability`.

Both respect the fixed pairs (pinned and kept) and the hard constraints.
"""

from __future__ import annotations

import heapq

import numpy as np

from tandem.engines.pairing.score import Evaluation
from tandem.engines.pairing.solve import Assignment, residual


def _ranked(ev: Evaluation, cand: np.ndarray, j: int) -> list[int]:
    leads = np.flatnonzero(cand[:, j])
    return leads[np.lexsort((leads, -ev.score[leads, j]))].tolist()


def greedy_assignment(ev: Evaluation) -> Assignment:
    """Serial dictatorship: GAP learning leads first, each takes its best available lead."""
    p = ev.problem
    cap, free = residual(ev)
    cand = ev.feasible & free[None, :]
    order = sorted(np.flatnonzero(free).tolist(), key=lambda j: (not p.learning[j].gap, j))
    pairs = list(p.fixed)
    for j in order:
        for i in _ranked(ev, cand, j):
            if cap[i] > 0:
                cap[i] -= 1
                pairs.append((i, j))
                break
    return Assignment(pairs=tuple(sorted(pairs)), fixed=p.fixed, method="greedy")


def gale_shapley(ev: Evaluation) -> Assignment:
    """Learning-proposing deferred acceptance with capacities; a stable matching."""
    p = ev.problem
    cap, free = residual(ev)
    cand = ev.feasible & free[None, :] & (cap > 0)[:, None]
    prefs = {j: _ranked(ev, cand, j) for j in np.flatnonzero(free).tolist()}
    nxt = dict.fromkeys(prefs, 0)
    held: dict[int, list[tuple[float, int]]] = {}
    queue = sorted(prefs)
    while queue:
        j = queue.pop()
        if nxt[j] >= len(prefs[j]):
            continue
        i = prefs[j][nxt[j]]
        nxt[j] += 1
        heap = held.setdefault(i, [])
        heapq.heappush(heap, (float(ev.score[i, j]), -j))
        if len(heap) > cap[i]:
            _, neg = heapq.heappop(heap)
            queue.append(-neg)
    pairs = list(p.fixed) + [(i, -neg) for i, heap in held.items() for _, neg in heap]
    return Assignment(pairs=tuple(sorted(pairs)), fixed=p.fixed, method="gale-shapley")
