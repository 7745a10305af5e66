"""Weekly availability windows in local time, turned into exact UTC intervals and overlaps.

This module is pure Python + numpy (no Django).  It is the one definition of "when is this
person free" for the pairing engine, the shared hours shown to a pair and (through
:func:`offset_function`) the meeting finder of :mod:`tandem.engines.scheduling`.

Model
-----
A :class:`WeeklyWindow` ``(d, a, b)`` is a recurring stretch of *local wall-clock* time on
weekday ``d`` (0 = Monday) from minute ``a`` to minute ``b`` after local midnight.  ``b`` may be
1440 (``"24:00"``); if ``b <= a`` the window runs past midnight into the next day
(``["fri", "22:00", "01:00"]`` is three hours, Friday night).

A :class:`Schedule` is an IANA time zone plus a tuple of windows.  Every window is placed on
**every** local date with its weekday, and both ends are converted to UTC through the zone with
the PEP 495 ``fold=0`` rule, i.e. exactly like ``datetime(..., tzinfo=ZoneInfo(zone)).timestamp()``:

* an ambiguous wall time (clocks go back) means its first occurrence;
* a nonexistent wall time (clocks go forward) is read with the pre-transition offset, so a
  window starting at 02:30 on the night Berlin springs forward starts at 03:30 summer time.

A window whose converted end is not after its converted start is empty.  Durations are real
elapsed time, so a Sunday 01:00-04:00 window on the day of the spring transition lasts 2 h.
The union of all placed windows is the person's availability ``A_X``: a set of real instants,
the same set the meeting finder uses.

Weekly overlap (real time)
--------------------------
Write ``P_X(w)`` for the union of ``X``'s windows placed on the local dates of ISO week ``w``
(Monday to Sunday in ``X``'s own calendar; a Sunday window may run into Monday of ``w + 1``)
and ``W_X(w) = P_X(w) \\ P_X(w - 1)``: what week ``w``'s windows add to what week ``w - 1``'s
already cover.  The ``W_X(w)`` partition ``A_X``, and a window of week ``i`` can only meet a
window of week ``i - 1``, ``i`` or ``i + 1`` of another person (offsets are within -12 h ..
+14 h).  A stretch of time during which both ``A`` and ``B`` are free belongs to the *earlier*
of the two weeks its windows come from, so the **weekly overlap** of ``A`` and ``B`` in week
``w`` is

    ov(w) = |W_A(w) ∩ W_B(w)| + |W_A(w) ∩ W_B(w + 1)| + |W_A(w + 1) ∩ W_B(w)|

(Lebesgue measure, in hours), symmetric in ``A`` and ``B``; every instant at which both are
free is counted in exactly one week.  Over a period (a list of ISO weeks) the overlap of the
pair is the **minimum** over its weeks.  So a Sunday 14:00-17:00 in Honolulu and a Monday
13:00-16:00 in Auckland share 2-3 h a week (the same instants, across the date line), and two
Berliners free Sunday 22:00-02:00 and Monday 00:00-03:00 share 2 h in every week, DST weeks
included.  Without DST changes ``ov(w)`` is the time both are free in any 7 x 24 h.

:func:`utc_intervals` gives ``A_X`` inside one UTC week (Monday 00:00Z to Monday 00:00Z), which
is what a pair is shown as its shared hours "this week".

Vectorised algorithm (:func:`weekly_overlap_matrix`)
----------------------------------------------------
Times are taken relative to the week's origin ``O_w`` (Monday 00:00 UTC of the ISO week's
Monday date).  ``P_X(w)`` lies inside the frame ``F = [O_w - 1 d, O_w + 9 d)``, and so does
every part of ``P_X(w - 1)``, ``P_X(w + 1)`` that can meet it (windows on the local dates
``M - 3 .. M + 9``), so ``ov(w)`` only needs those three unions clipped to ``F``.

1. *Zone classes.*  For each zone the UTC offset on the period is a step function, found by
   sampling once a day and bisecting each change to the second (:func:`offset_function`).
   Zones with the same step function (Europe/Paris and Europe/Berlin) form one class.
2. *Regimes.*  For a class and week ``w`` the signature is the offset at ``O_w - 4 d`` plus
   the transitions in ``(O_w - 4 d, O_w + 12 d]`` relative to ``O_w``; that interval holds
   every transition that can change the conversion of a local time on the dates
   ``M - 3 .. M + 10``.  Weeks with equal signatures convert every local window to the same
   UTC times relative to ``O_w``; each distinct signature is a *regime* (a handful per year:
   winter, summer and the weeks around each transition).  Each person's intervals are
   computed once per regime of their zone.
3. *Segments.*  All interval end points (relative to ``O_w``) of everyone are sorted into
   elementary segments with lengths ``ℓ``, only over the span of the ``P(w)`` intervals
   (every term of ``ov(w)`` lies inside some ``W(w)``).  Person ``p`` in regime ``r`` becomes
   three 0/1 rows (``P(w - 1)``, ``P(w)``, ``P(w + 1)``), hence ``W(w) = P(w) ∧ ¬P(w - 1)``
   and ``W(w + 1) = P(w + 1) ∧ ¬P(w)``, and

       ov(w) = [W_A(w) ⊙ ℓ, W_A(w + 1) ⊙ ℓ] · [W_B(w) ∨ W_B(w + 1), W_B(w)]

   (the second block only over the segments after ``O_w + 6 d``, where ``W(w + 1)`` can be
   non-zero; columns that are zero on either side are dropped): one matrix product for all
   pairs.
4. *Blocks.*  For each pair of zone classes only the distinct (regime, regime) combinations
   that occur in some week are multiplied, and the element-wise minimum is kept together with
   the earliest week that attains it.

The products are float32 sums of whole seconds below 2**24, hence exact.  The reference
implementation (:func:`weekly_overlaps`) works with ``datetime`` objects and interval lists,
one pair and one week at a time, and is what the tests compare against.

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
    "placed_intervals",
    "utc_intervals",
    "week_share",
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


@lru_cache(maxsize=1024)
def zone_info(key: str) -> ZoneInfo:
    """``ZoneInfo(key)``, kept for the process (``ZoneInfo`` keeps only a few zones strongly
    and reads the file of any other again)."""
    return ZoneInfo(key)


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
        return zone_info(self.timezone)

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


def _epoch(day: date) -> int:
    return (day - _EPOCH).days * DAY


def placed_intervals(schedule: Schedule, first: date, last: date) -> list[tuple[int, int]]:
    """Reference conversion: merged UTC intervals (epoch seconds) of the windows placed on the
    local dates ``first .. last`` (a window on ``last`` may end the day after).

    Uses ``datetime`` + ``zoneinfo`` directly (``fold=0``); slow but obviously right.
    """
    zone = schedule.zone
    raw = []
    day = first
    while day <= last:
        monday = day - timedelta(days=day.weekday())
        for window in schedule.windows:
            if window.weekday == day.weekday():
                a, b = window.local_bounds(monday)
                s = int(a.replace(tzinfo=zone).timestamp())
                e = int(b.replace(tzinfo=zone).timestamp())
                if e > s:
                    raw.append((s, e))
        day += timedelta(days=1)
    return _merge(raw)


def _intersection(
    a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Intersection of two sorted lists of disjoint intervals (two pointers)."""
    i = j = 0
    out = []
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _difference(
    a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """``a`` minus ``b`` for sorted lists of disjoint intervals."""
    out = []
    for s, e in a:
        cur = s
        for bs, be in b:
            if be <= cur or bs >= e:
                continue
            if bs > cur:
                out.append((cur, bs))
            cur = max(cur, be)
        if cur < e:
            out.append((cur, e))
    return out


def utc_intervals(schedule: Schedule, monday: date) -> list[tuple[int, int]]:
    """Merged availability (UTC epoch seconds) inside the UTC week of ``monday``.

    That is ``A_X ∩ [monday 00:00Z, monday + 7 d 00:00Z)``: every window on every local date
    counts, so a Sunday-evening window in Honolulu and a Monday-morning window in Auckland
    land at the same instants.  Intervals are cut at the week's ends.
    """
    lo = _epoch(monday)
    whole = placed_intervals(schedule, monday - timedelta(days=3), monday + timedelta(days=9))
    return _intersection(whole, [(lo, lo + 7 * DAY)])


def week_share(schedule: Schedule, monday: date) -> list[tuple[int, int]]:
    """Reference ``W_X(w) = P_X(w) \\ P_X(w - 1)`` for the ISO week of ``monday``."""
    this = placed_intervals(schedule, monday, monday + timedelta(days=6))
    before = placed_intervals(schedule, monday - timedelta(days=7), monday - timedelta(days=1))
    return _difference(this, before)


def interval_overlap_seconds(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Measure of the intersection of two sorted lists of disjoint intervals."""
    return sum(e - s for s, e in _intersection(a, b))


def weekly_overlaps(a: Schedule, b: Schedule, weeks: Sequence[date]) -> list[float]:
    """Reference: ``ov(w)`` in hours for each ISO week (given by Monday), see the module
    docstring: shared time whose earlier window is of week ``w``."""
    out = []
    for monday in weeks:
        nxt = monday + timedelta(days=7)
        a0, a1 = week_share(a, monday), week_share(a, nxt)
        b0, b1 = week_share(b, monday), week_share(b, nxt)
        seconds = (
            interval_overlap_seconds(a0, b0)
            + interval_overlap_seconds(a0, b1)
            + interval_overlap_seconds(a1, b0)
        )
        out.append(seconds / 3600)
    return out


def min_weekly_overlap_hours(a: Schedule, b: Schedule, weeks: Sequence[date]) -> float:
    """Reference: ``min_w ov(w)`` in hours."""
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
    zone = zone_info(zone_key)
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


_SIGNATURE = (-4 * DAY, 12 * DAY)  # transitions that affect local dates M - 3 .. M + 10
_LOCAL_DAYS = (-3, 9)  # local dates (relative to M) whose windows can reach F
_NEXT_WEEK_FROM = 6 * DAY  # W(w + 1) is zero before O_w + 7 d - 14 h
_WEEKS = (-1, 0, 1)  # P(w - 1), P(w), P(w + 1)


@dataclass
class _Side:
    perm: np.ndarray  # position in class-sorted order -> original index
    blocks: dict[int, tuple[int, int]]  # class -> slice of class-sorted persons
    row_base: dict[int, int]  # class -> first row of its regime 0
    n_rows: int
    # per week offset q in _WEEKS: (rows, starts, ends) of the intervals of P(w + q)
    parts: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]


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
    rows, weeks, starts, ends = [], [], [], []
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
        # every window on its local dates of weeks w - 1, w, w + 1 that can reach the frame
        q = np.repeat(np.array(_WEEKS, dtype=np.int64), len(owner))
        day = 7 * q + np.tile(np.array(wd, dtype=np.int64), len(_WEEKS))
        near = (day >= _LOCAL_DAYS[0]) & (day <= _LOCAL_DAYS[1])
        q, day = q[near], day[near]
        own = np.tile(np.array(owner, dtype=np.int64), len(_WEEKS))[near]
        local = np.concatenate(
            [
                day * DAY + np.tile(np.array(st, dtype=np.int64) * 60, len(_WEEKS))[near],
                day * DAY + np.tile(np.array(en, dtype=np.int64) * 60, len(_WEEKS))[near],
            ]
        )
        f = functions[c]
        half = len(day)
        for r, w in enumerate(reps[c]):
            o = int(origins[w])
            utc = f.to_utc(local + o) - o
            us, ue = utc[:half], utc[half:]
            keep = ue > us
            rows.append(n_rows + r * len(members) + own[keep])
            weeks.append(q[keep])
            starts.append(us[keep])
            ends.append(ue[keep])
        n_rows += len(reps[c]) * len(members)
        pos += len(members)
    empty = np.zeros(0, dtype=np.int64)
    cat = [np.concatenate(x) if x else empty for x in (rows, weeks, starts, ends)]
    parts = {}
    for q in _WEEKS:
        mask = cat[1] == q
        parts[q] = (cat[0][mask], cat[2][mask], cat[3][mask])
    return _Side(perm=perm, blocks=blocks, row_base=row_base, n_rows=n_rows, parts=parts)


def _raster(n_rows: int, part: tuple[np.ndarray, ...], edges: np.ndarray) -> np.ndarray:
    """Boolean coverage of each row over the elementary segments (union of its intervals)."""
    rows, starts, ends = part
    n_seg = len(edges) - 1
    inside = (ends > edges[0]) & (starts < edges[-1])
    if not inside.any():
        return np.zeros((n_rows, n_seg), dtype=bool)
    rows = rows[inside]
    starts = np.maximum(starts[inside], edges[0])
    ends = np.minimum(ends[inside], edges[-1])
    diff = np.zeros((n_rows, n_seg + 1), dtype=np.int16)
    np.add.at(diff, (rows, np.searchsorted(edges, starts)), 1)
    np.add.at(diff, (rows, np.searchsorted(edges, ends)), -1)
    return np.cumsum(diff, axis=1, dtype=np.int16)[:, :n_seg] > 0


def _operands(side: _Side, edges: np.ndarray, left: bool) -> np.ndarray:
    """float32 rows of the product: ``[W(w) ⊙ ℓ, W(w + 1) ⊙ ℓ]`` for the left side,
    ``[W(w) ∨ W(w + 1), W(w)]`` for the right side (second block: segments after 6 d)."""
    before, this, after = (_raster(side.n_rows, side.parts[q], edges) for q in _WEEKS)
    share = this & ~before  # W(w)
    share_next = after & ~this  # W(w + 1)
    del before, after
    late = int(np.searchsorted(edges, _NEXT_WEEK_FROM, side="right")) - 1
    late = max(late, 0)
    n_seg = len(edges) - 1
    out = np.empty((side.n_rows, 2 * n_seg - late), dtype=np.float32)
    if left:
        length = np.diff(edges).astype(np.float32)
        np.multiply(share, length, out=out[:, :n_seg])
        np.multiply(share_next[:, late:], length[late:], out=out[:, n_seg:])
    else:
        out[:, :n_seg] = share | share_next
        out[:, n_seg:] = share[:, late:]
    return out


def weekly_overlap_matrix(
    left: Sequence[Schedule], right: Sequence[Schedule], weeks: Sequence[date]
) -> WeeklyOverlap:
    """Minimum (and maximum) weekly overlap ``ov(w)`` in hours for every (left, right) pair.

    Exact and equal to :func:`weekly_overlaps` pair by pair; see the module docstring for the
    definition and the algorithm.  Cost: one pass over the zones and weeks, then one float32
    matrix product per (zone class, zone class, regime combination) block.
    """
    weeks = tuple(weeks)
    if not weeks:
        raise ValueError("need at least one week")
    n, m = len(left), len(right)
    origins = np.array([_epoch(w) for w in weeks], dtype=np.int64)
    lo = int(origins.min()) + _SIGNATURE[0] - DAY
    hi = int(origins.max()) + _SIGNATURE[1] + DAY

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
            sig = f.signature(o, *_SIGNATURE)
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
        # Every term of ov(w) lies inside some W(w), so only the span of the P(w) intervals
        # of both sides needs segments.
        this = [x for side in (a_side, b_side) for x in side.parts[0][1:]]
        edges = np.zeros(0, dtype=np.int64)
        if len(this[0]) + len(this[2]) and len(this[1]) + len(this[3]):
            lo_span = min(int(x.min()) for x in this[0::2] if len(x))
            hi_span = max(int(x.max()) for x in this[1::2] if len(x))
            ends = [
                x for side in (a_side, b_side) for part in side.parts.values() for x in part[1:]
            ]
            edges = np.unique(np.clip(np.concatenate(ends), lo_span, hi_span))
        if len(edges) >= 2:
            xa = _operands(a_side, edges, left=True)
            xb = _operands(b_side, edges, left=False)
            useful = xa.any(axis=0) & xb.any(axis=0)  # columns that can add to a product
            if not useful.all():
                xa, xb = xa[:, useful], xb[:, useful]
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
