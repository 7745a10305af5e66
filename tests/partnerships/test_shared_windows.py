"""The shared hours shown to a pair are real time, like the pairing overlap."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from tandem.partnerships.services import shared_windows

pytestmark = pytest.mark.unit


def person(tz: str, *windows: list[str]) -> SimpleNamespace:
    return SimpleNamespace(timezone=tz, availability=[list(w) for w in windows])


def test_honolulu_sunday_and_auckland_monday_are_shown_as_shared():
    honolulu = person("Pacific/Honolulu", ["sun", "14:00", "17:00"])
    auckland = person("Pacific/Auckland", ["mon", "13:00", "16:00"])
    # UTC week of Wednesday 5 June 2024: 3 June 00:00Z .. 10 June 00:00Z.  By hand: Honolulu
    # (UTC-10) Sunday 2 June 14-17 = 3 June 00-03Z; Auckland (NZST, UTC+12) Monday 3 June
    # 13-16 = 3 June 01-04Z.  The next Sunday/Monday fall on 10 June, after this week.
    assert shared_windows(honolulu, auckland, date(2024, 6, 5)) == [
        (datetime(2024, 6, 3, 1, tzinfo=UTC), datetime(2024, 6, 3, 3, tzinfo=UTC))
    ]


def test_berlin_night_owls_are_shown_their_monday_small_hours():
    night = person("Europe/Berlin", ["sun", "22:00", "02:00"])
    early = person("Europe/Berlin", ["mon", "00:00", "03:00"])
    # Summer (UTC+2): Monday 00:00-02:00 local = Sunday 22:00-24:00Z.  In the UTC week of
    # 3 June 2024 that is Sunday 9 June 22:00Z - 10 June 00:00Z (2 June's is in the week before).
    assert shared_windows(night, early, date(2024, 6, 3)) == [
        (datetime(2024, 6, 9, 22, tzinfo=UTC), datetime(2024, 6, 10, tzinfo=UTC))
    ]
