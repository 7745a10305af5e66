"""Event sources: the feed collects the events every app registered, and a download is looked up
through the app that registered its kind (tandem.calendars.events)."""

import datetime as dt

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from icalendar import Calendar

from tandem.calendars import events, views
from tandem.calendars.events import Download, EventSource
from tandem.calendars.ics import event
from tandem.calendars.models import CalendarFeed
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

START = dt.datetime(2025, 3, 10, 16, 0, tzinfo=dt.UTC)


@pytest.fixture
def registry(monkeypatch):
    """The registry as the apps filled it, restored after the test."""
    monkeypatch.setattr(events, "_sources", dict(events._sources))
    return events


def workshop(pk: int):
    return event(
        uid=f"workshop-{pk}@tandem",
        summary="Metadata workshop",
        start=START,
        end=START + dt.timedelta(hours=2),
        categories=["Workshop"],
    )


def workshops(registry, attendee):
    """A stand-in for a new app: one workshop, for ``attendee`` only."""

    def for_feed(user):
        return [workshop(1)] if user == attendee else []

    def download(user, pk):
        if user != attendee or pk != 1:
            return None
        return Download(workshop(1), "Metadata workshop", "metadata-workshop.ics")

    registry.register(EventSource("workshop", for_feed, download))


def test_meetings_registered_meetings_and_check_ins():
    names = [source.name for source in events.sources()]
    assert names[:2] == ["meeting", "checkin"]
    assert reverse("calendar:meeting_ics", args=[7]) == "/calendar/meeting/7.ics"
    assert reverse("calendar:checkin_ics", args=[7]) == "/calendar/checkin/7.ics"


def test_the_feed_collects_every_sources_events(client, registry):
    ada, bob = UserFactory(timezone="Europe/Berlin"), UserFactory()
    workshops(registry, ada)
    for person, expected in ((ada, {"workshop-1@tandem"}), (bob, set())):
        feed, _ = CalendarFeed.objects.get_or_create(user=person)
        response = client.get(reverse("calendar:feed", args=[feed.token]))
        cal = Calendar.from_ical(response.content)
        assert {str(e["UID"]) for e in cal.walk("VEVENT")} == expected


def test_a_download_is_looked_up_through_its_source(registry):
    ada, bob = UserFactory(timezone="Europe/Berlin"), UserFactory()
    workshops(registry, ada)
    request = RequestFactory().get("/calendar/workshop/1.ics")
    request.user = ada
    response = views.download(request, pk=1, source="workshop")
    assert response["Content-Disposition"] == 'attachment; filename="metadata-workshop.ics"'
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["UID"]) == "workshop-1@tandem"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    for user, pk, source in ((bob, 1, "workshop"), (ada, 2, "workshop"), (ada, 1, "survey")):
        request.user = user
        with pytest.raises(Http404):
            views.download(request, pk=pk, source=source)


def test_a_source_name_is_a_slug_apart_from_the_feeds_paths(registry):
    for bad in ("feed", "Workshop", "work shop", ""):
        with pytest.raises(ValueError, match="lower-case slug"):
            registry.register(EventSource(bad, lambda user: []))
