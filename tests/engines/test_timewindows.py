from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.engines.timewindows import (
    Schedule,
    WeeklyWindow,
    iso_weeks,
    offset_function,
    parse_hhmm,
    utc_intervals,
    weekly_overlap_matrix,
    weekly_overlaps,
)

pytestmark = pytest.mark.unit


def sched(tz: str, *specs: tuple[str, str, str]) -> Schedule:
    return Schedule(tz, tuple(WeeklyWindow.parse(s) for s in specs))


def mondays(*isodates: str) -> list[date]:
    return [date.fromisoformat(d) for d in isodates]


def both_ways(a: Schedule, b: Schedule, weeks: list[date]) -> list[float]:
    """Reference per-week overlaps, checked against the vectorised minimum and maximum."""
    ref = weekly_overlaps(a, b, weeks)
    res = weekly_overlap_matrix([a], [b], weeks)
    assert res.min_hours[0, 0] == pytest.approx(min(ref), abs=1e-9)
    assert res.max_hours[0, 0] == pytest.approx(max(ref), abs=1e-9)
    assert weeks[res.worst_week[0, 0]] == weeks[ref.index(min(ref))]
    return ref


def test_parse_windows_and_times():
    assert parse_hhmm("09:30") == 570
    assert parse_hhmm("24:00") == 1440
    w = WeeklyWindow.parse(["Fri", "22:00", "01:00"])
    assert (w.weekday, w.minutes, w.end_offset) == (4, 180, 1500)
    for bad in (
        ["mon", "25:00", "26:00"],
        ["xyz", "09:00", "10:00"],
        ["mon", "09:00"],
        ["mon", "10:00", "10:00"],
        ["mon", "9", "10:00"],
    ):
        with pytest.raises(ValueError):
            WeeklyWindow.parse(bad)


def test_iso_weeks_cover_partial_weeks():
    weeks = iso_weeks(date(2024, 6, 1), date(2025, 5, 31))  # Saturday .. Saturday
    assert weeks[0] == date(2024, 5, 27) and weeks[-1] == date(2025, 5, 26)
    assert len(weeks) == 53 and all(w.weekday() == 0 for w in weeks)


def test_berlin_new_york_only_us_switched_in_march():
    berlin = sched("Europe/Berlin", ("mon", "15:00", "18:00"))
    new_york = sched("America/New_York", ("mon", "09:00", "12:00"))
    weeks = mondays(
        "2024-03-04",
        "2024-03-11",
        "2024-03-18",
        "2024-03-25",
        "2024-04-01",
        "2024-05-06",
        "2024-10-28",
        "2024-11-04",
    )
    # US on summer time from 10 March, EU from 31 March; EU back on 27 Oct, US on 3 Nov:
    # a 5 h difference instead of 6 h in the weeks when only one side has switched.
    assert both_ways(berlin, new_york, weeks) == [3, 2, 2, 2, 3, 3, 2, 3]


def test_southern_hemisphere_sydney_berlin_april():
    sydney = sched("Australia/Sydney", ("mon", "18:00", "21:00"))
    berlin = sched("Europe/Berlin", ("mon", "08:00", "11:00"))
    weeks = mondays("2024-01-08", "2024-04-01", "2024-04-08", "2024-10-07", "2024-10-28")
    # Jan: +11/+1; after 31 Mar: +11/+2; after 7 Apr: +10/+2; 6 Oct: +11/+2; 27 Oct: +11/+1
    assert both_ways(sydney, berlin, weeks) == [3, 2, 1, 2, 3]


def test_half_hour_zones_kathmandu_and_lord_howe():
    kathmandu = sched("Asia/Kathmandu", ("mon", "14:00", "16:00"))  # UTC+5:45
    utc = sched("UTC", ("mon", "09:00", "12:00"), ("mon", "10:00", "11:00"))
    assert both_ways(kathmandu, utc, mondays("2024-06-03")) == [1.25]

    lord_howe = sched("Australia/Lord_Howe", ("mon", "19:00", "21:00"))  # +10:30 / +11 DST
    partner = sched("UTC", ("mon", "10:00", "12:00"))
    assert both_ways(lord_howe, partner, mondays("2024-01-08", "2024-06-03")) == [0, 0.5]


