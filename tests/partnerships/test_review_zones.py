"""The match-run review shows each partner's shared hours in that partner's own zone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tandem.partnerships import services as pairing

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_each_side_shows_its_own_wall_time_with_the_zone_named(client, pairing_cohort, coordinator):
    cohort, people = pairing_cohort
    coordinator.timezone = "America/New_York"  # the viewer's zone must not leak into the rows
    coordinator.save()
    eva, lin = people["eva"], people["lin"]
    lin.applicant.timezone = "Australia/Sydney"  # Lin's profile zone now differs from Nairobi
    lin.applicant.save()
    run = pairing.run_match(cohort, actor=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("partnerships:run", args=[cohort.slug, run.pk]))
    body = page.content.decode()
    row = next(r for r in page.context["rows"] if r["pair"].experienced_id == eva.pk)
    assert row["pair"].learning_id == lin.pk and row["windows"]
    for start, end in row["windows"]:
        berlin = f"{start.astimezone(ZoneInfo('Europe/Berlin')):%a %H:%M}–"
        berlin += f"{end.astimezone(ZoneInfo('Europe/Berlin')):%H:%M} Europe/Berlin"
        sydney = f"{start.astimezone(ZoneInfo('Australia/Sydney')):%a %H:%M}"
        assert f"{berlin} (UTC+0" in body  # CET or CEST
        assert f"for Eva = {sydney}" in body
        assert "Australia/Sydney (UTC+1" in body  # AEST +10 or AEDT +11
        new_york = f"{start.astimezone(ZoneInfo('America/New_York')):%a %H:%M}"
        assert f"{new_york} for Eva" not in body
    # 2025-01-06 (program start) is winter in Berlin and summer in Sydney: they differ by 10 h.
    start = row["windows"][0][0]
    offset = start.astimezone(ZoneInfo("Australia/Sydney")).utcoffset()
    offset -= start.astimezone(ZoneInfo("Europe/Berlin")).utcoffset()
    assert offset == dt.timedelta(hours=10)
