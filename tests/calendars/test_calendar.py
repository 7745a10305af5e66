"""Calendar: .ics downloads (RFC 5545, in the reader's zone) and the private token feed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from tandem.calendars.ics import PRODID, calendar_for
from tandem.calendars.models import CalendarFeed
from tandem.meetings.calendar_events import checkin_event, meeting_event
from tandem.meetings.models import CheckIn, Meeting
from tandem.partnerships.models import Partnership
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

UTC = dt.UTC
KICKOFF = dt.datetime(2025, 3, 10, 16, 0, tzinfo=UTC)  # US on DST since 9 March, EU not yet


@pytest.fixture(autouse=True)
def frozen_clock():
    """Only DTSTAMP and the factories' cohort dates read the clock here: frozen all the same."""
    with time_machine.travel(dt.datetime(2025, 3, 5, 23, 55, tzinfo=UTC), tick=False):
        yield


def accepted(cohort, user, **kwargs):
    return ApplicationFactory(cohort=cohort, applicant=user, status="accepted", **kwargs)


def published_pair(cohort, a, b, status=Partnership.Status.PUBLISHED):
    return Partnership.objects.create(
        cohort=cohort,
        experienced=accepted(cohort, a, full_name="Eva Expert", preferred_role="experienced"),
        learning=accepted(cohort, b, full_name="Lin Learner"),
        status=status,
        published_at=KICKOFF if status == Partnership.Status.PUBLISHED else None,
    )


def checkin(pair, round_=1, confirmed=True, at=KICKOFF + dt.timedelta(days=2), minutes=45):
    return CheckIn.objects.create(
        partnership=pair,
        round=round_,
        window_start=dt.date(2025, 3, 1),
        due_date=dt.date(2025, 3, 31),
        proposed_at=at,
        confirmed=confirmed,
        duration_minutes=minutes,
    )


@pytest.fixture
def world(db):
    """Two cohorts; in the first a published pair (Berlin & New York) and a meeting."""
    first, second = CohortFactory(slug="first"), CohortFactory(slug="second")
    eva = UserFactory(name="Eva Expert", timezone="Europe/Berlin")
    lin = UserFactory(name="Lin Learner", timezone="America/New_York")
    pair = published_pair(first, eva, lin)
    kickoff = Meeting.objects.create(
        cohort=first,
        title="Orientation session",
        starts_at=KICKOFF,
        duration_minutes=90,
        video_url="https://meet.example.org/kickoff",
        agenda="Welcome and expectations.",
        sequence=3,
    )
    omar, olga = UserFactory(timezone="Asia/Kathmandu"), UserFactory(timezone="Africa/Nairobi")
    other_pair = published_pair(second, omar, olga)
    other_meeting = Meeting.objects.create(
        cohort=second, title="Second cohort meeting", starts_at=KICKOFF, kind="program"
    )
    return {
        "eva": eva,
        "lin": lin,
        "pair": pair,
        "kickoff": kickoff,
        "omar": omar,
        "olga": olga,
        "other_pair": other_pair,
        "other_meeting": other_meeting,
    }


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def only_event(cal: Calendar):
    (event,) = cal.walk("VEVENT")
    return event


# --- The document ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tzname", "local"),
    [
        ("Europe/Berlin", dt.datetime(2025, 3, 10, 17, 0)),
        ("America/New_York", dt.datetime(2025, 3, 10, 12, 0)),
        ("Asia/Kathmandu", dt.datetime(2025, 3, 10, 21, 45)),
    ],
)
def test_meeting_ics_is_in_the_downloaders_zone(client, world, tzname, local):
    person = world["eva"]
    person.timezone = tzname
    person.save()
    client.force_login(person)
    response = client.get(reverse("calendar:meeting_ics", args=[world["kickoff"].pk]))
    assert response["Content-Disposition"] == 'attachment; filename="orientation-session.ics"'
    cal = parse(response)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == PRODID
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Orientation session"
    event = only_event(cal)
    assert event["DTSTART"].params["TZID"] == tzname
    assert event.start.replace(tzinfo=None) == local
    assert event.start.astimezone(UTC) == KICKOFF
    assert event.end.astimezone(UTC) == KICKOFF + dt.timedelta(minutes=90)
    assert [tz.tz_name for tz in cal.timezones] == [tzname]
    assert not cal.get_missing_tzids()
    assert str(event["UID"]) == f"meeting-{world['kickoff'].pk}@tandem"
    assert int(event["SEQUENCE"]) == 3
    assert "DTSTAMP" in event
    assert "Welcome and expectations." in str(event["DESCRIPTION"])
    assert "https://meet.example.org/kickoff" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == str(event["LOCATION"]) == "https://meet.example.org/kickoff"


