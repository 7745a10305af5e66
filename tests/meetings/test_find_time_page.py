"""The find-time page lists, per region, the local start in every zone of its participants."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.cohorts.factories import CohortFactory
from tests.pairing_fixtures import make_app

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

PEOPLE = [  # name, country, zone: four APAC zones and one EMEA zone
    ("Nima Kathmandu", "NP", "Asia/Kathmandu"),
    ("Sari Jakarta", "ID", "Asia/Jakarta"),
    ("Sam Sydney", "AU", "Australia/Sydney"),
    ("Aroha Auckland", "NZ", "Pacific/Auckland"),
    ("Berit Berlin", "DE", "Europe/Berlin"),
]


def offset_label(local: datetime) -> str:
    minutes = int(local.utcoffset().total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def test_every_apac_zone_gets_its_own_local_start(coordinator_client):
    cohort = CohortFactory(slug="apac")
    for name, country, tz in PEOPLE:
        role = "experienced" if tz == "Europe/Berlin" else "learning"
        make_app(cohort, name, role, country=country, tz=tz, availability=[])  # 07:00-21:00
    response = coordinator_client.get(
        reverse("meetings:find_time", args=[cohort.slug]),
        {"start": "2025-03-03", "end": "2025-03-04", "duration": "60", "sessions": "1"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    for slot in response.context["result"]["slots"]:
        start = datetime.fromisoformat(slot["start_utc"].replace("Z", "+00:00"))
        apac = slot["regions"]["APAC"]
        expected = []
        for _, _, tz in PEOPLE[:4]:
            local = start.astimezone(ZoneInfo(tz))
            expected.append(f"{local:%a %H:%M} {tz} ({offset_label(local)})")
        assert apac["local_times"] == expected  # west to east, each zone named
        for text in expected:
            assert text in body
        local = start.astimezone(ZoneInfo("Europe/Berlin"))
        assert slot["regions"]["EMEA"]["local_times"] == [
            f"{local:%a %H:%M} Europe/Berlin ({offset_label(local)})"
        ]


def test_times_are_written_for_people_not_as_iso_strings(coordinator_client):
    """The page printed the engine's raw ``2026-12-14T14:00:00Z``; it writes ``Mon 3 Mar, 09:00
    UTC`` (and the rotation table a date and time) instead."""
    cohort = CohortFactory(slug="apac")
    for name, country, tz in PEOPLE:
        role = "experienced" if tz == "Europe/Berlin" else "learning"
        make_app(cohort, name, role, country=country, tz=tz, availability=[])
    response = coordinator_client.get(
        reverse("meetings:find_time", args=[cohort.slug]),
        {
            "start": "2025-03-03",
            "end": "2025-03-05",
            "duration": "60",
            "sessions": "1",
            "meetings": "2",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["rotation"]["meetings"]
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", body)
    first = response.context["result"]["slots"][0]
    start = datetime.fromisoformat(first["start_utc"].replace("Z", "+00:00"))
    assert f"({start:%a} {start.day} {start:%b, %H:%M} UTC)" in body


def test_person_ids_that_are_not_ascii_digits_are_ignored(coordinator_client):
    cohort = CohortFactory(slug="apac")
    response = coordinator_client.get(
        reverse("meetings:find_time", args=[cohort.slug]), {"person": ["²", "7"]}
    )
    assert response.status_code == 200
    assert response.context["people"] == [7]
