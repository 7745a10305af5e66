"""The meetings app's calendar entries: cohort meetings and confirmed check-ins, for the
person's feed and as single downloads (registered with tandem.calendars in ``apps.py``)."""

from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext
from icalendar import Event

from tandem.calendars.events import Download, EventSource, register
from tandem.calendars.ics import event, online_event, page_url, paragraphs

from . import services
from .models import CheckIn, Meeting


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@tandem"


def checkin_uid(checkin: CheckIn) -> str:
    return f"checkin-{checkin.pk}@tandem"


def meeting_event(meeting: Meeting) -> Event:
    """A VEVENT of a cohort meeting (times in UTC; the calendar localises them)."""
    page = page_url("meetings:detail", meeting.cohort.slug, meeting.pk)
    return online_event(
        uid=meeting_uid(meeting),
        summary=meeting.title,
        start=meeting.starts_at,
        end=meeting.ends_at,
        sequence=meeting.sequence,
        notes=meeting.agenda,
        video_url=meeting.video_url,
        page=page,
        category=meeting.get_kind_display(),
    )


def checkin_event(checkin: CheckIn) -> Event:
    """A VEVENT of a confirmed check-in: "Check-in N: A & B" for its agreed time and length."""
    if not (checkin.proposed_at and checkin.confirmed):
        raise ValueError("Only a confirmed check-in with a time goes into a calendar.")
    pair = checkin.partnership
    page = page_url("meetings:checkin", pair.cohort.slug, checkin.pk)
    return event(
        uid=checkin_uid(checkin),
        summary=gettext("Check-in %(round)s: %(experienced)s & %(learning)s")
        % {
            "round": checkin.round,
            "experienced": pair.experienced.full_name,
            "learning": pair.learning.full_name,
        },
        start=checkin.proposed_at,
        end=checkin.ends_at,
        sequence=checkin.sequence,
        description=paragraphs(
            gettext(
                "Quarterly check-in %(round)s of your partnership (due by %(due)s): progress on "
                "goals, challenges, next steps."
            )
            % {"round": checkin.round, "due": f"{checkin.due_date:%d %b %Y}"},
            gettext("Details and log: %(url)s") % {"url": page} if page else "",
        ),
        url=page,
        categories=[gettext("Check-in")],
    )


# --- The sources --------------------------------------------------------------------------------


def _meetings(user) -> list[Event]:
    return [meeting_event(m) for m in services.meetings_for(user)]


def _meeting(user, pk: int) -> Download | None:
    """One meeting, for anyone who may see it."""
    meeting = Meeting.objects.select_related("cohort").filter(pk=pk).first()
    if meeting is None or not services.can_see_meeting(user, meeting):
        return None
    return Download(
        meeting_event(meeting), meeting.title, f"{slugify(meeting.title) or 'meeting'}.ics"
    )


def _confirmed(checkins):
    return checkins.filter(confirmed=True, proposed_at__isnull=False)


def _checkins(user) -> list[Event]:
    return [checkin_event(c) for c in _confirmed(services.checkins_for(user))]


def _checkin(user, pk: int) -> Download | None:
    """A confirmed check-in, for its two partners (published pair) and coordinators."""
    checkin = (
        _confirmed(CheckIn.objects)
        .select_related("partnership__cohort", "partnership__experienced", "partnership__learning")
        .filter(pk=pk)
        .first()
    )
    if checkin is None or not user.has_perm("meetings.view_checkin", checkin):
        return None
    name = gettext("Check-in %(round)s") % {"round": checkin.round}
    return Download(checkin_event(checkin), name, f"check-in-{checkin.round}-{checkin.pk}.ics")


def register_calendar_events() -> None:
    register(EventSource("meeting", _meetings, _meeting))
    register(EventSource("checkin", _checkins, _checkin))
