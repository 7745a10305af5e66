"""Digests: a person receives a kind of reminder at once, or bundled in one mail a day (08:00
their time) or a week (Monday 08:00 their time); the job sends each digest once."""

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from tandem.notifications import reminders, unsubscribe
from tandem.notifications.models import DigestChoice, OutboxMessage, ReminderOptOut
from tandem.notifications.reminders import Reminder
from tandem.notifications.services import send_reminders
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

UTC = dt.UTC
KIND = "survey-open"


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(reminders, "_sources", dict(reminders._sources))
    return reminders


@pytest.fixture
def surveys(registry):
    """A stand-in app: a survey opens every day (one reminder per person and UTC day)."""
    people = []

    def provider(now):
        day = now.date().isoformat()
        return [
            Reminder(KIND, p, p.email, f"Survey of {day}", "Tell us.", f"survey:{day}:{p.pk}")
            for p in people
        ]

    registry.register("surveys", provider, kinds={KIND: "a survey opens"})
    return people


def person(surveys, zone: str, period: str | None):
    user = UserFactory(timezone=zone)
    surveys.append(user)
    if period:
        DigestChoice.objects.create(user=user, kind=KIND, period=period)
    return user


def run_at(instant: dt.datetime) -> list:
    """Run the job at ``instant``; the digests it sent."""
    before = len(mail.outbox)
    with time_machine.travel(instant, tick=False):
        send_reminders()
    return [m for m in mail.outbox[before:] if m.subject.startswith("Your ")]


def local(zone: str, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


def test_the_profile_sets_how_often_per_kind(client):
    ada = UserFactory()
    client.force_login(ada)
    url = reverse("accounts:profile")
    kinds = set(reminders.kinds())
    data = {"save_reminders": "1", "receive": sorted(kinds), "every_checkin-due": "weekly"}
    assert client.post(url, data | {"every_meeting-tomorrow": "daily"}).status_code == 302
    chosen = set(DigestChoice.objects.filter(user=ada).values_list("kind", "period"))
    assert chosen == {("checkin-due", "weekly"), ("meeting-tomorrow", "daily")}
    page = client.get(url)
    assert page.context["reminders_form"]["every_checkin-due"].value() == "weekly"
    assert "in a weekly digest (Monday 08:00 your time)" in page.content.decode()
    client.post(url, data)  # meeting tomorrow back to "at once"
    assert set(DigestChoice.objects.filter(user=ada).values_list("kind", "period")) == {
        ("checkin-due", "weekly")
    }
    response = client.post(url, data | {"every_checkin-due": "hourly"})
    assert response.status_code == 200 and response.context["reminders_form"].errors


def test_a_daily_digest_at_08_local_once_across_spring_forward(surveys):
    zone = "Europe/Berlin"  # clocks go 02:00 → 03:00 on Sunday 29 March 2026
    ada = person(surveys, zone, "daily")
    bob = person(surveys, zone, None)  # at once
    assert run_at(local(zone, 2026, 3, 28, 12, 0)) == []
    assert [m.to for m in mail.outbox] == [[bob.email]]  # Ada's is held
    held = OutboxMessage.objects.get(user=ada)
    assert held.status == OutboxMessage.Status.HELD
    # 08:00 in Berlin on 29 March is 06:00 UTC (summer time), not 07:00 as the day before.
    assert run_at(dt.datetime(2026, 3, 29, 5, 59, tzinfo=UTC)) == []
    (digest,) = run_at(dt.datetime(2026, 3, 29, 6, 0, tzinfo=UTC))
    assert digest.to == [ada.email] and digest.subject == "Your daily digest: 2 reminders"
    assert "Survey of 2026-03-28" in digest.body and "Survey of 2026-03-29" in digest.body
    assert run_at(dt.datetime(2026, 3, 29, 6, 0, tzinfo=UTC)) == []  # the job run twice
    assert run_at(dt.datetime(2026, 3, 29, 21, 0, tzinfo=UTC)) == []  # later the same day
    held.refresh_from_db()
    assert held.status == OutboxMessage.Status.SENT
    run_at(local(zone, 2026, 3, 30, 12, 0))
    (next_day,) = run_at(local(zone, 2026, 3, 31, 8, 0))
    assert next_day.subject == "Your daily digest: 1 reminder"
    assert "Survey of 2026-03-30" in next_day.body
    assert OutboxMessage.objects.filter(kind="digest-daily").count() == 2


def test_a_weekly_digest_on_monday_08_local_across_fall_back(surveys):
    zone = "America/New_York"  # clocks go 02:00 → 01:00 on Sunday 1 November 2026
    ada = person(surveys, zone, "weekly")
    for day in (27, 29, 31):  # Tuesday, Thursday, Saturday
        assert run_at(local(zone, 2026, 10, day, 12, 0)) == []
    assert run_at(local(zone, 2026, 11, 1, 12, 0)) == []  # Sunday
    # Monday 2 November 08:00 in New York is 13:00 UTC (winter time).
    assert run_at(dt.datetime(2026, 11, 2, 12, 59, tzinfo=UTC)) == []
    (digest,) = run_at(dt.datetime(2026, 11, 2, 13, 0, tzinfo=UTC))
    assert digest.to == [ada.email] and digest.subject == "Your weekly digest: 5 reminders"
    assert run_at(dt.datetime(2026, 11, 2, 13, 0, tzinfo=UTC)) == []  # the job run twice
    assert run_at(local(zone, 2026, 11, 4, 8, 0)) == []  # a weekly digest: not on Wednesday


def test_each_person_gets_their_digest_at_their_own_08(surveys):
    kathmandu = person(surveys, "Asia/Kathmandu", "daily")  # UTC+05:45
    angeles = person(surveys, "America/Los_Angeles", "daily")  # UTC−07:00 in June
    run_at(dt.datetime(2026, 6, 10, 16, 0, tzinfo=UTC))  # after 08:00 in both zones
    # 08:00 in Kathmandu: the survey planned at this very run waits for tomorrow's digest.
    (first,) = run_at(dt.datetime(2026, 6, 11, 2, 15, tzinfo=UTC))
    assert first.to == [kathmandu.email] and first.subject == "Your daily digest: 1 reminder"
    (second,) = run_at(dt.datetime(2026, 6, 11, 15, 0, tzinfo=UTC))  # 08:00 in Los Angeles
    assert second.to == [angeles.email] and second.subject == "Your daily digest: 2 reminders"


def test_a_digest_carries_one_click_unsubscribe_that_turns_its_kinds_off(surveys, settings):
    settings.TANDEM_BASE_URL = "https://tandem.example.org"
    zone = "Europe/Berlin"
    ada = person(surveys, zone, "daily")
    run_at(local(zone, 2026, 6, 10, 12, 0))
    (digest,) = run_at(local(zone, 2026, 6, 11, 8, 0))
    header = digest.message()["List-Unsubscribe"]
    token = unsubscribe.token(ada.pk, "digest-daily")
    path = reverse("notifications:unsubscribe", args=[token])
    assert header == f"<https://tandem.example.org{path}>"
    assert digest.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "You receive this digest because you chose it" in digest.body
    run_at(local(zone, 2026, 6, 11, 12, 0))
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD).count() == 1
    assert Client(enforce_csrf_checks=True).post(urlsplit(header[1:-1]).path).status_code == 200
    assert set(ReminderOptOut.objects.values_list("user", "kind")) == {(ada.pk, KIND)}
    # Held before the opt-out, the next day's survey is cancelled, not sent.
    assert run_at(local(zone, 2026, 6, 12, 8, 0)) == []
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD).exists()
