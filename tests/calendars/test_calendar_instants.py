"""Calendar files name the stored instant exactly, also in a repeated or a skipped hour.

Every expected value here is computed by hand: the 2025 clock changes of each zone are written
out from the zone's rules (and only cross-checked against zoneinfo), the meetings' instants are
offsets from them. The files come through the views (single downloads, check-ins, the feed) and
are read back by two independent parsers:

* icalendar, whose DTSTART/DTEND resolve a TZID by the zone's name (zoneinfo), and
* vobject, whose DTSTART/DTEND resolve through the file's own VTIMEZONE (dateutil),

and, for every wall time written with a TZID, by this module's literal reading of RFC 5545
(an observance starts at its DTSTART, a local time in its TZOFFSETFROM; a wall time that names
no instant or two is reported), applied to the observances as each parser read them.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
import vobject
from django.urls import reverse
from icalendar import Calendar, Event
from icalendar.parser import Contentlines

from tandem.calendars.ics import calendar_for
from tandem.calendars.models import CalendarFeed
from tandem.meetings.models import CheckIn, Meeting
from tandem.partnerships.models import Partnership
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

UTC = dt.UTC
H, MIN = dt.timedelta(hours=1), dt.timedelta(minutes=1)
NOW = dt.datetime(2025, 9, 1, 8, 5, tzinfo=UTC)  # the clock of every test here: frozen


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def offset(hours: int, minutes: int = 0) -> dt.timedelta:
    sign = -1 if hours < 0 else 1
    return sign * dt.timedelta(hours=abs(hours), minutes=minutes)


# The 2025 clock changes, by hand from each zone's rules: (UTC instant, offset before, after).
CHANGES_2025 = {
    # EU: last Sunday of March / October, at 01:00 UTC.
    "Europe/Berlin": [
        (utc(2025, 3, 30, 1, 0), offset(1), offset(2)),
        (utc(2025, 10, 26, 1, 0), offset(2), offset(1)),
    ],
    # US: second Sunday of March 02:00 EST, first Sunday of November 02:00 EDT.
    "America/New_York": [
        (utc(2025, 3, 9, 7, 0), offset(-5), offset(-4)),
        (utc(2025, 11, 2, 6, 0), offset(-4), offset(-5)),
    ],
    # Canada, Newfoundland (a -3:30 zone): same days and local hour as the US.
    "America/St_Johns": [
        (utc(2025, 3, 9, 5, 30), offset(-3, 30), offset(-2, 30)),
        (utc(2025, 11, 2, 4, 30), offset(-2, 30), offset(-3, 30)),
    ],
    # NSW: first Sunday of April 03:00 AEDT, first Sunday of October 02:00 AEST.
    "Australia/Sydney": [
        (utc(2025, 4, 5, 16, 0), offset(11), offset(10)),
        (utc(2025, 10, 4, 16, 0), offset(10), offset(11)),
    ],
    # Lord Howe: a 30-minute shift, +11 <-> +10:30, at 02:00 local on the NSW days.
    "Australia/Lord_Howe": [
        (utc(2025, 4, 5, 15, 0), offset(11), offset(10, 30)),
        (utc(2025, 10, 4, 15, 30), offset(10, 30), offset(11)),
    ],
    # Chatham (45-minute zone): first Sunday of April 03:45, last Sunday of September 02:45.
    "Pacific/Chatham": [
        (utc(2025, 4, 5, 14, 0), offset(13, 45), offset(12, 45)),
        (utc(2025, 9, 27, 14, 0), offset(12, 45), offset(13, 45)),
    ],
}
ZONES = list(CHANGES_2025)


def fall_back(tzname: str):
    ((instant, before, after),) = [c for c in CHANGES_2025[tzname] if c[1] > c[2]]
    return instant, before - after  # the wall span [instant + after, instant + before) repeats


def spring_forward(tzname: str):
    ((instant, before, after),) = [c for c in CHANGES_2025[tzname] if c[1] < c[2]]
    return instant, after - before  # the wall span [instant + before, instant + after) is skipped


def cases(tzname: str) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """(title, start, end) of meetings around the zone's fall-back (repeated span of length r:
    instants [T - r, T) show it the first time, [T, T + r) the second) and spring-forward."""
    t, r = fall_back(tzname)
    s, _ = spring_forward(tzname)
    return [
        ("starts in the second occurrence", t + r / 2, t + r / 2 + H),
        ("starts in the first, ends in the second", t - r / 2, t + r / 2),
        ("ends in the second occurrence", t - 2 * H, t + r / 2),
        ("ends in the first occurrence", t - 2 * H, t - r / 2),
        ("starts as the repeat begins", t - r, t + r),
        ("starts at the change", t, t + 2 * H),
        ("spans the repeated hour", t - r - 30 * MIN, t + r + 30 * MIN),
        ("starts as the clock jumps", s, s + H),
        ("starts in the hour after the jump", s + 30 * MIN, s + 90 * MIN),
        ("spans the jump", s - 30 * MIN, s + 30 * MIN),
        ("ends as the clock jumps", s - H, s),
    ]


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# --- Two readers and the RFC's reading of a VTIMEZONE --------------------------------------------


def parse_offset(text: str) -> dt.timedelta:
    sign, hours, minutes, seconds = re.fullmatch(r"([+-])(\d\d)(\d\d)(\d\d)?", text).groups()
    value = dt.timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))
    return -value if sign == "-" else value


def onsets(observances) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta]]:
    """(UTC onset, offset before, offset from then on) of (DTSTART, TZOFFSETFROM, TZOFFSETTO)
    observances: RFC 5545 3.6.5, DTSTART is a local time in TZOFFSETFROM."""
    return sorted(
        ((start - before).replace(tzinfo=UTC), before, after)
        for start, before, after in observances
    )


def offset_at(instant: dt.datetime, observances) -> dt.timedelta:
    """The offset the VTIMEZONE gives at a UTC instant (before the first onset: its FROM)."""
    changes = onsets(observances)
    current = changes[0][1]
    for onset, _, after in changes:
        if onset <= instant:
            current = after
    return current


def rfc_instant(local: dt.datetime, observances) -> dt.datetime:
    """The one instant the wall time ``local`` names under the observances; fails if it names
    none (a skipped hour) or two (a repeated one: the RFC would take the first)."""
    changes = onsets(observances)
    offsets = {changes[0][1]} | {after for _, _, after in changes}
    named = {
        (local - each).replace(tzinfo=UTC)
        for each in offsets
        if offset_at((local - each).replace(tzinfo=UTC), observances) == each
    }
    assert len(named) == 1, f"{local} names {sorted(named)} under the VTIMEZONE"
    return named.pop()


def observances_icalendar(cal: Calendar, tzid: str):
    (vtz,) = [tz for tz in cal.walk("VTIMEZONE") if str(tz["TZID"]) == tzid]
    found = []
    for observance in vtz.subcomponents:
        assert "RRULE" not in observance and "RDATE" not in observance  # not read here
        found.append(
            (
                observance["DTSTART"].dt,
                observance["TZOFFSETFROM"].td,
                observance["TZOFFSETTO"].td,
            )
        )
    return found


def observances_vobject(cal, tzid: str):
    (vtz,) = [tz for tz in cal.contents.get("vtimezone", []) if tz.tzid.value == tzid]
    found = []
    for kind in ("standard", "daylight"):
        for observance in vtz.contents.get(kind, []):
            assert "rrule" not in observance.contents and "rdate" not in observance.contents
            found.append(
                (
                    observance.dtstart.value,
                    parse_offset(observance.tzoffsetfrom.value),
                    parse_offset(observance.tzoffsetto.value),
                )
            )
    return found


def read_icalendar(content: bytes) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """UID -> (start, end) in UTC, as icalendar reads them, each TZID wall time checked by the
    RFC's reading of the file's VTIMEZONE as icalendar parsed it."""
    cal = Calendar.from_ical(content)
    events = {}
    for event in cal.walk("VEVENT"):
        ends = []
        for name in ("DTSTART", "DTEND"):
            value = event[name].dt
            assert value.tzinfo is not None, f"{name} is floating"
            instant = value.astimezone(UTC)
            if "TZID" in event[name].params:
                observances = observances_icalendar(cal, event[name].params["TZID"])
                assert rfc_instant(value.replace(tzinfo=None), observances) == instant
            ends.append(instant)
        events[str(event["UID"])] = tuple(ends)
    return events


def read_vobject(content: bytes) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """UID -> (start, end) in UTC, as vobject reads them (TZID resolved through the file's
    VTIMEZONE), each TZID wall time also checked by the RFC's reading of it."""
    cal = vobject.readOne(content.decode("utf-8"))
    events = {}
    for event in cal.contents.get("vevent", []):
        ends = []
        for line in (event.dtstart, event.dtend):
            value = line.value
            assert value.tzinfo is not None, f"{line.name} is floating"
            instant = value.astimezone(UTC)
            tzid = (line.params.get("X-VOBJ-ORIGINAL-TZID") or line.params.get("TZID") or [None])[0]
            if tzid:
                observances = observances_vobject(cal, tzid)
                assert rfc_instant(value.replace(tzinfo=None), observances) == instant
            ends.append(instant)
        events[event.uid.value] = tuple(ends)
    return events


