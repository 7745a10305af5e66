"""Slow, obviously-right reference implementations (plain datetime + zoneinfo, sets)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tandem.engines.timewindows import Schedule


def merged_intervals(schedule: Schedule, first: date, last: date) -> list[tuple[int, int]]:
    """Union of the windows placed on the local dates ``first-2 .. last+2`` (epoch seconds)."""
    zone = ZoneInfo(schedule.timezone)
    raw = []
    day = first - timedelta(days=2)
    while day <= last + timedelta(days=2):
        midnight = datetime.combine(day, time())
        for w in schedule.windows:
            if w.weekday == day.weekday():
                a = (midnight + timedelta(minutes=w.start)).replace(tzinfo=zone)
                b = (midnight + timedelta(minutes=w.end_offset)).replace(tzinfo=zone)
                s, e = int(a.timestamp()), int(b.timestamp())
                if e > s:
                    raw.append((s, e))
        day += timedelta(days=1)
    out: list[tuple[int, int]] = []
    for s, e in sorted(raw):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def fits(schedule: Schedule, first: date, last: date, start: int, duration: int) -> bool:
    return any(
        s <= start and start + duration <= e for s, e in merged_intervals(schedule, first, last)
    )


def pair_ranking(fits_rows, good_rows, starts, duration, top):
    """All non-overlapping pairs by brute force, ordered (-cover, unsociable, -(a_A + a_B),
    T_A, T_B)."""
    rows = []
    n = len(starts)
    for i in range(n):
        for j in range(i + 1, n):
            if starts[j] - starts[i] < duration:
                continue
            cover = len(fits_rows[i] | fits_rows[j])
            good = len(good_rows[i] | good_rows[j])
            either = len(fits_rows[i]) + len(fits_rows[j])
            rows.append((-cover, cover - good, -either, starts[i], starts[j], i, j))
    rows.sort()
    return [(i, j, -neg, -neg - u) for neg, u, _, _, _, i, j in rows[:top]]
