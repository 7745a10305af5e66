"""Constraints: the candidate grid and, DST-exact, who can attend which candidate.

Candidates
----------
For the inclusive UTC dates ``from``..``to`` and step ``σ`` (default 15 min, dividing a day)
the candidate starts are ``T_c = from 00:00Z + c·σ`` for ``c = 0 .. C-1`` with
``C = days · 1440/σ``; a meeting ``c`` occupies ``[T_c, T_c + d)``, ``d = duration``.  It may
end after ``to`` 24:00Z.

Availability as UTC intervals
-----------------------------
Each weekly window ``(weekday, a, b)`` of a person is placed on **every local date** ``D`` with
that weekday in ``from - 2 .. to + 2`` (a UTC instant lies on the local date before, on or
after its UTC date, because offsets are within ±14 h, and an overnight window lasts at most
into ``D + 1``; so these dates contain every window that can meet ``[T_0, T_{C-1} + d)`` for
``d <= 24 h``).  Both ends go through the zone's exact offset function
(:func:`tandem.engines.timewindows.offset_function`, PEP 495 ``fold=0``, identical to
``datetime(..., tzinfo=ZoneInfo(zone)).timestamp()``): a window is converted with the offset of
*its own* local date, so the Monday after a DST change moves by an hour in UTC while the Friday
before does not.  Windows whose converted end is not after their start are dropped; the rest
of a person are merged into their union (touching windows join: ``09-12`` and ``12-14`` make
``09-14``).

Attendance
----------
``fits[c, p] = 1`` iff ``[T_c, T_c + d)`` lies inside one interval of person ``p``'s union,
i.e. with merged intervals ``[s_k, e_k)``: ``s_k <= T_c`` and ``T_c + d <= e_k`` for the last
``s_k <= T_c``.  All people are answered by one ``searchsorted``: person ``p``'s times are
shifted by ``p·Σ`` (``Σ`` larger than the whole range) so that every person's intervals form
their own block of one sorted array, and a query never meets another person's interval.

``sociable[c, p] = 1`` iff the meeting lies inside local ``08:00-20:00`` of one local date,
computed the same way from the schedule "08:00-20:00 every day" of the person's zone (once
per zone).  A meeting longer than 12 hours is never sociable.  Identical schedules are
converted once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from tandem.engines.scheduling.model import Problem, sociable_schedule
from tandem.engines.timewindows import DAY, Schedule, offset_function

_EPOCH = date(1970, 1, 1)
_CHUNK = 1 << 19  # (candidate, person) queries per searchsorted call


def epoch_day(d: date) -> int:
    return (d - _EPOCH).days


def candidate_starts(first: date, last: date, step_minutes: int) -> np.ndarray:
    """UTC epoch seconds of every candidate start from ``first`` 00:00Z to ``last`` 24:00Z."""
    lo = epoch_day(first) * DAY
    hi = (epoch_day(last) + 1) * DAY
    return np.arange(lo, hi, step_minutes * 60, dtype=np.int64)


@dataclass(frozen=True)
class Intervals:
    """Merged UTC intervals of several schedules as shifted keys (see module docstring)."""

    starts: np.ndarray  # sorted keys p·span + (s - base)
    ends: np.ndarray
    base: int
    span: int


def merged_intervals(schedules: Sequence[Schedule], first: date, last: date) -> Intervals:
    """Union of each schedule's windows placed on the local dates ``first-2 .. last+2``."""
    d0, d1 = epoch_day(first) - 2, epoch_day(last) + 2
    days = np.arange(d0, d1 + 1, dtype=np.int64)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday
    lo, hi = (d0 - 1) * DAY, (d1 + 3) * DAY
    base = lo - DAY
    span = hi + 2 * DAY - base
    by_zone: dict[str, list[int]] = {}
    for k, s in enumerate(schedules):
        by_zone.setdefault(s.timezone, []).append(k)
    owners, starts, ends = [], [], []
    for zone, members in by_zone.items():
        f = offset_function(zone, lo, hi)
        own, wd, a, b = [], [], [], []
        for k in members:
            for w in schedules[k].windows:
                own.append(k)
                wd.append(w.weekday)
                a.append(w.start * 60)
                b.append(w.end_offset * 60)
        own_a, wd_a = np.array(own, dtype=np.int64), np.array(wd, dtype=np.int64)
        a_a, b_a = np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)
        for k in range(7):
            m = wd_a == k
            if not m.any():
                continue
            midnights = days[weekday == k] * DAY
            local_s = (midnights[None, :] + a_a[m][:, None]).ravel()
            local_e = (midnights[None, :] + b_a[m][:, None]).ravel()
            us, ue = f.to_utc(local_s), f.to_utc(local_e)
            keep = ue > us
            owners.append(np.repeat(own_a[m], len(midnights))[keep])
            starts.append(us[keep])
            ends.append(ue[keep])
    owner = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)
    if not len(owner):
        return Intervals(owner, owner, base, span)
    ks = owner * span + (np.concatenate(starts) - base)
    ke = owner * span + (np.concatenate(ends) - base)
    order = np.argsort(ks, kind="stable")
    ks, ke = ks[order], ke[order]
    reach = np.maximum.accumulate(ke)
    new = np.ones(len(ks), dtype=bool)
    new[1:] = ks[1:] > reach[:-1]  # touching intervals (start == reach) are merged
    first_idx = np.flatnonzero(new)
    last_idx = np.r_[first_idx[1:] - 1, len(ks) - 1]
    return Intervals(ks[first_idx], reach[last_idx], base, span)


