"""Candidates and attendance: DST-exact, odd offsets, fallback, against a datetime reference."""

from datetime import UTC, date, datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.engines.scheduling import (
    build_grid,
    candidate_starts,
    containment,
    find_slots,
    parse_problem,
)
from tandem.engines.scheduling.model import sociable_schedule
from tandem.engines.timewindows import Schedule, WeeklyWindow

from . import reference

pytestmark = pytest.mark.unit


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def doc(people, first, last, duration=60, **extra):
    return {
        "participants": people,
        "settings": {"from": first, "to": last, "duration_minutes": duration, **extra},
    }


def grid_of(people, first, last, duration=60, **extra):
    return build_grid(parse_problem(doc(people, first, last, duration, **extra)))


def row(grid, when: str) -> list[bool]:
    c = int(np.searchsorted(grid.starts, ts(when)))
    assert grid.starts[c] == ts(when)
    return grid.fits[c].tolist()


def test_candidate_grid_is_15_minute_utc_steps_over_inclusive_dates():
    starts = candidate_starts(date(2024, 3, 9), date(2024, 3, 10), 15)
    assert len(starts) == 2 * 96
    assert starts[0] == ts("2024-03-09T00:00") and starts[-1] == ts("2024-03-10T23:45")
    assert set(np.diff(starts).tolist()) == {900}


NY_BERLIN = [
    {"id": "ber", "timezone": "Europe/Berlin", "availability": [["mon", "16:00", "17:00"]]},
    {"id": "ny", "timezone": "America/New_York", "availability": [["mon", "10:00", "11:00"]]},
]


def test_new_york_berlin_spring_works_one_week_not_the_next():
    """US clocks go forward on 10 March 2024, the EU's only on 31 March."""
    grid = grid_of(NY_BERLIN, "2024-03-04", "2024-04-07")
    assert row(grid, "2024-03-04T15:00") == [True, True]  # both on winter time
    assert row(grid, "2024-03-11T15:00") == [True, False]  # NY now 11:00 EDT
    assert row(grid, "2024-03-11T14:00") == [False, True]
    att = grid.attendance
    week = (grid.starts >= ts("2024-03-11T00:00")) & (grid.starts < ts("2024-04-01T00:00"))
    assert att[week].max() == 1  # three weeks with only one side switched
    assert row(grid, "2024-04-01T14:00") == [True, True]  # both on summer time

    result = find_slots(doc(NY_BERLIN, "2024-03-04", "2024-04-07", top=2))
    assert [s["start_utc"] for s in result["slots"]] == [
        "2024-03-04T15:00:00Z",
        "2024-04-01T14:00:00Z",
    ]
    assert result["slots"][1]["local_start"] == {
        "ber": "2024-04-01T16:00:00+02:00",
        "ny": "2024-04-01T10:00:00-04:00",
    }


def test_new_york_berlin_autumn_gap_week():
    """The EU goes back on 27 October 2024, the US on 3 November."""
    grid = grid_of(NY_BERLIN, "2024-10-21", "2024-11-04")
    assert row(grid, "2024-10-21T14:00") == [True, True]
    assert row(grid, "2024-10-28T14:00") == [False, True]
    assert row(grid, "2024-10-28T15:00") == [True, False]
    assert row(grid, "2024-11-04T15:00") == [True, True]


def test_kathmandu_quarter_hour_offset():
    person = {"id": "k", "timezone": "Asia/Kathmandu", "availability": [["mon", "09:00", "10:00"]]}
    grid = grid_of([person], "2024-05-06", "2024-05-06")
    ok = grid.starts[grid.fits[:, 0]]
    assert ok.tolist() == [ts("2024-05-06T03:15")]  # 09:00 +05:45


@pytest.mark.parametrize(
    ("zone", "monday_before", "monday_after"),
    [
        # Chatham: +13:45 until Sunday 7 April 2024 03:45, then +12:45.
        ("Pacific/Chatham", "2024-03-31T18:15", "2024-04-07T19:15"),
        # Lord Howe: +11 until 7 April 2024 02:00, then +10:30 (a 30-minute DST change).
        ("Australia/Lord_Howe", "2024-03-31T21:00", "2024-04-07T21:30"),
    ],
)
def test_southern_half_hour_zones_previous_utc_day(zone, monday_before, monday_after):
    """Monday 08:00 local is a Sunday in UTC: windows on the local date after the UTC date."""
    person = {"id": "p", "timezone": zone, "availability": [["mon", "08:00", "09:00"]]}
    grid = grid_of([person], "2024-03-31", "2024-04-07")
    ok = grid.starts[grid.fits[:, 0]]
    assert ok.tolist() == [ts(monday_before), ts(monday_after)]
    result = find_slots(doc([person], "2024-04-07", "2024-04-07", top=1))
    assert result["slots"][0]["start_utc"] == monday_after + ":00Z"
    assert result["slots"][0]["local_start"]["p"].startswith("2024-04-08T08:00:00+")