READERS = (read_icalendar, read_vobject)


def calendar_text(content: bytes, name: str) -> str:
    """A VCALENDAR TEXT property as icalendar's content-line reader unescapes it (icalendar
    7 keeps NAME and X-WR-CALNAME verbatim, as properties of unknown type)."""
    (value,) = [
        value
        for line in Contentlines.from_ical(content.decode())
        if line
        for key, _, value in [line.parts()]
        if key == name
    ]
    return value


def assert_names_the_instants(content: bytes, expected: dict[str, tuple[dt.datetime, ...]]):
    for read in READERS:
        assert read(content) == expected, read.__name__


# --- The people and their meetings ---------------------------------------------------------------


def accepted(cohort, user, **kwargs):
    return ApplicationFactory(cohort=cohort, applicant=user, status="accepted", **kwargs)


@pytest.fixture
def cohort():
    return CohortFactory(slug="dst")


def person_in(cohort, tzname: str):
    person = UserFactory(timezone=tzname)
    accepted(cohort, person, timezone=tzname)
    return person


def meetings_around_the_changes(cohort, tzname: str) -> dict[Meeting, tuple]:
    made = {}
    for title, start, end in cases(tzname):
        meeting = Meeting.objects.create(
            cohort=cohort,
            title=title,
            starts_at=start,
            duration_minutes=(end - start) // MIN,
        )
        made[meeting] = (start, end)
    return made