def test_transition_days_are_exact():
    utc_all = sched("UTC", ("sat", "00:00", "24:00"), ("sun", "00:00", "24:00"))
    spring = sched("Europe/Berlin", ("sun", "01:00", "04:00"))
    # 31 March 2024: 01:00 CET -> 02:00 CEST at 01:00 UTC, so 01:00-04:00 lasts 2 h
    assert both_ways(spring, utc_all, mondays("2024-03-18", "2024-03-25")) == [3, 2]
    gap_start = sched("Europe/Berlin", ("sun", "02:30", "04:00"))  # 02:30 does not exist
    assert both_ways(gap_start, utc_all, mondays("2024-03-25")) == [0.5]
    # 27 October 2024: 01:00-04:00 local lasts 4 h (02:00-03:00 happens twice)
    assert both_ways(spring, utc_all, mondays("2024-10-21")) == [4]


def test_overnight_window_and_the_date_line():
    night = sched("UTC", ("fri", "22:00", "02:00"))
    sat = sched("UTC", ("sat", "00:00", "01:00"))
    assert both_ways(night, sat, mondays("2024-06-03")) == [1]
    # Sunday 09-11 at UTC-10 is Sunday 19-21Z; Monday 08-10 in Auckland (NZST, UTC+12 in
    # June) is Sunday 20-22Z: one real hour, although the local weekdays differ.
    honolulu = sched("Pacific/Honolulu", ("sun", "09:00", "11:00"))
    auckland = sched("Pacific/Auckland", ("mon", "08:00", "10:00"))
    assert both_ways(honolulu, auckland, mondays("2024-06-03")) == [1]


def _utc_bounds(zone: str, day: date, start: str, end: str) -> tuple[datetime, datetime]:
    """Local ``start``..``end`` on ``day`` (end on the next day if not after start), in UTC."""
    tz = ZoneInfo(zone)
    a = datetime.combine(day, datetime.strptime(start, "%H:%M").time(), tz)
    b = datetime.combine(day, datetime.strptime(end, "%H:%M").time(), tz)
    if b <= a:
        b = datetime.combine(day + timedelta(days=1), b.time(), tz)
    return a.astimezone(UTC), b.astimezone(UTC)


def _hours_shared(x: tuple[datetime, datetime], y: tuple[datetime, datetime]) -> float:
    return max(timedelta(0), min(x[1], y[1]) - max(x[0], y[0])) / timedelta(hours=1)


def test_honolulu_sunday_afternoon_meets_auckland_monday_afternoon():
    """Issue 10, point 7: the same instants, so pairing counts them (2-3 h a week)."""
    honolulu = sched("Pacific/Honolulu", ("sun", "14:00", "17:00"))
    auckland = sched("Pacific/Auckland", ("mon", "13:00", "16:00"))
    weeks = iso_weeks(date(2024, 1, 1), date(2024, 12, 31))
    # By hand: Honolulu is UTC-10 all year, so Sunday 14-17 is Monday 00-03Z.  Auckland is
    # UTC+13 (NZDT) until 7 April and from 29 September, so Monday 13-16 is 00-03Z (3 h);
    # in between UTC+12 (NZST): 01-04Z (2 h).
    assert both_ways(honolulu, auckland, mondays("2024-01-08")) == [3]
    assert both_ways(honolulu, auckland, mondays("2024-06-03")) == [2]
    # Week by week with zoneinfo: the Sunday of week w meets the Monday right after it.
    expected = [
        _hours_shared(
            _utc_bounds("Pacific/Honolulu", m + timedelta(days=6), "14:00", "17:00"),
            _utc_bounds("Pacific/Auckland", m + timedelta(days=7), "13:00", "16:00"),
        )
        for m in weeks
    ]
    assert set(expected) == {2.0, 3.0}
    assert both_ways(honolulu, auckland, weeks) == expected
    assert both_ways(auckland, honolulu, weeks) == expected  # symmetric


