"""Weekly availability windows in local time, turned into exact UTC intervals and overlaps.

This module is pure Python + numpy (no Django) so that the pairing engine and, later, the
scheduling code can share one definition of "when are these two people both free".

Model
-----
A :class:`WeeklyWindow` ``(d, a, b)`` is a recurring stretch of *local wall-clock* time on
weekday ``d`` (0 = Monday) from minute ``a`` to minute ``b`` after local midnight.  ``b`` may be
1440 (``"24:00"``); if ``b <= a`` the window runs past midnight into the next day
(``["fri", "22:00", "01:00"]`` is three hours, Friday night).

A :class:`Schedule` is an IANA time zone plus a tuple of windows.  For the ISO week whose Monday
is the date ``M``, every window is placed on the local date ``M + d`` and both ends are converted
to UTC through the zone with the PEP 495 ``fold=0`` rule, i.e. exactly like
``datetime(..., tzinfo=ZoneInfo(zone)).timestamp()``:

* an ambiguous wall time (clocks go back) means its first occurrence;
* a nonexistent wall time (clocks go forward) is read with the pre-transition offset, so a
  window starting at 02:30 on the night Berlin springs forward starts at 03:30 summer time.

A window whose converted end is not after its converted start is empty.  Durations are real
elapsed time, so a Sunday 01:00-04:00 window on the day of the spring transition lasts 2 h.

Write ``U_X(w)`` for the union of the UTC intervals of schedule ``X`` in ISO week ``w``.  The
*weekly overlap* of ``A`` and ``B`` in week ``w`` is the Lebesgue measure
``|U_A(w) ∩ U_B(w)|``; over a period (a list of ISO weeks) the overlap of the pair is the
**minimum** over the weeks.  Only windows of the same ISO week meet: a Sunday window of one
person and a Monday window of the other never count together, even across the date line.

Vectorised algorithm (:func:`weekly_overlap_matrix`)
----------------------------------------------------
1. *Zone classes.*  For each zone the UTC offset on the period is a step function, found by
   sampling once a day and bisecting each change to the second (:func:`offset_function`).
   Zones with the same step function (Europe/Paris and Europe/Berlin) form one class.
2. *Regimes.*  For a class and ISO week ``w`` with origin ``O_w`` (Monday 00:00 UTC) the
   signature is the offset at ``O_w - 2 d`` plus the transitions in ``(O_w - 2 d, O_w + 9 d]``
   relative to ``O_w``.  Weeks with equal signatures convert every local window to the same
   UTC times relative to ``O_w``; each distinct signature is a *regime* (typically 2-4 per
   year: winter, summer and the transition weeks).  Each person's intervals are computed once
   per regime of their zone, which is once per distinct ISO week.
3. *Segments.*  All interval end points (relative to ``O_w``) of everyone are sorted into
   elementary segments ``[E_k, E_{k+1})`` of length ``ℓ_k``.  Person ``p`` in regime ``r``
   becomes a 0/1 row ``x_{p,r}`` (is ``p`` free during segment ``k``), so that
   ``overlap = Σ_k ℓ_k x_{a,k} y_{b,k} = (x_a ⊙ ℓ) · y_b``: a matrix product.
4. *Blocks.*  For each pair of zone classes only the distinct (regime, regime) combinations
   that occur in some week are multiplied, and the element-wise minimum is kept together with
   the earliest week that attains it.

The products are float32 sums of whole seconds below 2**24, hence exact.  The reference
implementation (:func:`weekly_overlaps`) works with ``datetime`` objects, one pair at a time,
and is what the tests compare against.

Assumption: a zone never changes its UTC offset twice within 24 hours (true of tzdata for
modern dates).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

__all__ = [
    "WEEKDAYS",
    "OffsetFunction",
    "Schedule",
    "WeeklyOverlap",
    "WeeklyWindow",
    "interval_overlap_seconds",
    "iso_weeks",
    "min_weekly_overlap_hours",
    "offset_function",
    "parse_hhmm",
    "utc_intervals",
    "weekly_overlap_matrix",
    "weekly_overlaps",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_INDEX = {name: k for k, name in enumerate(WEEKDAYS)} | {
    full: k
    for k, full in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
DAY = 86_400
_EPOCH = date(1970, 1, 1)
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_hhmm(text: str) -> int:
    """Parse ``"HH:MM"`` (00:00 ... 24:00) into minutes after midnight."""
    if not isinstance(text, str):
        raise ValueError(f"expected a time 'HH:MM', got {text!r}")
    m = _HHMM.match(text.strip())
    if not m:
        raise ValueError(f"expected a time 'HH:MM', got {text!r}")
    hours, minutes = int(m.group(1)), int(m.group(2))
    if minutes > 59 or hours * 60 + minutes > 1440:
        raise ValueError(f"time out of range: {text!r}")
    return hours * 60 + minutes


def _fmt_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True, order=True)
class WeeklyWindow:
    """A recurring local wall-clock window: ``weekday`` (0 = Mon), ``start``/``end`` minutes.

    ``0 <= start < 1440`` and ``0 <= end <= 1440``; ``end <= start`` means the window ends on
    the next day.  ``start == end`` is rejected (ambiguous: empty or 24 h).
    """

    weekday: int
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {self.weekday!r}")
        if not 0 <= self.start < 1440:
            raise ValueError(f"start must be before 24:00, got {_fmt_minutes(self.start)}")
        if not 0 <= self.end <= 1440:
            raise ValueError(f"end out of range: {self.end!r}")
        if self.start == self.end:
            raise ValueError("start and end are equal (empty window)")

    @classmethod
    def parse(cls, spec: Sequence[object]) -> WeeklyWindow:
        """Parse ``["mon", "09:00", "12:30"]`` (weekday names: mon..sun or monday..sunday)."""
        if isinstance(spec, str | bytes) or not isinstance(spec, Sequence) or len(spec) != 3:
            raise ValueError(f"expected [weekday, 'HH:MM', 'HH:MM'], got {spec!r}")
        day, start, end = spec
        if not isinstance(day, str) or day.strip().lower() not in _WEEKDAY_INDEX:
            raise ValueError(f"unknown weekday {day!r} (use mon, tue, ..., sun)")
        return cls(_WEEKDAY_INDEX[day.strip().lower()], parse_hhmm(start), parse_hhmm(end))

    @property
    def end_offset(self) -> int:
        """Minutes from the window's local midnight to its end (> start; up to 2880)."""
        return self.end if self.end > self.start else self.end + 1440

    @property
    def minutes(self) -> int:
        """Nominal wall-clock length in minutes (real length may differ on DST days)."""
        return self.end_offset - self.start

    def local_bounds(self, monday: date) -> tuple[datetime, datetime]:
        """Naive local start and end datetimes of this window in the week of ``monday``."""
        midnight = datetime.combine(monday + timedelta(days=self.weekday), datetime.min.time())
        return (
            midnight + timedelta(minutes=self.start),
            midnight + timedelta(minutes=self.end_offset),
        )

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {_fmt_minutes(self.start)}-{_fmt_minutes(self.end)}"


