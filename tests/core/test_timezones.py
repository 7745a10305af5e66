import datetime as dt

import pytest

from tandem.core.timezones import (
    AmbiguousTimeError,
    NonexistentTimeError,
    is_valid_timezone,
    to_local,
    to_utc,
    utc_offset_label,
)

pytestmark = pytest.mark.unit


def test_announcement_deadline_is_exact():
    # "April 12, 2024, 23:59 PT" is 2024-04-13T06:59:00Z (PDT, UTC-7).
    assert to_utc(dt.datetime(2024, 4, 12, 23, 59), "America/Los_Angeles") == dt.datetime(
        2024, 4, 13, 6, 59, tzinfo=dt.UTC
    )


def test_pacific_standard_time_in_winter():
    assert to_utc(dt.datetime(2024, 1, 12, 23, 59), "America/Los_Angeles") == dt.datetime(
        2024, 1, 13, 7, 59, tzinfo=dt.UTC
    )


def test_spring_forward_gap_is_refused():
    with pytest.raises(NonexistentTimeError, match="does not exist"):
        to_utc(dt.datetime(2024, 3, 10, 2, 30), "America/Los_Angeles")


def test_fall_back_overlap_is_refused():
    with pytest.raises(AmbiguousTimeError, match="twice"):
        to_utc(dt.datetime(2024, 11, 3, 1, 30), "America/Los_Angeles")


def test_minutes_around_the_gap_are_fine():
    before = to_utc(dt.datetime(2024, 3, 10, 1, 59), "America/Los_Angeles")
    after = to_utc(dt.datetime(2024, 3, 10, 3, 0), "America/Los_Angeles")
    assert after - before == dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Asia/Kathmandu", "UTC+05:45"),
        ("Australia/Lord_Howe", "UTC+11:00"),
        ("Pacific/Chatham", "UTC+13:45"),
        ("America/St_Johns", "UTC−03:30"),
    ],
)
def test_offset_labels_of_odd_zones(zone, label):
    assert utc_offset_label(dt.datetime(2024, 1, 15, 12, tzinfo=dt.UTC), zone) == label


def test_round_trip_local():
    instant = dt.datetime(2024, 4, 13, 6, 59, tzinfo=dt.UTC)
    assert to_local(instant, "America/Los_Angeles").strftime("%Y-%m-%d %H:%M") == "2024-04-12 23:59"


def test_is_valid_timezone():
    assert is_valid_timezone("Africa/Nairobi")
    assert not is_valid_timezone("Mars/Olympus_Mons")
    assert not is_valid_timezone("")