def test_berlin_sunday_night_and_monday_early_share_two_hours_every_week():
    """Issue 10, point 7: Sun 22:00-02:00 and Mon 00:00-03:00 share Mon 00:00-02:00."""
    night = sched("Europe/Berlin", ("sun", "22:00", "02:00"))
    early = sched("Europe/Berlin", ("mon", "00:00", "03:00"))
    weeks = iso_weeks(date(2024, 1, 1), date(2025, 12, 31))  # four DST changes
    expected = [
        _hours_shared(
            _utc_bounds("Europe/Berlin", m + timedelta(days=6), "22:00", "02:00"),
            _utc_bounds("Europe/Berlin", m + timedelta(days=7), "00:00", "03:00"),
        )
        for m in weeks
    ]
    assert set(expected) == {2.0}
    assert both_ways(night, early, weeks) == expected
    res = weekly_overlap_matrix([night, early], [early, night], weeks)
    assert res.min_hours.tolist() == [[2.0, 4.0], [3.0, 2.0]]
    # (a schedule against itself: Sun 22-02 is 4 h, Mon 00-03 is 3 h)


def test_each_shared_instant_counts_once():
    """A schedule whose Sunday-night window runs into its own Monday window: the shared
    time is counted once per week, not once per window."""
    both = sched("Europe/Berlin", ("sun", "22:00", "02:00"), ("mon", "00:00", "03:00"))
    # union: Sun 22:00 - Mon 03:00, i.e. 5 h a week
    weeks = iso_weeks(date(2024, 1, 1), date(2024, 12, 31))
    assert set(both_ways(both, both, weeks)) == {5.0}
    assert set(both_ways(both, sched("Europe/Berlin", ("mon", "01:00", "02:00")), weeks)) == {1.0}


def test_utc_intervals_are_real_time_inside_the_utc_week():
    honolulu = sched("Pacific/Honolulu", ("sun", "14:00", "17:00"))
    monday = date(2024, 6, 3)
    utc = [
        (datetime.fromtimestamp(s, UTC), datetime.fromtimestamp(e, UTC))
        for s, e in utc_intervals(honolulu, monday)
    ]
    # The Sunday before (2 June) is Monday 3 June 00-03Z; the Sunday of the week (9 June)
    # would be Monday 10 June 00-03Z, outside this UTC week.
    assert utc == [(datetime(2024, 6, 3, 0, tzinfo=UTC), datetime(2024, 6, 3, 3, tzinfo=UTC))]
    cut = sched("UTC", ("sun", "23:00", "01:00"))
    assert utc_intervals(cut, monday) == [
        (
            int(datetime(2024, 6, 3, tzinfo=UTC).timestamp()),
            int(datetime(2024, 6, 3, 1, tzinfo=UTC).timestamp()),
        ),
        (
            int(datetime(2024, 6, 9, 23, tzinfo=UTC).timestamp()),
            int(datetime(2024, 6, 10, tzinfo=UTC).timestamp()),
        ),
    ]


ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "America/Santiago",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "Africa/Casablanca",
    "America/St_Johns",
]


@st.composite
def schedules(draw):
    ws = []
    for _ in range(draw(st.integers(0, 3))):
        day = draw(st.integers(0, 6))
        start = draw(st.integers(0, 95)) * 15
        end = draw(st.integers(0, 96)) * 15
        if end != start:
            ws.append(WeeklyWindow(day, start, end))
    return Schedule(draw(st.sampled_from(ZONES)), tuple(ws))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(schedules(), min_size=1, max_size=4),
    st.lists(schedules(), min_size=1, max_size=4),
    st.dates(date(2023, 1, 1), date(2026, 12, 31)),
    st.integers(0, 60),
)
def test_vectorised_overlap_equals_reference(left, right, start, days):
    weeks = iso_weeks(start, start + timedelta(days=days))
    res = weekly_overlap_matrix(left, right, weeks)
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            ref = weekly_overlaps(a, b, weeks)
            assert res.min_hours[i, j] == pytest.approx(min(ref), abs=1e-9)
            assert res.max_hours[i, j] == pytest.approx(max(ref), abs=1e-9)
            assert res.worst_week[i, j] == ref.index(min(ref))