def test_vtimezone_gives_the_right_offsets_across_the_dst_gap(world):
    """Parsed back through its own VTIMEZONE, a week-by-week series keeps its UTC instants."""
    weeks = [KICKOFF + dt.timedelta(days=7 * k) for k in range(-2, 5)]  # both switches inside
    meetings = [
        Meeting(pk=100 + k, cohort=world["kickoff"].cohort, title=f"W{k}", starts_at=when)
        for k, when in enumerate(weeks)
    ]
    for tzname in ("Europe/Berlin", "America/New_York"):
        cal = Calendar.from_ical(calendar_for([meeting_event(m) for m in meetings], tzname, "x"))
        assert [e.start.astimezone(UTC) for e in cal.walk("VEVENT")] == weeks
        vtz = cal.timezones[0]
        assert vtz.tz_name == tzname
        offsets = {
            when: vtz.to_tz().utcoffset(when.astimezone(ZoneInfo(tzname)).replace(tzinfo=None))
            for when in weeks
        }
        assert offsets == {when: when.astimezone(ZoneInfo(tzname)).utcoffset() for when in weeks}


def test_uid_is_stable_and_sequence_follows_the_meeting(world):
    meeting = world["kickoff"]
    first = only_event(Calendar.from_ical(calendar_for([meeting_event(meeting)], "UTC", "a")))
    meeting.sequence += 1
    meeting.starts_at += dt.timedelta(hours=1)
    meeting.save()
    again = only_event(Calendar.from_ical(calendar_for([meeting_event(meeting)], "UTC", "a")))
    assert first["UID"] == again["UID"] == f"meeting-{meeting.pk}@tandem"
    assert (int(first["SEQUENCE"]), int(again["SEQUENCE"])) == (3, 4)


def test_unknown_zone_falls_back_to_utc(world):
    cal = Calendar.from_ical(calendar_for([meeting_event(world["kickoff"])], "Mars/Olympus", "x"))
    assert only_event(cal).start == KICKOFF
    assert cal.timezones == []


def test_checkin_event_summary_and_duration(world):
    c = checkin(world["pair"], round_=2, minutes=45)
    event = checkin_event(c)
    assert str(event["SUMMARY"]) == "Check-in 2: Eva Expert & Lin Learner"
    assert event.end - event.start == dt.timedelta(minutes=45)
    assert str(event["UID"]) == f"checkin-{c.pk}@tandem"
    with pytest.raises(ValueError):
        checkin_event(checkin(world["pair"], round_=3, confirmed=False))


