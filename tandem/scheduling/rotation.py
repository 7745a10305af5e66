"""Rotation for a series of meetings: share the unsociable hours fairly.

Problem
-------
A series has meetings ``m = 1..N``; meeting ``m`` chooses a candidate from its own
:class:`~tandem.scheduling.grid.Grid` (its date range; with ``settings.meetings = N`` all
meetings share one range).  Write ``U_m[c, p] = F[c, p] ∧ ¬S[c, p]`` (person ``p`` attends
candidate ``c`` outside local 08:00-20:00).  Choosing ``c_1..c_N`` gives person ``p`` the
count ``n_p = Σ_m U_m[c_m, p]``.

*Coverage first*: meeting ``m`` may only use its **pool**, the candidates whose attendance is
at least ``(1 - τ)`` times the best attendance of its range (``τ`` =
``settings.coverage_tolerance``, default 0: only slots with the most attendees).

*Fairness next*: among pool choices minimise, lexicographically,

    Φ(n) = (max_p n_p, Σ_p n_p²)

(the worst-off person first, then the spread: for a fixed total, ``Σ n_p²`` is smallest when
the counts are as equal as possible, and it also penalises the total).  Remaining ties go to
more attendees, fewer unsociable attendees, the earliest start.

Algorithm
---------
Exact minimisation of ``Φ`` is a min-max assignment problem (NP-hard in general), so:

1. **Greedy**: for ``m = 1..N`` choose the pool candidate minimising ``Φ`` of the counts so
   far plus its row; all pool candidates are scored at once, ``Σ_p (n_p + u_p)² =
   Σ n_p² + u · (2n + 1)`` being one matrix-vector product.
2. **1-opt improvement**: repeatedly revisit each meeting, take its row out of ``n`` and put
   back the best pool candidate; a change is kept only if ``Φ`` strictly decreases.  Each
   kept change strictly decreases ``Φ`` (a finite set of values), so this stops; at the end
   no single meeting can be moved to improve ``Φ``.

Example: three regions, three meetings and three full-attendance slots, each unsociable for
exactly one region.  The greedy step gives ``max n_p = 1`` as long as a fresh region is left,
so each slot is used once and no region gets the unsociable hour twice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tandem.scheduling.grid import Grid

_MAX_PASSES = 50


@dataclass(frozen=True)
class Rotation:
    """Chosen candidate per meeting (index into that meeting's grid) and per-person counts."""

    chosen: tuple[int, ...]
    unsociable: np.ndarray  # n_p: meetings attended at an unsociable hour
    missed: np.ndarray  # meetings a person cannot attend
    pool_sizes: tuple[int, ...]
    greedy_objective: tuple[int, int]
    objective: tuple[int, int]
    changes: int


def pool(grid: Grid, tolerance: float) -> np.ndarray:
    """Candidates with attendance ``>= (1 - tolerance) · best`` (all if nobody can attend)."""
    a = grid.attendance
    need = math.ceil((1.0 - tolerance) * int(a.max()) - 1e-9)
    return np.flatnonzero(a >= need)


def _objective(counts: np.ndarray) -> tuple[int, int]:
    return (int(counts.max(initial=0)), int((counts * counts).sum()))


def _best_choice(
    base: np.ndarray, rows: np.ndarray, attendance: np.ndarray, unsoc: np.ndarray, starts
) -> tuple[int, tuple[int, int]]:
    """Index into ``rows`` minimising ``(Φ(base + row), -attendance, unsociable, start)``."""
    worst = (base[None, :] + rows).max(axis=1, initial=0)
    squares = int((base * base).sum()) + rows @ (2 * base + 1)
    k = int(np.lexsort((starts, unsoc, -attendance, squares, worst))[0])
    return k, (int(worst[k]), int(squares[k]))


def rotate_series(grids: Sequence[Grid], tolerance: float = 0.0) -> Rotation:
    """Greedy + 1-opt rotation (see the module docstring).  Deterministic."""
    cache: dict[int, tuple] = {}
    tables = []
    for grid in grids:
        if id(grid) not in cache:
            cand = pool(grid, tolerance)
            u = (grid.fits[cand] & ~grid.sociable[cand]).astype(np.int64)
            cache[id(grid)] = (cand, u, grid.attendance[cand], u.sum(axis=1), grid.starts[cand])
        tables.append(cache[id(grid)])
    n_p = grids[0].fits.shape[1] if grids else 0
    counts = np.zeros(n_p, dtype=np.int64)
    pick: list[int] = []
    for _cand, u, att, unsoc, starts in tables:
        k, _ = _best_choice(counts, u, att, unsoc, starts)
        pick.append(k)
        counts += u[k]
    greedy = _objective(counts)

    changes = 0
    for _ in range(_MAX_PASSES):
        improved = False
        for m, (_cand, u, att, unsoc, starts) in enumerate(tables):
            current = _objective(counts)
            rest = counts - u[pick[m]]
            k, value = _best_choice(rest, u, att, unsoc, starts)
            if value < current:
                pick[m], counts = k, rest + u[k]
                improved = True
                changes += 1
        if not improved:
            break

    missed = np.zeros(n_p, dtype=np.int64)
    for grid, (cand, *_), k in zip(grids, tables, pick, strict=True):
        missed += ~grid.fits[cand[k]]
    return Rotation(
        chosen=tuple(int(tab[0][k]) for tab, k in zip(tables, pick, strict=True)),
        unsociable=counts,
        missed=missed,
        pool_sizes=tuple(len(tab[0]) for tab in tables),
        greedy_objective=greedy,
        objective=_objective(counts),
        changes=changes,
    )