def test_the_hand_written_changes_are_zoneinfos():
    """Sanity check of the table above (not of the code under test)."""
    for tzname, changes in CHANGES_2025.items():
        zone = ZoneInfo(tzname)
        for instant, before, after in changes:
            assert (instant - dt.timedelta(seconds=1)).astimezone(zone).utcoffset() == before
            assert instant.astimezone(zone).utcoffset() == after


# --- Single downloads --------------------------------------------------------------------------


@pytest.mark.parametrize("tzname", ZONES)
def test_single_meeting_downloads_name_the_stored_instants(client, cohort, tzname):
    person = person_in(cohort, tzname)
    client.force_login(person)
    for meeting, (start, end) in meetings_around_the_changes(cohort, tzname).items():
        response = client.get(reverse("calendar:meeting_ics", args=[meeting.pk]))
        assert response.status_code == 200
        assert_names_the_instants(response.content, {f"meeting-{meeting.pk}@tandem": (start, end)})


@pytest.mark.parametrize("tzname", ZONES)
def test_checkin_in_the_repeated_hour_names_its_instant(client, cohort, tzname):
    eva, lin = person_in(cohort, tzname), person_in(cohort, "UTC")
    pair = Partnership.objects.create(
        cohort=cohort,
        experienced=eva.applications.get(),
        learning=lin.applications.get(),
        status=Partnership.Status.PUBLISHED,
        published_at=NOW,
    )
    t, r = fall_back(tzname)
    checkin = CheckIn.objects.create(
        partnership=pair,
        round=1,
        window_start=t.date() - dt.timedelta(days=30),
        due_date=t.date() + dt.timedelta(days=30),
        proposed_at=t + r / 2,
        confirmed=True,
        duration_minutes=45,
    )
    expected = {f"checkin-{checkin.pk}@tandem": (t + r / 2, t + r / 2 + 45 * MIN)}
    for downloader in (eva, lin):
        client.force_login(downloader)
        response = client.get(reverse("calendar:checkin_ics", args=[checkin.pk]))
        assert response.status_code == 200
        assert_names_the_instants(response.content, expected)


