"""The workshops app's calendar entries: each session a person holds a seat in, in their feed
and as a single download (registered with tandem.calendars in ``apps.py``)."""

from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext
from icalendar import Event

from tandem.calendars.events import Download, EventSource, register
from tandem.calendars.ics import online_event, page_url

from . import services
from .models import Session


def session_uid(session: Session) -> str:
    return f"workshop-session-{session.pk}@tandem"


def session_event(session: Session) -> Event:
    """A VEVENT of a workshop session (times in UTC; the calendar localises them)."""
    workshop = session.workshop
    page = page_url("workshops:detail", workshop.cohort.slug, workshop.pk)
    summary = workshop.title if not session.label else f"{workshop.title} ({session.label})"
    return online_event(
        uid=session_uid(session),
        summary=summary,
        start=session.starts_at,
        end=session.ends_at,
        sequence=session.sequence,
        notes=workshop.description,
        video_url=workshop.video_url,
        page=page,
        category=gettext("Training workshop"),
    )


def _sessions(user) -> list[Event]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [session_event(r.session) for r in services.seated(user)]


def _session(user, pk: int) -> Download | None:
    """A session the person holds a seat in (registered), else a 404."""
    if not getattr(user, "is_authenticated", False):
        return None
    registration = services.seated(user).filter(session_id=pk).first()
    if registration is None:
        return None
    session = registration.session
    name = session_event(session)["SUMMARY"]
    return Download(
        session_event(session),
        str(name),
        f"{slugify(session.workshop.title) or 'workshop'}-{session.pk}.ics",
    )


def register_calendar_events() -> None:
    register(EventSource("workshop", _sessions, _session))
