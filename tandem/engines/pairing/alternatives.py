"""Each participant's best feasible partners: the top ``k`` of a row of the score matrix.

For an experienced lead ``i`` the alternatives are the ``k`` feasible learning leads ``j`` with
the highest ``score_ij``; for a learning lead ``j``, the ``k`` feasible experienced leads ``i``
with the highest ``score_ij``.  Ties are broken by the other side's id (participants are sorted
by id, so by index), exactly the order of :func:`~tandem.engines.pairing.api.score`'s list, so
``best_partners(ev, k)`` equals taking each person's first ``k`` pairs of that list, without
writing the reasons of every feasible pair.

Vectorised: the ``k``-th largest feasible score of every row is found with one
``numpy.partition`` (linear time), only the entries at or above it are kept (``k`` per row but
for ties) and those few are sorted by (row, -score, column) with one ``numpy.lexsort``.
Fixed (pinned or kept) pairs that break a constraint are not feasible and are not offered.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tandem.engines.pairing.score import Evaluation

Alternative = dict[str, Any]  # {"id": other id, "score": float, "overlap_hours": float}


def top_k(values: np.ndarray, mask: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, cols)`` of the (up to) ``k`` largest ``values`` of each row where ``mask``
    holds, ordered by row, then value (largest first), then column (smallest first)."""
    n, m = values.shape
    if n == 0 or m == 0 or k <= 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    if k < m:
        negated = np.where(mask, -values, np.inf)
        kth = np.partition(negated, k - 1, axis=1)[:, k - 1]  # minus the k-th largest of a row
        keep = mask & (negated <= kth[:, None])
    else:
        keep = mask
    rows, cols = np.nonzero(keep)
    order = np.lexsort((cols, -values[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    first = np.searchsorted(rows, rows, side="left")  # where each row's entries start
    chosen = (np.arange(rows.size) - first) < k
    return rows[chosen], cols[chosen]


def best_partners(ev: Evaluation, k: int = 3) -> dict[str, list[Alternative]]:
    """``{participant id: [{"id", "score", "overlap_hours"}, ...]}``: every participant with a
    feasible partner, their best ``k`` feasible partners, best first (scores unrounded)."""
    p = ev.problem
    score, feasible, hours = ev.score, ev.feasible, ev.compat.overlap.min_hours
    out: dict[str, list[Alternative]] = {}
    for me, others, (rows, cols), transposed in (
        (p.experienced, p.learning, top_k(score, feasible, k), False),
        (p.learning, p.experienced, top_k(score.T, feasible.T, k), True),
    ):
        i_idx, j_idx = (cols, rows) if transposed else (rows, cols)
        scores = score[i_idx, j_idx].tolist()
        overlaps = hours[i_idx, j_idx].tolist()
        for r, c, s, h in zip(rows.tolist(), cols.tolist(), scores, overlaps, strict=True):
            out.setdefault(me[r].id, []).append(
                {"id": others[c].id, "score": float(s), "overlap_hours": float(h)}
            )
    return out
