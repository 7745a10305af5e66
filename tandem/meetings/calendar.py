"""iCalendar (RFC 5545) documents of program meetings and check-ins.

Events are built in UTC from the stored instants; :func:`calendar_for` re-expresses them in the
reader's own IANA zone (``DTSTART;TZID=…``) and adds the matching VTIMEZONE components, so a
calendar app shows the same instant Tandem shows, DST included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from icalendar import Calendar, Event, vDuration

from tandem.core.timezones import is_valid_timezone

from .models import CheckIn, Meeting

PRODID = "-//Tandem//Consortia Partnership Program//EN"
UTC = dt.UTC


def _page_url(name: str, *args) -> str:
    """Absolute address of a Tandem page, or "" when the route is not installed."""
    try:
        return settings.TANDEM_BASE_URL + reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _description(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@tandem"


def checkin_uid(checkin: CheckIn) -> str:
    return f"checkin-{checkin.pk}@tandem"


def meeting_event(meeting: Meeting) -> Event:
    """A VEVENT of a cohort meeting (times in UTC; :func:`calendar_for` localises them)."""
    page = _page_url("meetings:detail", meeting.cohort.slug, meeting.pk)
    event = Event.new(
        uid=meeting_uid(meeting),
        summary=meeting.title,
        start=meeting.starts_at.astimezone(UTC),
        end=meeting.ends_at.astimezone(UTC),
        sequence=meeting.sequence,
        description=_description(
            meeting.agenda,
            f"Video link: {meeting.video_url}" if meeting.video_url else "",
            f"Details: {page}" if page else "",
        ),
        url=meeting.video_url or page or None,
        location=meeting.video_url or None,
        categories=[meeting.get_kind_display()],
    )
    event.add("STATUS", "CONFIRMED")
    return event


def checkin_event(checkin: CheckIn) -> Event:
    """A VEVENT of a confirmed check-in: "Check-in N: A & B" for its agreed time and length."""
    if not (checkin.proposed_at and checkin.confirmed):
        raise ValueError("Only a confirmed check-in with a time goes into a calendar.")
    pair = checkin.partnership
    page = _page_url("meetings:checkin", pair.cohort.slug, checkin.pk)
    event = Event.new(
        uid=checkin_uid(checkin),
        summary=f"Check-in {checkin.round}: {pair.experienced.full_name} & "
        f"{pair.learning.full_name}",
        start=checkin.proposed_at.astimezone(UTC),
        end=checkin.ends_at.astimezone(UTC),
        sequence=checkin.sequence,
        description=_description(
            f"Quarterly check-in {checkin.round} of your partnership "
            f"(due by {checkin.due_date:%d %b %Y}): progress on goals, challenges, next steps.",
            f"Details and log: {page}" if page else "",
        ),
        url=page or None,
        categories=["Check-in"],
    )
    event.add("STATUS", "CONFIRMED")
    return event


def _localise(event: Event, zone: ZoneInfo) -> None:
    """Express the event's DTSTART/DTEND in ``zone`` (same instants)."""
    start, end = event.start, event.end
    event.start = start.astimezone(zone)
    event.end = end.astimezone(zone)


def calendar_for(
    events: Iterable[Event],
    tzname: str,
    name: str,
    *,
    method: str | None = "PUBLISH",
    uid: str | None = None,
) -> bytes:
    """A complete VCALENDAR of ``events`` shown in ``tzname`` (UTC if unknown), as bytes.

    ``name`` becomes NAME/X-WR-CALNAME; ``uid`` (e.g. of a feed) keeps the calendar's
    identity stable across refreshes."""
    tzname = tzname if tzname and is_valid_timezone(tzname) else "UTC"
    zone = ZoneInfo(tzname)
    calendar = Calendar.new(
        prodid=PRODID,
        name=name,
        method=method,
        calscale="GREGORIAN",
        uid=uid,
        refresh_interval=dt.timedelta(hours=1),
    )
    calendar.add("X-WR-TIMEZONE", tzname)
    calendar.add("X-PUBLISHED-TTL", vDuration(dt.timedelta(hours=1)))
    days: list[dt.date] = []
    for event in events:
        _localise(event, zone)
        days += [event.start.date(), event.end.date()]
        calendar.add_component(event)
    if days:  # VTIMEZONE rules for a year either side of the events: compact, yet complete
        calendar.add_missing_timezones(
            first_date=min(days) - dt.timedelta(days=366),
            last_date=max(days) + dt.timedelta(days=366),
        )
    return calendar.to_ical()
