"""The zone picker's choices: canonical zones only, grouped by region, with their offset now."""

import datetime as dt

import pytest
import time_machine

from tandem.core.timezones import canonical_timezones, canonical_zone, timezone_choices

pytestmark = pytest.mark.unit

WINTER = dt.datetime(2027, 1, 15, 12, tzinfo=dt.UTC)
SUMMER = dt.datetime(2027, 7, 15, 12, tzinfo=dt.UTC)


def labels_at(instant):
    with time_machine.travel(instant, tick=False):
        return {value: label for _group, options in timezone_choices() for value, label in options}


def test_only_canonical_zones_without_duplicates():
    values = [value for _group, options in timezone_choices() for value, _label in options]
    assert len(values) == len(set(values))
    assert values == [*canonical_timezones()[:-1], "UTC"]
    for alias in ("Africa/Asmera", "Africa/Timbuktu", "Asia/Calcutta", "Asia/Katmandu"):
        assert alias not in values
    for place in ("Africa/Asmara", "Asia/Kolkata", "Europe/Amsterdam", "Africa/Nairobi"):
        assert place in values
    assert not [value for value in values if value.startswith(("Etc/", "posix/", "right/"))]


def test_grouped_by_region_with_utc_last():
    groups = [str(group) for group, _options in timezone_choices()]
    assert groups[0] == "Africa" and groups[-1] == "UTC"
    assert {"America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Pacific"} <= set(
        groups
    )
    assert "Indian Ocean" in groups
    asia = next(options for group, options in timezone_choices() if str(group) == "Asia")
    assert all(value.startswith("Asia/") for value, _label in asia)


def test_labels_show_the_city_and_the_offset_now():
    winter, summer = labels_at(WINTER), labels_at(SUMMER)
    assert winter["Asia/Kathmandu"] == summer["Asia/Kathmandu"] == "Kathmandu (UTC+05:45)"
    assert winter["Asia/Kolkata"] == "Kolkata (UTC+05:30)"
    assert winter["Europe/Berlin"] == "Berlin (UTC+01:00)"
    assert summer["Europe/Berlin"] == "Berlin (UTC+02:00)"
    assert winter["America/New_York"] == "New York (UTC−05:00)"
    assert summer["America/New_York"] == "New York (UTC−04:00)"
    assert winter["America/Argentina/Buenos_Aires"] == "Argentina / Buenos Aires (UTC−03:00)"


@pytest.mark.parametrize(
    ("stored", "canonical"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Asia/Katmandu", "Asia/Kathmandu"),
        ("Africa/Asmera", "Africa/Asmara"),  # respelled, not merely the same clock (Nairobi)
        ("Europe/Kiev", "Europe/Kyiv"),
        ("US/Pacific", "America/Los_Angeles"),
        ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Etc/UTC", "UTC"),
        ("GMT", "UTC"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("Etc/GMT+5", "Etc/GMT+5"),  # valid, no canonical equivalent: kept
        ("Mars/Olympus_Mons", "Mars/Olympus_Mons"),  # unknown: left for the form to refuse
    ],
)
def test_canonical_zone_of_a_stored_value(stored, canonical):
    assert canonical_zone(stored) == canonical


def test_every_alias_maps_to_a_zone_with_the_same_clock():
    from zoneinfo import ZoneInfo, available_timezones

    canonical = set(canonical_timezones())
    for name in available_timezones() - canonical:
        mapped = canonical_zone(name)
        if mapped in canonical:
            for at in (WINTER, SUMMER):
                assert ZoneInfo(name).utcoffset(at) == ZoneInfo(mapped).utcoffset(at), name
