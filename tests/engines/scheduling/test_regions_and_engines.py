"""Every zone of a region is shown with its local start; both engines agree on overlap.

Expected values are computed here with ``zoneinfo`` (or by hand), not by the engines.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tandem.engines.scheduling import find_slots
from tandem.engines.timewindows import Schedule, WeeklyWindow, weekly_overlap_matrix

pytestmark = pytest.mark.unit

APAC = {
    "kathmandu": "Asia/Kathmandu",
    "jakarta": "Asia/Jakarta",
    "sydney": "Australia/Sydney",
    "melbourne": "Australia/Melbourne",  # same wall time as Sydney: listed and named too
    "auckland": "Pacific/Auckland",
}


def test_each_region_lists_the_local_start_of_every_zone_named():
    people = [{"id": pid, "timezone": tz, "region": "APAC"} for pid, tz in APAC.items()]
    people.append({"id": "berlin", "timezone": "Europe/Berlin", "region": "EMEA"})
    result = find_slots(
        {
            "participants": people,
            "settings": {"from": "2024-05-06", "to": "2024-05-06", "duration_minutes": 60},
        }
    )
    slot = result["slots"][0]
    start = datetime.fromisoformat(slot["start_utc"].replace("Z", "+00:00"))
    apac = slot["regions"]["APAC"]
    expected = sorted(
        (
            (start.astimezone(ZoneInfo(tz)).utcoffset(), tz, start.astimezone(ZoneInfo(tz)))
            for tz in APAC.values()
        ),
    )
    assert [(z["timezone"], z["local_start"]) for z in apac["zones"]] == [
        (tz, local.isoformat()) for _, tz, local in expected
    ]
    assert [z["timezone"] for z in apac["zones"]] == [
        "Asia/Kathmandu",
        "Asia/Jakarta",
        "Australia/Melbourne",
        "Australia/Sydney",
        "Pacific/Auckland",
    ]  # west to east in May: +05:45, +07, +10, +10, +12
    assert sum(z["participants"] for z in apac["zones"]) == apac["participants"] == 5
    assert sum(z["attending"] for z in apac["zones"]) == apac["attending"]
    assert len(apac["local_start"]) == 4  # Sydney and Melbourne share one wall time
    assert [z["timezone"] for z in slot["regions"]["EMEA"]["zones"]] == ["Europe/Berlin"]


def _utc(zone: str, day: date, hhmm: str) -> datetime:
    local = datetime.combine(day, datetime.strptime(hhmm, "%H:%M").time(), ZoneInfo(zone))
    return local.astimezone(UTC)


@pytest.mark.parametrize("monday", [date(2024, 1, 8), date(2024, 6, 3)])
def test_both_engines_count_honolulu_sunday_and_auckland_monday_together(monday):
    """Issue 10, point 7: Honolulu Sun 14-17 and Auckland Mon 13-16 are the same instants.

    The meeting finder offers the slots both can attend; the pairing engine counts the same
    hours as their weekly overlap.
    """
    sunday, next_monday = monday + timedelta(days=6), monday + timedelta(days=7)
    lo = max(
        _utc("Pacific/Honolulu", sunday, "14:00"), _utc("Pacific/Auckland", next_monday, "13:00")
    )
    hi = min(
        _utc("Pacific/Honolulu", sunday, "17:00"), _utc("Pacific/Auckland", next_monday, "16:00")
    )
    shared_hours = (hi - lo) / timedelta(hours=1)
    assert shared_hours == (3 if monday.month == 1 else 2)  # NZDT +13 / NZST +12, by hand

    people = [
        {"id": "hnl", "timezone": "Pacific/Honolulu", "availability": [["sun", "14:00", "17:00"]]},
        {"id": "akl", "timezone": "Pacific/Auckland", "availability": [["mon", "13:00", "16:00"]]},
    ]
    day = lo.date().isoformat()  # the UTC date of the shared hours (a Monday)
    result = find_slots(
        {
            "participants": people,
            "settings": {"from": day, "to": day, "duration_minutes": 60, "top": 50},
        }
    )
    both = [s["start_utc"] for s in result["slots"] if s["attending"] == 2]
    quarter = timedelta(minutes=15)
    n = int((hi - lo - timedelta(hours=1)) / quarter) + 1  # 60-minute starts inside [lo, hi)
    assert both == [(lo + k * quarter).strftime("%Y-%m-%dT%H:%M:%SZ") for k in range(n)]

    def schedule(p):
        return Schedule(p["timezone"], tuple(WeeklyWindow.parse(w) for w in p["availability"]))

    overlap = weekly_overlap_matrix([schedule(people[0])], [schedule(people[1])], [monday])
    assert overlap.min_hours[0, 0] == shared_hours
