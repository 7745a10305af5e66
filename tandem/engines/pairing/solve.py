"""Optimal assignment with lexicographic priorities, as one expanded assignment problem.

Let ``F`` be the fixed pairs (``pinned`` and ``keep``), ``c_i`` the capacity of experienced
lead ``i`` and ``r_i = c_i - |{j : (i, j) ∈ F}|`` what is left.  Over the learning leads ``J'``
not in ``F`` we choose a set ``M`` of feasible pairs, each ``j`` at most once and each ``i`` at
most ``r_i`` times, maximising lexicographically

    1. ``g(M) = |{j : (i, j) ∈ M, gap_j}|``        matched GAP learning leads, then
    2. ``s(M) = Σ_{(i, j) ∈ M} score_ij``          total score.

Fixed pairs are kept whatever their score (priority 0).  Both levels are folded into one
weight ``w_ij = score_ij + B · gap_j`` with ``B = |J'| + 1``: any gain in ``g`` is worth at
least ``B`` while the total score of any matching is below ``|J'| < B`` (scores are in [0, 1]),
so maximising ``Σ w`` maximises ``g`` first and ``s`` second.

Capacity becomes an *expanded* assignment problem: lead ``i`` contributes
``min(r_i, #candidates of i)`` identical columns ("slots").  Infeasible entries get weight 0,
and because all weights are >= 0 a maximum-weight *complete* rectangular assignment
(``scipy.optimize.linear_sum_assignment``, Jonker-Volgenant) restricted to its feasible entries
is a maximum-weight matching.  Participants are sorted by id, so the result is deterministic
and independent of input order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from tandem.engines.pairing.score import Evaluation


@dataclass(frozen=True)
class Assignment:
    """A set of pairs ``(experienced index, learning index)``; ``fixed`` marks kept ones."""

    pairs: tuple[tuple[int, int], ...]
    fixed: dict[tuple[int, int], str] = field(default_factory=dict)
    method: str = "optimal"

    def total_score(self, ev: Evaluation) -> float:
        return float(sum(ev.score[i, j] for i, j in self.pairs))

    def gap_matched(self, ev: Evaluation) -> int:
        return sum(1 for _, j in self.pairs if ev.problem.learning[j].gap)

    def value(self, ev: Evaluation) -> tuple[int, float]:
        """The lexicographic objective ``(matched GAP learning leads, total score)``."""
        return self.gap_matched(ev), self.total_score(ev)


def residual(ev: Evaluation) -> tuple[np.ndarray, np.ndarray]:
    """Remaining capacity per experienced lead and the mask of learning leads still free."""
    p = ev.problem
    cap = np.array([e.capacity for e in p.experienced], dtype=np.int64)
    free = np.ones(len(p.learning), dtype=bool)
    for i, j in p.fixed:
        cap[i] -= 1
        free[j] = False
    return cap, free


def optimal_assignment(ev: Evaluation) -> Assignment:
    """The lexicographically optimal assignment (fixed pairs, then GAP count, then score)."""
    p = ev.problem
    fixed = p.fixed
    cap, free = residual(ev)
    cand = ev.feasible & free[None, :] & (cap > 0)[:, None]
    rows = np.flatnonzero(cand.any(axis=0))  # learning leads with a candidate
    leads = np.flatnonzero(cand.any(axis=1))
    pairs = list(fixed)
    if rows.size and leads.size:
        slots = np.minimum(cap[leads], cand[leads].sum(axis=1))
        owner = np.repeat(leads, slots)
        ok = cand[owner][:, rows].T  # learning x slots
        gap = np.array([p.learning[j].gap for j in rows], dtype=np.float64)
        bonus = float(len(rows) + 1)
        weight = ev.score[owner][:, rows].T + bonus * gap[:, None]
        weight[~ok] = 0.0
        r, c = linear_sum_assignment(weight, maximize=True)
        chosen = ok[r, c]
        new = [(int(owner[b]), int(rows[a])) for a, b in zip(r[chosen], c[chosen], strict=True)]
        pairs += _fill(cand, cap, new)
    return Assignment(pairs=tuple(sorted(pairs)), fixed=fixed, method="optimal")


def _fill(cand: np.ndarray, cap: np.ndarray, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Add feasible pairs of weight 0 that the solver may have left out (score 0, not GAP).

    Such a pair does not change the objective, but leaving a person unmatched next to a lead
    with spare capacity would be hard to explain.  Learning leads by index, leads by index.
    """
    left = cap.copy()
    taken = np.zeros(cand.shape[1], dtype=bool)
    for i, j in pairs:
        left[i] -= 1
        taken[j] = True
    out = list(pairs)
    for j in np.flatnonzero(~taken & cand.any(axis=0)).tolist():
        options = np.flatnonzero(cand[:, j] & (left > 0))
        if options.size:
            left[options[0]] -= 1
            out.append((int(options[0]), j))
    return out
