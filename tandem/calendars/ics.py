"""iCalendar (RFC 5545) documents: the events every app provides (:mod:`.events`), in one file.

Apps build their events in UTC from the stored instants (:func:`event`); :func:`calendar_for`
re-expresses them for the reader's own IANA zone and adds that zone's VTIMEZONE, so a calendar
app shows the instant Tandem stores, DST and repeated hours included.

What a file guarantees (each point is tested with two independent parsers):

* **DTSTART/DTEND name exactly the stored instant.** An event is written in the reader's zone
  (``DTSTART;TZID=Europe/Berlin:20250310T170000``) when both its start and its end are wall
  times that occur exactly once in that zone; apps then show, edit and move it in that zone.
  A wall time in a repeated hour (a fall-back: 02:30 in Berlin on 26 Oct 2025 happens twice)
  cannot name its second occurrence in that form -- RFC 5545 section 3.3.5 reads it as the
  *first* -- so such an event is written with *both* ends in UTC form (``…T013000Z``), which
  names one instant in every client (shown in the device's zone). Both ends switch together, so
  DTEND never reads before DTSTART and a client that edits the event keeps one form. Readers in
  UTC (or an unknown zone) get UTC form and no VTIMEZONE.
* **The VTIMEZONE is exact by RFC 5545's reading.** It is generated here from the zoneinfo
  transitions (:func:`vtimezone`), one observance per transition, with DTSTART being the local
  time *in TZOFFSETFROM* at which the change happens (section 3.6.5). icalendar's own
  ``add_missing_timezones`` writes spring-forward onsets in the new offset, one hour late by
  that reading, so it is not used.
* **Text round-trips.** Titles, descriptions and the calendar name (NAME, X-WR-CALNAME) are
  TEXT values, escaped (``,`` ``;`` ``\\`` and line breaks); line breaks are normalised to LF
  (TEXT has a single kind) and other control characters, which TEXT forbids, are dropped.
* **Identity is stable.** Event UIDs follow the object (``meeting-7@tandem``); a feed passes its
  own UID;
  a single download's calendar UID is derived from its events, so the same download gives the
  same document (DTSTAMP, the time the file was made, aside).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
    vText,
)

from tandem.core.timezones import is_valid_timezone

PRODID = "-//Tandem//Consortia Partnership Program//EN"
UTC = dt.UTC
VTIMEZONE_MARGIN = dt.timedelta(days=366)  # observances a year either side of the events
_SCAN_STEP = dt.timedelta(hours=6)  # no zone changes twice within six hours


def clean_text(value: str) -> str:
    """``value`` as an RFC 5545 TEXT can carry it: CR LF and lone CR become LF, and the other
    control characters (forbidden in TEXT) are dropped. Escaping is icalendar's ``vText``."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in value if c in "\t\n" or unicodedata.category(c) != "Cc")


def page_url(name: str, *args) -> str:
    """Absolute address of a Tandem page, or "" when the route is not installed."""
    try:
        return settings.TANDEM_BASE_URL + reverse(name, args=args)
    except NoReverseMatch:
        return ""


def paragraphs(*parts: str) -> str:
    """The non-empty ``parts``, one paragraph each, as TEXT can carry them (a description)."""
    return clean_text("\n\n".join(part.strip() for part in parts if part and part.strip()))


def event(
    *,
    uid: str,
    summary: str,
    start: dt.datetime,
    end: dt.datetime,
    sequence: int = 0,
    description: str = "",
    url: str | None = None,
    location: str | None = None,
    categories: Iterable[str] = (),
) -> Event:
    """A confirmed VEVENT from ``start`` to ``end`` (aware instants; written in UTC here,
    :func:`calendar_for` localises them). ``uid`` must stay the same for the same object
    (``<kind>-<pk>@tandem``) and ``sequence`` grow with each change of its time."""
    vevent = Event.new(
        uid=uid,
        summary=clean_text(summary),
        start=start.astimezone(UTC),
        end=end.astimezone(UTC),
        sequence=sequence,
        description=clean_text(description),
        url=url or None,
        location=location or None,
        categories=[clean_text(str(c)) for c in categories],
    )
    vevent.add("STATUS", "CONFIRMED")
    return vevent


def online_event(
    *,
    uid: str,
    summary: str,
    start: dt.datetime,
    end: dt.datetime,
    sequence: int,
    notes: str,
    video_url: str,
    page: str,
    category: str,
) -> Event:
    """:func:`event` for a gathering held online: its ``notes``, the video link and its page
    in the description; the video link (else the page) as URL, the video link as LOCATION."""
    return event(
        uid=uid,
        summary=summary,
        start=start,
        end=end,
        sequence=sequence,
        description=paragraphs(
            notes,
            gettext("Video link: %(url)s") % {"url": video_url} if video_url else "",
            gettext("Details: %(url)s") % {"url": page} if page else "",
        ),
        url=video_url or page,
        location=video_url,
        categories=[category],
    )


# --- Instants in the reader's zone --------------------------------------------------------------


def wall_time_is_unambiguous(instant: dt.datetime, zone: ZoneInfo) -> bool:
    """True if ``instant``'s wall time in ``zone`` occurs exactly once there.

    False in a repeated hour (both occurrences, fold 0 and 1, have different offsets) and in a
    skipped one (which no real instant has, but say so rather than trust it)."""
    wall = instant.astimezone(zone).replace(tzinfo=None)
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    return first.utcoffset() == second.utcoffset() and first.astimezone(UTC) == instant


