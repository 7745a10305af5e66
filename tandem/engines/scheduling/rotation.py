"""Rotation for a series of meetings: share the unsociable hours fairly.

Problem
-------
A series has meetings ``m = 1..N``; meeting ``m`` chooses a candidate from its own
:class:`~tandem.engines.scheduling.grid.Grid` (its date range; with ``settings.meetings = N`` all
meetings share one range).  Write ``G_m[c, p] = F[c, p] ∧ S[c, p]`` (person ``p`` attends
candidate ``c`` inside local 08:00-20:00) and ``B_m = ¬G_m``: the meeting *burdens* ``p``, who
either cannot attend it or must attend outside 08:00-20:00.  Choosing ``c_1..c_N`` gives
person ``p`` the burden ``b_p = Σ_m B_m[c_m, p]``: the meetings of the series they do not get
at a sociable hour.  (People who can never attend a meeting of the pool carry the same
burden whatever is chosen.)

*Distinct times*: no two meetings of the series overlap, ``|T_{c_m} - T_{c_k}| >= d`` for
``m != k`` (so they are at distinct instants).

*Coverage*: meeting ``m`` may only use its **pool**, the candidates whose attendance is at
least ``(1 - τ)`` times the best attendance of its range (``τ`` =
``settings.coverage_tolerance``, default 0.5: at least half the best attendance, so that the
time can move between regions; 0: only slots with the most attendees).  When the
meetings sharing a range do not fit at distinct times inside that pool, the attendance
threshold is lowered one attendee at a time until they do (the count of pairwise
non-overlapping candidates is exact: earliest-start greedy).  If, because of another range,
a meeting finds no free pool candidate, it takes the free candidates of its range with the
most attendees.

*Fairness next*: among pool choices minimise, lexicographically,

    Φ(b) = (max_p b_p, Σ_p b_p²)

(the worst-off person first, then the spread: for a fixed total, ``Σ b_p²`` is smallest when
the burdens are as equal as possible, and it also penalises the total).  Remaining ties go to
more attendees, fewer unsociable attendees, a UTC day the series does not use yet, the
earliest start.

Algorithm
---------
Exact minimisation of ``Φ`` is a min-max assignment problem (NP-hard in general), so:

1. **Greedy**: for ``m = 1..N`` choose the free pool candidate minimising ``Φ`` of the burdens
   so far plus its row; all pool candidates are scored at once, ``Σ_p (b_p + u_p)² =
   Σ b_p² + u · (2b + 1)`` being one matrix-vector product.
2. **1-opt improvement**: repeatedly revisit each meeting, take its row out of ``b`` and put
   back the best candidate of its pool that overlaps no other meeting; a change is kept only
   if ``Φ`` strictly decreases.  Each kept change strictly decreases ``Φ`` (a finite set of
   values), so this stops; at the end no single meeting can be moved to improve ``Φ``.

Example: three regions, three meetings and three full-attendance slots, each unsociable for
exactly one region.  The greedy step gives ``max b_p = 1`` as long as a fresh region is left,
so each slot is used once and no region gets the unsociable hour twice; a fourth meeting
goes to a fourth, non-overlapping time and burdens one region a second time.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tandem.engines.scheduling.grid import Grid
from tandem.engines.scheduling.model import DEFAULT_COVERAGE_TOLERANCE, SchedulingInputError
from tandem.engines.timewindows import DAY

_MAX_PASSES = 50


@dataclass(frozen=True)
class Rotation:
    """Chosen candidate per meeting (index into that meeting's grid) and per-person counts.

    ``burden`` = ``missed`` + ``unsociable``: meetings not attended at a sociable hour.
    ``objective`` is ``Φ(burden)``.
    """

    chosen: tuple[int, ...]
    burden: np.ndarray
    unsociable: np.ndarray  # meetings attended at an unsociable hour
    missed: np.ndarray  # meetings a person cannot attend
    pool_sizes: tuple[int, ...]
    greedy_objective: tuple[int, int]
    objective: tuple[int, int]
    changes: int


def max_disjoint(starts: np.ndarray, duration: int) -> int:
    """Most candidates among ``starts`` that pairwise do not overlap (earliest-start greedy,
    exact for intervals of one length)."""
    count, free_from = 0, None
    for t in np.sort(starts).tolist():
        if free_from is None or t >= free_from:
            count, free_from = count + 1, t + duration
    return count


def pool(grid: Grid, tolerance: float, needed: int = 1) -> np.ndarray:
    """Candidates with attendance ``>= (1 - tolerance) · best`` (all if nobody can attend),
    the threshold lowered, if necessary, until ``needed`` of them fit without overlapping."""
    a = grid.attendance
    need = math.ceil((1.0 - tolerance) * int(a.max(initial=0)) - 1e-9)
    levels = sorted({int(x) for x in a.tolist() if x < need}, reverse=True)
    cand = np.flatnonzero(a >= need)
    for level in levels:
        if max_disjoint(grid.starts[cand], grid.duration) >= needed:
            break
        cand = np.flatnonzero(a >= level)
    return cand


def _objective(counts: np.ndarray) -> tuple[int, int]:
    return (int(counts.max(initial=0)), int((counts * counts).sum()))


@dataclass(frozen=True)
class _Table:
    cand: np.ndarray  # candidate indices into the grid
    burden: np.ndarray  # B rows of the candidates (int64, cand x people)
    attendance: np.ndarray
    unsociable: np.ndarray
    starts: np.ndarray
    duration: int


def _table(grid: Grid, cand: np.ndarray) -> _Table:
    return _Table(
        cand=cand,
        burden=(~grid.good[cand]).astype(np.int64),
        attendance=grid.attendance[cand],
        unsociable=grid.unsociable[cand],
        starts=grid.starts[cand],
        duration=grid.duration,
    )


def _free(table: _Table, taken: Sequence[int]) -> np.ndarray:
    """Candidates of ``table`` that overlap none of the meetings starting at ``taken``."""
    ok = np.ones(len(table.cand), dtype=bool)
    for t in taken:
        ok &= np.abs(table.starts - t) >= table.duration
    return ok


def _best_choice(base: np.ndarray, table: _Table, free: np.ndarray, days: set[int]):
    """Free index into ``table`` minimising ``(Φ(base + row), -attendance, unsociable,
    day already used, start)``, and that ``Φ``; ``None`` if nothing is free."""
    idx = np.flatnonzero(free)
    if not len(idx):
        return None, None
    rows = table.burden[idx]
    worst = (base[None, :] + rows).max(axis=1, initial=0)
    squares = int((base * base).sum()) + rows @ (2 * base + 1)
    starts = table.starts[idx]
    used = np.isin(starts // DAY, np.fromiter(days, dtype=np.int64, count=len(days)))
    order = np.lexsort(
        (starts, used, table.unsociable[idx], -table.attendance[idx], squares, worst)
    )
    k = int(order[0])
    return int(idx[k]), (int(worst[k]), int(squares[k]))


def rotate_series(grids: Sequence[Grid], tolerance: float = DEFAULT_COVERAGE_TOLERANCE) -> Rotation:
    """Greedy + 1-opt rotation (see the module docstring).  Deterministic.

    Raises :class:`~tandem.engines.scheduling.model.SchedulingInputError` if the meetings cannot be
    placed at pairwise non-overlapping times.
    """
    uses = Counter(id(g) for g in grids)
    cache: dict[int, _Table] = {}
    for grid in grids:
        if id(grid) not in cache:
            if max_disjoint(grid.starts, grid.duration) < uses[id(grid)]:
                raise SchedulingInputError(
                    f"{uses[id(grid)]} meetings of {grid.duration // 60} minutes do not fit at "
                    "distinct, non-overlapping times in their date range",
                    field="settings.meetings",
                )
            cache[id(grid)] = _table(grid, pool(grid, tolerance, uses[id(grid)]))
    tables = [cache[id(g)] for g in grids]
    n_p = grids[0].fits.shape[1] if grids else 0
    counts = np.zeros(n_p, dtype=np.int64)
    pick: list[int] = []
    times: list[int] = []
    for m, table in enumerate(tables):
        days = {t // DAY for t in times}
        k, _ = _best_choice(counts, table, _free(table, times), days)
        if k is None:  # other ranges took this pool's times: widen to the best free level
            grid = grids[m]
            free = _free(_table(grid, np.arange(len(grid.starts))), times)
            if not free.any():
                raise SchedulingInputError(
                    "the meetings do not fit at distinct, non-overlapping times",
                    field="settings.meetings",
                )
            level = grid.attendance[free].max()
            table = tables[m] = _table(grid, np.flatnonzero(grid.attendance >= level))
            k, _ = _best_choice(counts, table, _free(table, times), days)
        pick.append(k)
        times.append(int(table.starts[k]))
        counts += table.burden[k]
    greedy = _objective(counts)

    changes = 0
    for _ in range(_MAX_PASSES):
        improved = False
        for m, table in enumerate(tables):
            current = _objective(counts)
            rest = counts - table.burden[pick[m]]
            others = times[:m] + times[m + 1 :]
            k, value = _best_choice(rest, table, _free(table, others), {t // DAY for t in others})
            if value < current:
                pick[m], times[m], counts = k, int(table.starts[k]), rest + table.burden[k]
                improved = True
                changes += 1
        if not improved:
            break

    chosen = [int(t.cand[k]) for t, k in zip(tables, pick, strict=True)]
    missed = np.zeros(n_p, dtype=np.int64)
    unsociable = np.zeros(n_p, dtype=np.int64)
    for grid, c in zip(grids, chosen, strict=True):
        missed += ~grid.fits[c]
        unsociable += grid.fits[c] & ~grid.sociable[c]
    return Rotation(
        chosen=tuple(chosen),
        burden=counts,
        unsociable=unsociable,
        missed=missed,
        pool_sizes=tuple(len(t.cand) for t in tables),
        greedy_objective=greedy,
        objective=_objective(counts),
        changes=changes,
    )