# --- Who may download ------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world):
    for url in (
        reverse("calendar:meeting_ics", args=[world["kickoff"].pk]),
        reverse("calendar:checkin_ics", args=[checkin(world["pair"]).pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_participant_of_another_cohort_gets_404(client, world):
    client.force_login(world["omar"])
    assert (
        client.get(reverse("calendar:meeting_ics", args=[world["kickoff"].pk])).status_code == 404
    )
    assert client.get(reverse("calendar:meeting_ics", args=[999999])).status_code == 404
    ok = client.get(reverse("calendar:meeting_ics", args=[world["other_meeting"].pk]))
    assert ok.status_code == 200


def test_coordinator_downloads_any_meeting(coordinator_client, world):
    response = coordinator_client.get(reverse("calendar:meeting_ics", args=[world["kickoff"].pk]))
    assert only_event(parse(response))["UID"] == f"meeting-{world['kickoff'].pk}@tandem"


def test_checkin_ics_only_for_the_partners(client, world, coordinator):
    c = checkin(world["pair"])
    url = reverse("calendar:checkin_ics", args=[c.pk])
    for partner, local in (
        (world["eva"], dt.datetime(2025, 3, 12, 17)),
        (world["lin"], dt.datetime(2025, 3, 12, 12)),
    ):
        client.force_login(partner)
        event = only_event(parse(client.get(url)))
        assert event.start.replace(tzinfo=None) == local
        assert str(event["SUMMARY"]) == "Check-in 1: Eva Expert & Lin Learner"
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    for outsider in (world["omar"], UserFactory()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_checkin_ics_404_unless_confirmed_and_published(client, world):
    client.force_login(world["eva"])
    unconfirmed = checkin(world["pair"], round_=2, confirmed=False)
    assert client.get(reverse("calendar:checkin_ics", args=[unconfirmed.pk])).status_code == 404
    c = checkin(world["pair"], round_=3)
    world["pair"].status = Partnership.Status.ENDED
    world["pair"].save()
    assert client.get(reverse("calendar:checkin_ics", args=[c.pk])).status_code == 404


# --- The feed ---------------------------------------------------------------------------------


def feed_url(user) -> str:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return reverse("calendar:feed", args=[feed.token])


def uids(response) -> set[str]:
    return {str(e["UID"]) for e in parse(response).walk("VEVENT")}


def test_feed_needs_no_login_and_has_the_users_items_only(client, world):
    mine = checkin(world["pair"], round_=1)
    unconfirmed = checkin(world["pair"], round_=2, confirmed=False)
    theirs = checkin(world["other_pair"], round_=1)
    response = client.get(feed_url(world["lin"]))
    assert uids(response) == {f"meeting-{world['kickoff'].pk}@tandem", f"checkin-{mine.pk}@tandem"}
    assert f"checkin-{unconfirmed.pk}@tandem" not in uids(response)
    assert response["Content-Disposition"].startswith("inline")
    cal = parse(response)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert [tz.tz_name for tz in cal.timezones] == ["America/New_York"]
    assert all(e["DTSTART"].params["TZID"] == "America/New_York" for e in cal.walk("VEVENT"))
    other = uids(client.get(feed_url(world["omar"])))
    assert other == {f"meeting-{world['other_meeting'].pk}@tandem", f"checkin-{theirs.pk}@tandem"}


def test_one_token_never_reads_another_users_items(client, world):
    eva_items = uids(client.get(feed_url(world["eva"])))
    olga_items = uids(client.get(feed_url(world["olga"])))
    assert eva_items and olga_items and not eva_items & olga_items


def test_unknown_or_inactive_token_is_404(client, world):
    assert client.get(reverse("calendar:feed", args=["not-a-token"])).status_code == 404
    url = feed_url(world["eva"])
    world["eva"].is_active = False
    world["eva"].save()
    assert client.get(url).status_code == 404


def test_reset_revokes_the_old_address(client, world):
    old = feed_url(world["eva"])
    client.force_login(world["eva"])
    assert client.get(reverse("calendar:feed_reset")).status_code == 405
    response = client.post(reverse("calendar:feed_reset"), follow=True)
    assert response.redirect_chain[0][0] == reverse("accounts:profile") + "#calendar"
    assert "old link no longer works" in response.content.decode()
    new = feed_url(world["eva"])
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_reset_only_ever_touches_the_signed_in_user(client, world):
    lin_url = feed_url(world["lin"])
    client.force_login(world["eva"])
    client.post(
        reverse("calendar:feed_reset"),
        {"user": world["lin"].pk, "token": lin_url.split("/")[-1][:-4]},
    )
    assert feed_url(world["lin"]) == lin_url
    assert CalendarFeed.objects.filter(user=world["eva"]).exists()
    client.logout()
    assert client.post(reverse("calendar:feed_reset")).status_code == 302
    assert feed_url(world["lin"]) == lin_url


def test_feed_of_a_person_without_meetings_is_an_empty_valid_calendar(client, world):
    cal = parse(client.get(feed_url(UserFactory(timezone="Pacific/Chatham"))))
    assert cal.walk("VEVENT") == [] and cal.timezones == []
    assert str(cal["X-WR-CALNAME"]) == "Tandem: program meetings"


def test_feed_tells_clients_to_refresh_hourly_and_keeps_its_identity(client, world):
    url = feed_url(world["eva"])
    first, again = parse(client.get(url)), parse(client.get(url))
    assert first["X-PUBLISHED-TTL"].to_ical() == b"PT1H"
    assert first["REFRESH-INTERVAL"].to_ical() == b"PT1H"
    assert first["UID"] == again["UID"]
    assert b"1970" not in client.get(url).content  # VTIMEZONE spans the events, not decades