SLOT = 900  # every zone in ZONES has offsets in whole quarter hours, windows are on them too
NEVER = 10**9


def slot_labels(schedule: Schedule, first: date, last: date, t0: int, n: int) -> np.ndarray:
    """Independent instant-by-instant reference, in plain datetime: for each 15-minute UTC
    slot from ``t0``, the ISO week (Monday's ordinal) of the earliest week whose window,
    placed on a local date ``first .. last``, covers it (``NEVER`` if none)."""
    zone = ZoneInfo(schedule.timezone)
    label = np.full(n, NEVER, dtype=np.int64)
    day = first
    while day <= last:
        week = (day - timedelta(days=day.weekday())).toordinal()
        for w in schedule.windows:
            if w.weekday != day.weekday():
                continue
            midnight = datetime.combine(day, datetime.min.time())
            a = (midnight + timedelta(minutes=w.start)).replace(tzinfo=zone).timestamp()
            b = (midnight + timedelta(minutes=w.end_offset)).replace(tzinfo=zone).timestamp()
            i, j = (int(a) - t0) // SLOT, (int(b) - t0) // SLOT
            assert (int(a) - t0) % SLOT == 0 and (int(b) - t0) % SLOT == 0
            if j > i:
                np.minimum(label[i:j], week, out=label[i:j])
        day += timedelta(days=1)
    return label


def slot_reference(a: Schedule, b: Schedule, weeks: list[date]) -> list[float]:
    """Hours of instants at which both are free, each counted in the earlier of the two
    weeks its windows belong to (the documented meaning of the weekly overlap)."""
    first, last = weeks[0] - timedelta(days=10), weeks[-1] + timedelta(days=17)
    t0 = int(datetime.combine(weeks[0] - timedelta(days=2), datetime.min.time(), UTC).timestamp())
    n = (weeks[-1] - weeks[0]).days * 96 + 19 * 96
    la, lb = slot_labels(a, first, last, t0, n), slot_labels(b, first, last, t0, n)
    both = (la < NEVER) & (lb < NEVER)
    week = np.minimum(la, lb)[both]
    return [int((week == m.toordinal()).sum()) * SLOT / 3600 for m in weeks]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(schedules(), min_size=1, max_size=3),
    st.lists(schedules(), min_size=1, max_size=3),
    st.dates(date(2023, 1, 1), date(2026, 12, 31)),
    st.integers(0, 40),
)
def test_overlap_is_shared_real_time_instant_by_instant(left, right, start, days):
    weeks = iso_weeks(start, start + timedelta(days=days))
    res = weekly_overlap_matrix(left, right, weeks)
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            ref = slot_reference(a, b, weeks)
            assert weekly_overlaps(a, b, weeks) == pytest.approx(ref, abs=1e-9)
            assert res.min_hours[i, j] == pytest.approx(min(ref), abs=1e-9)
            assert res.max_hours[i, j] == pytest.approx(max(ref), abs=1e-9)
            assert res.worst_week[i, j] == ref.index(min(ref))


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.datetimes(datetime(2023, 1, 1), datetime(2026, 12, 31)),
)
def test_offset_function_matches_zoneinfo_fold0(zone, local):
    local = local.replace(second=0, microsecond=0, fold=0)  # the rule under test: fold=0
    lo = int(datetime(2022, 12, 1, tzinfo=UTC).timestamp())
    hi = int(datetime(2027, 2, 1, tzinfo=UTC).timestamp())
    f = offset_function(zone, lo, hi)
    naive = int((local - datetime(1970, 1, 1)).total_seconds())
    expected = int(local.replace(tzinfo=ZoneInfo(zone)).timestamp())
    assert int(f.to_utc(np.array([naive]))[0]) == expected