def test_honolulu_local_date_before_the_utc_date():
    """Friday 20:00 in Honolulu is Saturday 06:00 UTC: the window of the previous local date."""
    person = {
        "id": "h",
        "timezone": "Pacific/Honolulu",
        "availability": [["fri", "20:00", "21:00"]],
    }
    grid = grid_of([person], "2024-05-11", "2024-05-11")
    assert grid.starts[grid.fits[:, 0]].tolist() == [ts("2024-05-11T06:00")]


@pytest.mark.parametrize("availability", [None, [], "missing"])
def test_fallback_is_local_seven_to_twenty_one(availability):
    person = {"id": "u", "timezone": "Asia/Tokyo"}
    if availability != "missing":
        person["availability"] = availability
    result = find_slots(doc([person], "2024-05-06", "2024-05-06", top=200))
    assert result["fallback"] == ["u"]
    grid = grid_of([person], "2024-05-06", "2024-05-06")
    ok = grid.starts[grid.fits[:, 0]]
    # Tokyo 07:00-21:00 (+09:00) = 22:00-12:00 UTC; 60-minute meetings starting 22:00..11:00.
    expected = [
        t
        for t in candidate_starts(date(2024, 5, 6), date(2024, 5, 6), 15).tolist()
        if t <= ts("2024-05-06T11:00") or t >= ts("2024-05-06T22:00")
    ]
    assert ok.tolist() == expected


def test_sociable_hours_and_touching_windows_merge():
    person = {
        "id": "u",
        "timezone": "UTC",
        "availability": [["sun", "22:00", "24:00"], ["mon", "00:00", "02:00"]],
    }
    grid = grid_of([person], "2024-05-05", "2024-05-06", duration=120)
    assert row(grid, "2024-05-05T23:00") == [True]  # across midnight: windows are merged
    assert not grid.sociable[np.searchsorted(grid.starts, ts("2024-05-05T23:00")), 0]
    fallback = grid_of([{"id": "f", "timezone": "UTC"}], "2024-05-06", "2024-05-06")
    soc = {int(t): bool(s) for t, s in zip(fallback.starts, fallback.sociable[:, 0], strict=True)}
    assert soc[ts("2024-05-06T07:45")] is False
    assert soc[ts("2024-05-06T08:00")] is True
    assert soc[ts("2024-05-06T19:00")] is True
    assert soc[ts("2024-05-06T19:15")] is False  # ends 20:15


ZONES = [
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Australia/Sydney",
    "America/Santiago",
    "Pacific/Honolulu",
    "Pacific/Kiritimati",
    "Asia/Tehran",
    "UTC",
    "America/St_Johns",
]
DATES = [
    date(2024, 3, 9),
    date(2024, 3, 30),
    date(2024, 4, 6),
    date(2024, 9, 28),
    date(2024, 10, 5),
    date(2024, 10, 26),
    date(2024, 11, 2),
    date(2024, 1, 15),
]

schedule = st.builds(
    lambda z, ws: Schedule(z, tuple(ws)),
    st.sampled_from(ZONES),
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 95), st.integers(1, 96))
        .filter(lambda t: t[1] != t[2] % 96)
        .map(lambda t: WeeklyWindow(t[0], t[1] * 15, t[2] * 15)),
        min_size=1,
        max_size=5,
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    schedules=st.lists(schedule, min_size=1, max_size=3),
    first=st.sampled_from(DATES),
    days=st.integers(1, 3),
    duration=st.sampled_from([15, 45, 60, 90, 150]),
    step=st.sampled_from([30, 60]),
)
def test_containment_equals_datetime_reference(schedules, first, days, duration, step):
    last = date.fromordinal(first.toordinal() + days - 1)
    starts = candidate_starts(first, last, step)
    got = containment(schedules, first, last, starts, duration * 60)
    soc = containment(
        [sociable_schedule(s.timezone) for s in schedules], first, last, starts, duration * 60
    )
    for p, s in enumerate(schedules):
        ivs = reference.merged_intervals(s, first, last)
        social = reference.merged_intervals(sociable_schedule(s.timezone), first, last)
        for c, t in enumerate(starts.tolist()):
            want = any(a <= t and t + duration * 60 <= b for a, b in ivs)
            assert bool(got[c, p]) == want, (s, t)
            want_soc = any(a <= t and t + duration * 60 <= b for a, b in social)
            assert bool(soc[c, p]) == want_soc, (s.timezone, t)