def test_the_issues_example_is_written_in_utc_and_still_in_berlin_time_elsewhere(client, cohort):
    """2025-10-26T01:30Z is the second 02:30 in Berlin: TZID form would read as 00:30Z."""
    berliner = person_in(cohort, "Europe/Berlin")
    client.force_login(berliner)
    second = Meeting.objects.create(
        cohort=cohort, title="Second", starts_at=utc(2025, 10, 26, 1, 30), duration_minutes=60
    )
    weekday = Meeting.objects.create(
        cohort=cohort, title="Weekday", starts_at=utc(2025, 10, 28, 16, 0), duration_minutes=60
    )
    content = client.get(reverse("calendar:meeting_ics", args=[second.pk])).content
    assert b"DTSTART:20251026T013000Z" in content and b"DTEND:20251026T023000Z" in content
    assert b"TZID=Europe/Berlin:20251026T023000" not in content
    assert b"BEGIN:VTIMEZONE" not in content  # no TZID refers to one
    assert b"X-WR-TIMEZONE:Europe/Berlin" in content
    content = client.get(reverse("calendar:meeting_ics", args=[weekday.pk])).content
    assert b"DTSTART;TZID=Europe/Berlin:20251028T170000" in content
    assert b"TZID:Europe/Berlin" in content


# --- The feed ----------------------------------------------------------------------------------


@pytest.mark.parametrize("tzname", ZONES)
def test_feed_names_the_stored_instants(client, cohort, tzname):
    person = person_in(cohort, tzname)
    made = meetings_around_the_changes(cohort, tzname)
    feed, _ = CalendarFeed.objects.get_or_create(user=person)
    response = client.get(reverse("calendar:feed", args=[feed.token]))
    assert response.status_code == 200
    expected = {f"meeting-{m.pk}@tandem": ends for m, ends in made.items()}
    assert_names_the_instants(response.content, expected)
    for read in READERS:  # the complaint: an end before its start
        assert all(start < end for start, end in read(response.content).values())


# --- The VTIMEZONE, by RFC 5545's reading ------------------------------------------------------


@pytest.mark.parametrize("tzname", [*ZONES, "Asia/Kathmandu"])
def test_vtimezone_onsets_are_the_zones_changes(tzname):
    """Each observance starts at the instant the zone changes, read as the RFC reads DTSTART
    (local time in TZOFFSETFROM); between them the offsets are zoneinfo's, half-hour by half-hour
    over a year either side of the event."""
    zone = ZoneInfo(tzname)
    event_at = utc(2025, 7, 1, 12, 0)
    content = calendar_for(
        [Event.new(uid="x@test", summary="x", start=event_at, end=event_at + H)], tzname, "x"
    )
    for observances in (
        observances_icalendar(Calendar.from_ical(content), tzname),
        observances_vobject(vobject.readOne(content.decode()), tzname),
    ):
        changes = onsets(observances)
        for instant, before, after in CHANGES_2025.get(tzname, []):
            assert (instant, before, after) in changes
        for instant, before, after in changes[1:]:  # the first one only fixes the start offset
            assert (instant - dt.timedelta(seconds=1)).astimezone(zone).utcoffset() == before
            assert instant.astimezone(zone).utcoffset() == after
        start, end = event_at - dt.timedelta(days=365), event_at + dt.timedelta(days=365)
        assert changes[0][0] <= start
        here = start
        while here <= end:
            assert offset_at(here, observances) == here.astimezone(zone).utcoffset(), here
            here += 30 * MIN


def test_spring_forward_onset_is_not_an_hour_late():
    """Berlin 2025: 01:00Z = 02:00 CET. An RFC reader of DTSTART 03:00 (icalendar's own
    add_missing_timezones) would start CEST at 02:00Z, reading 03:30 CEST (01:30Z) as 02:30Z."""
    at = utc(2025, 3, 30, 1, 30)
    content = calendar_for(
        [Event.new(uid="x@test", summary="x", start=at, end=at + H)], "Europe/Berlin", "x"
    )
    assert b"DTSTART;TZID=Europe/Berlin:20250330T033000" in content
    assert re.search(
        rb"BEGIN:DAYLIGHT\r\nDTSTART:20250330T020000\r\n(TZNAME:CEST\r\n)?TZOFFSETFROM:\+0100\r\n"
        rb"TZOFFSETTO:\+0200",
        content,
    )
    assert_names_the_instants(content, {"x@test": (at, at + H)})