def _localise(event: Event, zone: ZoneInfo) -> bool:
    """Write the event's DTSTART/DTEND in ``zone`` if both wall times are unambiguous there,
    else leave both in UTC form. True if the event now refers to the zone's VTIMEZONE."""
    start, end = event.start.astimezone(UTC), event.end.astimezone(UTC)
    if not (wall_time_is_unambiguous(start, zone) and wall_time_is_unambiguous(end, zone)):
        event.start, event.end = start, end
        return False
    event.start, event.end = start.astimezone(zone), end.astimezone(zone)
    return True


# --- VTIMEZONE ----------------------------------------------------------------------------------


def _state(zone: ZoneInfo, instant: dt.datetime) -> tuple[dt.timedelta, bool, str]:
    local = instant.astimezone(zone)
    return local.utcoffset(), bool(local.dst()), local.tzname() or ""


def zone_transitions(zone: ZoneInfo, start: dt.datetime, end: dt.datetime):
    """``(instant, offset before, offset after, dst after, name after)`` for each change of
    ``zone``'s offset, DST flag or abbreviation in ``(start, end]``, to the second (zoneinfo
    transitions are whole seconds). Found by stepping and bisecting: zoneinfo has no public
    list of transitions."""
    found = []
    here, state = start, _state(zone, start)
    while here < end:
        there = min(here + _SCAN_STEP, end)
        if _state(zone, there) == state:
            here = there
            continue
        low, high = 0, int((there - here).total_seconds())  # state(low) == state != state(high)
        while high - low > 1:
            middle = (low + high) // 2
            if _state(zone, here + dt.timedelta(seconds=middle)) == state:
                low = middle
            else:
                high = middle
        instant = here + dt.timedelta(seconds=high)
        after = _state(zone, instant)
        found.append((instant, state[0], *after))
        here, state = instant, after
    return found


def _observance(
    onset_local: dt.datetime, offset_from: dt.timedelta, offset_to: dt.timedelta, dst: bool, name
):
    observance = TimezoneDaylight() if dst else TimezoneStandard()
    observance.add("DTSTART", onset_local.replace(tzinfo=None))
    observance.add("TZOFFSETFROM", offset_from)
    observance.add("TZOFFSETTO", offset_to)
    if name:
        observance.add("TZNAME", name)
    return observance


def vtimezone(zone: ZoneInfo, first: dt.date, last: dt.date) -> Timezone:
    """The VTIMEZONE of ``zone`` valid from ``first`` to ``last`` (whole UTC days).

    A first observance fixes the offset at the start of the span (TZOFFSETFROM = TZOFFSETTO);
    then one observance per transition, whose DTSTART is the transition's local time in the
    offset *before* it (RFC 5545 section 3.6.5: "DTSTART … local time … TZOFFSETFROM"), e.g.
    Berlin's 2025 spring-forward at 01:00Z is ``DTSTART:20250330T020000`` with
    ``TZOFFSETFROM:+0100``, its fall-back at 01:00Z ``DTSTART:20251026T030000`` with ``+0200``."""
    start = dt.datetime.combine(first, dt.time(), UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), UTC)
    component = Timezone()
    component.add("TZID", zone.key)
    offset, dst, name = _state(zone, start)
    component.add_component(_observance(start + offset, offset, offset, dst, name))
    for instant, before, after, dst, name in zone_transitions(zone, start, end):
        component.add_component(_observance(instant + before, before, after, dst, name))
    return component


# --- The document -------------------------------------------------------------------------------


def calendar_for(
    events: Iterable[Event],
    tzname: str,
    name: str,
    *,
    method: str | None = "PUBLISH",
    uid: str | None = None,
) -> bytes:
    """A complete VCALENDAR of ``events`` shown in ``tzname`` (UTC if unknown), as bytes.

    ``name`` becomes NAME/X-WR-CALNAME (escaped TEXT); ``uid`` (e.g. of a feed) keeps the
    calendar's identity stable across refreshes; without one the UID is derived from the events'
    UIDs, so the same download is the same calendar. See the module's docstring for which form
    DTSTART/DTEND take."""
    tzname = tzname if tzname and is_valid_timezone(tzname) else "UTC"
    zone = None if tzname == "UTC" else ZoneInfo(tzname)
    events = list(events)
    if uid is None:
        key = "tandem-calendar:" + " ".join(sorted(str(event["UID"]) for event in events))
        uid = str(uuid.uuid5(uuid.NAMESPACE_URL, key))
    calendar = Calendar.new(
        prodid=PRODID,
        method=method,
        calscale="GREGORIAN",
        uid=uid,
        refresh_interval=dt.timedelta(hours=1),
    )
    title = clean_text(name)
    calendar.add("NAME", vText(title))
    calendar.add("X-WR-CALNAME", vText(title))
    calendar.add("X-WR-TIMEZONE", tzname)
    calendar.add("X-PUBLISHED-TTL", vDuration(dt.timedelta(hours=1)))
    days: list[dt.date] = []
    for event in events:
        if zone is not None and _localise(event, zone):
            days += [event.start.astimezone(UTC).date(), event.end.astimezone(UTC).date()]
        else:
            event.start, event.end = event.start.astimezone(UTC), event.end.astimezone(UTC)
    if days:  # only a zone that DTSTART/DTEND refer to, a year either side: compact, complete
        calendar.add_component(
            vtimezone(zone, min(days) - VTIMEZONE_MARGIN, max(days) + VTIMEZONE_MARGIN)
        )
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()
