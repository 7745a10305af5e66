from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.timewindows import (
    Schedule,
    WeeklyWindow,
    iso_weeks,
    offset_function,
    parse_hhmm,
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


def test_overnight_window_and_same_week_only():
    night = sched("UTC", ("fri", "22:00", "02:00"))
    sat = sched("UTC", ("sat", "00:00", "01:00"))
    assert both_ways(night, sat, mondays("2024-06-03")) == [1]
    # Sunday night UTC-10 and Monday morning UTC+13 are the same instant but different ISO
    # weeks of their own calendars: by definition they do not overlap.
    honolulu = sched("Pacific/Honolulu", ("sun", "09:00", "11:00"))
    auckland = sched("Pacific/Auckland", ("mon", "08:00", "10:00"))
    assert both_ways(honolulu, auckland, mondays("2024-06-03")) == [0]


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


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.datetimes(datetime(2023, 1, 1), datetime(2026, 12, 31)),
)
def test_offset_function_matches_zoneinfo_fold0(zone, local):
    local = local.replace(second=0, microsecond=0)
    lo = int(datetime(2022, 12, 1, tzinfo=UTC).timestamp())
    hi = int(datetime(2027, 2, 1, tzinfo=UTC).timestamp())
    f = offset_function(zone, lo, hi)
    naive = int((local - datetime(1970, 1, 1)).total_seconds())
    expected = int(local.replace(tzinfo=ZoneInfo(zone)).timestamp())
    assert int(f.to_utc(np.array([naive]))[0]) == expected