def containment(
    schedules: Sequence[Schedule], first: date, last: date, starts: np.ndarray, duration: int
) -> np.ndarray:
    """Boolean ``C x P``: ``[starts[c], starts[c] + duration)`` inside one interval of ``p``.

    Identical schedules are computed once.  ``duration`` is in seconds.
    """
    unique: dict[Schedule, int] = {}
    inverse = np.array([unique.setdefault(s, len(unique)) for s in schedules], dtype=np.int64)
    iv = merged_intervals(list(unique), first, last)
    n_c, n_u = len(starts), len(unique)
    out = np.zeros((n_c, n_u), dtype=bool)
    if len(iv.starts) and n_c:
        person_key = np.arange(n_u, dtype=np.int64) * iv.span - iv.base
        rows = max(1, _CHUNK // max(n_u, 1))
        for r0 in range(0, n_c, rows):
            q = starts[r0 : r0 + rows, None] + person_key[None, :]
            idx = np.searchsorted(iv.starts, q, side="right") - 1
            ok = (idx >= 0) & (iv.ends[np.maximum(idx, 0)] >= q + duration)
            out[r0 : r0 + rows] = ok
    return out[:, inverse]


@dataclass(frozen=True)
class Grid:
    """Candidates of one date range and the attendance matrices (rows: candidates).

    ``fits``: inside the person's availability; ``sociable``: inside local 08:00-20:00;
    ``good = fits & sociable``: attends at a sociable hour.
    """

    starts: np.ndarray
    duration: int
    fits: np.ndarray
    sociable: np.ndarray

    @property
    def good(self) -> np.ndarray:
        return self.fits & self.sociable

    @property
    def attendance(self) -> np.ndarray:
        """Number of attendees of each candidate."""
        return self.fits.sum(axis=1, dtype=np.int64)

    @property
    def unsociable(self) -> np.ndarray:
        """Number of attendees outside local 08:00-20:00, per candidate."""
        return (self.fits & ~self.sociable).sum(axis=1, dtype=np.int64)


def build_grid(problem: Problem, first: date | None = None, last: date | None = None) -> Grid:
    """The :class:`Grid` of ``first``..``last`` (default: the settings' range)."""
    s = problem.settings
    first, last = first or s.first, last or s.last
    starts = candidate_starts(first, last, s.step_minutes)
    duration = s.duration_minutes * 60
    people = problem.participants
    fits = containment([p.schedule for p in people], first, last, starts, duration)
    zones = sorted({p.timezone for p in people})
    col = {z: k for k, z in enumerate(zones)}
    soc = containment([sociable_schedule(z) for z in zones], first, last, starts, duration)
    sociable = soc[:, [col[p.timezone] for p in people]]
    return Grid(starts=starts, duration=duration, fits=fits, sociable=sociable)


def utc_iso(t: int) -> str:
    """``1710770400`` -> ``"2024-03-18T14:00:00Z"``."""
    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=int(t))).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