# --- Names and text -----------------------------------------------------------------------------

AWKWARD = 'Kick-off, part 1; "intro" \\ Q&A\r\nsecond line\rthird\nfourth'
AWKWARD_READ = 'Kick-off, part 1; "intro" \\ Q&A\nsecond line\nthird\nfourth'  # LF only


def test_awkward_title_downloads_and_round_trips(client, cohort):
    """CR/LF in a title used to be a 500 (unescaped NAME); the title is the calendar's name."""
    person = person_in(cohort, "Pacific/Chatham")
    client.force_login(person)
    meeting = Meeting.objects.create(
        cohort=cohort, title=AWKWARD, starts_at=utc(2025, 9, 27, 14, 30), agenda="a\r\nb\x0bc"
    )
    response = client.get(reverse("calendar:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert re.fullmatch(r'attachment; filename="[a-z0-9-]+\.ics"', response["Content-Disposition"])
    lines = response.content.split(b"\r\n")
    assert not any(b"\r" in line or b"\n" in line for line in lines)  # every break is escaped
    cal = Calendar.from_ical(response.content)
    for name in ("NAME", "X-WR-CALNAME"):
        assert calendar_text(response.content, name) == AWKWARD_READ
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == AWKWARD_READ
    assert str(event["DESCRIPTION"]).startswith("a\nbc")
    other = vobject.readOne(response.content.decode())
    assert other.contents["name"][0].value == AWKWARD_READ
    assert other.contents["x-wr-calname"][0].value == AWKWARD_READ
    assert other.vevent.summary.value == AWKWARD_READ
    start = utc(2025, 9, 27, 14, 30)
    assert_names_the_instants(
        response.content, {f"meeting-{meeting.pk}@tandem": (start, start + H)}
    )


def test_feed_with_an_awkward_title_keeps_its_name_and_identity(client, cohort):
    person = person_in(cohort, "America/St_Johns")
    Meeting.objects.create(cohort=cohort, title=AWKWARD, starts_at=utc(2025, 11, 2, 4, 45))
    feed, _ = CalendarFeed.objects.get_or_create(user=person)
    url = reverse("calendar:feed", args=[feed.token])
    first = client.get(url)
    assert first.status_code == 200
    Meeting.objects.create(cohort=cohort, title="Later", starts_at=utc(2025, 12, 1, 15))
    again = client.get(url)
    for response in (first, again):
        assert b"UID:feed-%d@tandem" % feed.pk in response.content
        cal = vobject.readOne(response.content.decode())
        assert cal.contents["x-wr-calname"][0].value == "Tandem: program meetings"
        assert cal.uid.value == f"feed-{feed.pk}@tandem"
    summaries = {e.summary.value for e in vobject.readOne(again.content.decode()).vevent_list}
    assert summaries == {AWKWARD_READ, "Later"}


def test_single_download_is_deterministic(client, cohort, frozen_clock):
    """Same meeting, same reader, same moment: the same bytes (the calendar UID is no longer a
    random one); a later download differs only in DTSTAMP."""
    person = person_in(cohort, "Australia/Lord_Howe")
    client.force_login(person)
    meeting = Meeting.objects.create(
        cohort=cohort, title="Planning, Q4", starts_at=utc(2025, 4, 5, 15, 15)
    )
    url = reverse("calendar:meeting_ics", args=[meeting.pk])
    first, again = client.get(url).content, client.get(url).content
    assert first == again
    frozen_clock.shift(dt.timedelta(hours=5))
    later = client.get(url).content
    assert later != first
    assert re.sub(rb"DTSTAMP:\w+", b"", later) == re.sub(rb"DTSTAMP:\w+", b"", first)
    other = Meeting.objects.create(cohort=cohort, title="Other", starts_at=utc(2025, 5, 1, 1))
    other_cal = Calendar.from_ical(
        client.get(reverse("calendar:meeting_ics", args=[other.pk])).content
    )
    assert str(Calendar.from_ical(first)["UID"]) != str(other_cal["UID"])