@dataclass(frozen=True, slots=True)
class Schedule:
    """Weekly availability of one person: an IANA zone name and local windows."""

    timezone: str
    windows: tuple[WeeklyWindow, ...]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def utc_intervals(self, monday: date) -> list[tuple[datetime, datetime]]:
        """Merged availability of the ISO week starting ``monday`` as aware UTC datetimes."""
        return [
            (datetime.fromtimestamp(s, UTC), datetime.fromtimestamp(e, UTC))
            for s, e in utc_intervals(self, monday)
        ]


def iso_weeks(start: date, end: date) -> list[date]:
    """Mondays of all ISO weeks that contain at least one day of ``[start, end]``."""
    if end < start:
        raise ValueError(f"period end {end} is before its start {start}")
    first = start - timedelta(days=start.weekday())
    last = end - timedelta(days=end.weekday())
    return [first + timedelta(weeks=k) for k in range((last - first).days // 7 + 1)]


def _merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def utc_intervals(schedule: Schedule, monday: date) -> list[tuple[int, int]]:
    """Reference conversion: merged UTC intervals (epoch seconds) of one ISO week.

    Uses ``datetime`` + ``zoneinfo`` directly (``fold=0``); slow but obviously right.
    """
    zone = schedule.zone
    raw = []
    for window in schedule.windows:
        a, b = window.local_bounds(monday)
        s = int(a.replace(tzinfo=zone).timestamp())
        e = int(b.replace(tzinfo=zone).timestamp())
        if e > s:
            raw.append((s, e))
    return _merge(raw)


def interval_overlap_seconds(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Measure of the intersection of two sorted lists of disjoint intervals (two pointers)."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def weekly_overlaps(a: Schedule, b: Schedule, weeks: Sequence[date]) -> list[float]:
    """Reference: overlap in hours of ``a`` and ``b`` for each ISO week (given by Monday)."""
    return [
        interval_overlap_seconds(utc_intervals(a, m), utc_intervals(b, m)) / 3600 for m in weeks
    ]


def min_weekly_overlap_hours(a: Schedule, b: Schedule, weeks: Sequence[date]) -> float:
    """Reference: ``min_w |U_a(w) ∩ U_b(w)|`` in hours."""
    return min(weekly_overlaps(a, b, weeks))


# --------------------------------------------------------------------------- vectorised


class OffsetFunction:
    """The UTC offset of a zone as a step function of UTC time on a finite range.

    ``offsets[k]`` holds before ``transitions[k]`` (and from ``transitions[k-1]`` on).  The
    conversion of a naive local time ``L`` (seconds since 1970-01-01 00:00 *local*) uses
    ``offsets[k]`` while ``L < transitions[k] + max(offsets[k], offsets[k+1])``: that is the
    ``fold=0`` rule for both gaps and folds.
    """

    __slots__ = ("key", "offsets", "thresholds", "transitions")

    def __init__(self, transitions: Sequence[int], offsets: Sequence[int]) -> None:
        if len(offsets) != len(transitions) + 1:
            raise ValueError("need exactly one more offset than transitions")
        self.transitions = np.asarray(transitions, dtype=np.int64)
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.thresholds = self.transitions + np.maximum(self.offsets[:-1], self.offsets[1:])
        self.key = (tuple(int(t) for t in transitions), tuple(int(o) for o in offsets))

    def to_utc(self, local: np.ndarray) -> np.ndarray:
        """Vectorised naive-local epoch seconds -> UTC epoch seconds (PEP 495 ``fold=0``)."""
        idx = np.searchsorted(self.thresholds, local, side="right")
        return local - self.offsets[idx]

    def signature(self, origin: int, lo: int, hi: int) -> tuple:
        """Offset structure on ``(origin + lo, origin + hi]``, relative to ``origin``."""
        a = int(np.searchsorted(self.transitions, origin + lo, side="right"))
        b = int(np.searchsorted(self.transitions, origin + hi, side="right"))
        return int(self.offsets[a]), tuple(
            (int(t) - origin, int(o))
            for t, o in zip(self.transitions[a:b], self.offsets[a + 1 : b + 1], strict=True)
        )


def _utcoffset(zone: ZoneInfo, t: int) -> int:
    return int(datetime.fromtimestamp(t, zone).utcoffset().total_seconds())


@lru_cache(maxsize=1024)
def offset_function(zone_key: str, start: int, stop: int) -> OffsetFunction:
    """Exact step function of ``zone_key``'s UTC offset on ``[start, stop]`` (epoch seconds).

    Samples daily, then bisects each change of offset to the exact second.
    """
    zone = ZoneInfo(zone_key)
    samples = list(range(start, stop + DAY, DAY))
    values = [_utcoffset(zone, t) for t in samples]
    transitions: list[int] = []
    offsets = [values[0]]
    for k in range(1, len(samples)):
        if values[k] != values[k - 1]:
            lo, hi = samples[k - 1], samples[k]
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _utcoffset(zone, mid) == values[k - 1]:
                    lo = mid
                else:
                    hi = mid
            transitions.append(hi)
            offsets.append(values[k])
    return OffsetFunction(transitions, offsets)


@dataclass(frozen=True)
class WeeklyOverlap:
    """Result of :func:`weekly_overlap_matrix` for ``n`` left and ``m`` right schedules.

    ``min_hours[a, b]`` is the pair's overlap in its tightest week, ``max_hours`` in its
    loosest, and ``weeks[worst_week[a, b]]`` the (earliest) Monday of the tightest week.
    """

    min_hours: np.ndarray
    max_hours: np.ndarray
    worst_week: np.ndarray
    weeks: tuple[date, ...]


@dataclass
class _Side:
    perm: np.ndarray  # position in class-sorted order -> original index
    blocks: dict[int, tuple[int, int]]  # class -> slice of class-sorted persons
    row_base: dict[int, int]  # class -> first row of its regime 0
    n_rows: int
    rows: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


def _layout(
    schedules: Sequence[Schedule],
    zone_class: dict[str, int],
    functions: list[OffsetFunction],
    reps: list[list[int]],
    origins: np.ndarray,
) -> _Side:
    cls = np.array([zone_class[s.timezone] for s in schedules], dtype=np.int64)
    perm = np.argsort(cls, kind="stable")
    blocks: dict[int, tuple[int, int]] = {}
    row_base: dict[int, int] = {}
    rows, starts, ends = [], [], []
    pos = n_rows = 0
    for c in np.unique(cls).tolist():
        members = perm[pos : pos + int((cls == c).sum())]
        blocks[c] = (pos, pos + len(members))
        row_base[c] = n_rows
        owner, wd, st, en = [], [], [], []
        for k, p in enumerate(members.tolist()):
            for w in schedules[p].windows:
                owner.append(k)
                wd.append(w.weekday)
                st.append(w.start)
                en.append(w.end_offset)
        owner_a = np.array(owner, dtype=np.int64)
        local_s = np.array(wd, dtype=np.int64) * DAY + np.array(st, dtype=np.int64) * 60
        local_e = np.array(wd, dtype=np.int64) * DAY + np.array(en, dtype=np.int64) * 60
        f = functions[c]
        for r, w in enumerate(reps[c]):
            o = int(origins[w])
            us = f.to_utc(local_s + o) - o
            ue = f.to_utc(local_e + o) - o
            keep = ue > us
            rows.append(n_rows + r * len(members) + owner_a[keep])
            starts.append(us[keep])
            ends.append(ue[keep])
        n_rows += len(reps[c]) * len(members)
        pos += len(members)
    empty = np.zeros(0, dtype=np.int64)
    return _Side(
        perm=perm,
        blocks=blocks,
        row_base=row_base,
        n_rows=n_rows,
        rows=np.concatenate(rows) if rows else empty,
        starts=np.concatenate(starts) if starts else empty,
        ends=np.concatenate(ends) if ends else empty,
    )


def _raster(side: _Side, edges: np.ndarray) -> np.ndarray:
    """0/1 coverage of each row over the elementary segments (union of a row's intervals)."""
    n_seg = len(edges) - 1
    diff = np.zeros((side.n_rows, n_seg + 1), dtype=np.int16)
    np.add.at(diff, (side.rows, np.searchsorted(edges, side.starts)), 1)
    np.add.at(diff, (side.rows, np.searchsorted(edges, side.ends)), -1)
    cover = np.cumsum(diff, axis=1, dtype=np.int16)[:, :n_seg] > 0
    return cover.astype(np.float32)


def weekly_overlap_matrix(
    left: Sequence[Schedule], right: Sequence[Schedule], weeks: Sequence[date]
) -> WeeklyOverlap:
    """Minimum (and maximum) weekly overlap in hours for every (left, right) pair.

    Exact and equal to :func:`weekly_overlaps` pair by pair; see the module docstring for the
    algorithm.  Cost: one pass over the zones and weeks, then one float32 matrix product per
    (zone class, zone class, regime combination) block.
    """
    weeks = tuple(weeks)
    if not weeks:
        raise ValueError("need at least one week")
    n, m = len(left), len(right)
    origins = np.array([(w - _EPOCH).days * DAY for w in weeks], dtype=np.int64)
    lo, hi = int(origins.min()) - 3 * DAY, int(origins.max()) + 10 * DAY

    functions: list[OffsetFunction] = []
    by_key: dict[tuple, int] = {}
    zone_class: dict[str, int] = {}
    for s in (*left, *right):
        if s.timezone not in zone_class:
            f = offset_function(s.timezone, lo, hi)
            if f.key not in by_key:
                by_key[f.key] = len(functions)
                functions.append(f)
            zone_class[s.timezone] = by_key[f.key]

    regime = np.zeros((len(functions), len(weeks)), dtype=np.int64)
    reps: list[list[int]] = []
    for c, f in enumerate(functions):
        seen: dict[tuple, int] = {}
        reps.append([])
        for w, o in enumerate(origins.tolist()):
            sig = f.signature(o, -2 * DAY, 9 * DAY)
            if sig not in seen:
                seen[sig] = len(seen)
                reps[c].append(w)
            regime[c, w] = seen[sig]

    min_s = np.zeros((n, m), dtype=np.float32)
    max_s = np.zeros((n, m), dtype=np.float32)
    worst = np.zeros((n, m), dtype=np.int16)
    if n and m:
        a_side = _layout(left, zone_class, functions, reps, origins)
        b_side = _layout(right, zone_class, functions, reps, origins)
        edges = np.unique(np.concatenate([a_side.starts, a_side.ends, b_side.starts, b_side.ends]))
        if len(edges) >= 2:
            xa = _raster(a_side, edges) * np.diff(edges).astype(np.float32)
            xb = _raster(b_side, edges)
            for ca, (a0, a1) in a_side.blocks.items():
                na = a1 - a0
                for cb, (b0, b1) in b_side.blocks.items():
                    nb = b1 - b0
                    codes = regime[ca] * (regime[cb].max() + 1) + regime[cb]
                    firsts = np.sort(np.unique(codes, return_index=True)[1]).tolist()
                    lo_blk = hi_blk = wk = None
                    for w in firsts:
                        ra = a_side.row_base[ca] + int(regime[ca, w]) * na
                        rb = b_side.row_base[cb] + int(regime[cb, w]) * nb
                        prod = xa[ra : ra + na] @ xb[rb : rb + nb].T
                        if lo_blk is None:
                            lo_blk, hi_blk = prod, prod.copy()
                            wk = np.full(prod.shape, w, dtype=np.int16)
                        else:
                            better = prod < lo_blk
                            wk[better] = w
                            np.minimum(lo_blk, prod, out=lo_blk)
                            np.maximum(hi_blk, prod, out=hi_blk)
                    min_s[a0:a1, b0:b1] = lo_blk
                    max_s[a0:a1, b0:b1] = hi_blk
                    worst[a0:a1, b0:b1] = wk
            inv_a = np.argsort(a_side.perm)
            inv_b = np.argsort(b_side.perm)
            min_s = min_s[inv_a][:, inv_b]
            max_s = max_s[inv_a][:, inv_b]
            worst = worst[inv_a][:, inv_b]
    return WeeklyOverlap(
        min_hours=min_s.astype(np.float64) / 3600.0,
        max_hours=max_s.astype(np.float64) / 3600.0,
        worst_week=worst,
        weeks=weeks,
    )
