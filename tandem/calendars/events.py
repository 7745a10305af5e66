"""Event providers: each app registers what it puts into people's calendars.

An app calls :func:`register` in its ``AppConfig.ready()`` with an :class:`EventSource`:

* ``events(user)`` returns the person's events (icalendar ``Event``, built with
  :func:`tandem.calendars.ics.event`) for their private feed; the feed collects the events of
  every source;
* ``download(user, pk)``, optional, returns one object's :class:`Download` if ``user`` may see
  it, else ``None`` (a 404). It is served at ``/calendar/<name>/<pk>.ics``, URL name
  ``calendar:<name>_ics``.

So a new app (workshops, surveys …) adds calendar entries without editing this app or any
other."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from icalendar import Event

_NAME = re.compile(r"[a-z][a-z0-9-]*\Z")
RESERVED = {"feed"}  # the feed's own paths: /calendar/feed/…


@dataclass(frozen=True)
class Download:
    """One object's event as a file: the calendar's name and the file's name."""

    event: Event
    name: str
    filename: str


@dataclass(frozen=True)
class EventSource:
    name: str  # "meeting": /calendar/meeting/<pk>.ics, named calendar:meeting_ics
    events: Callable[[Any], Iterable[Event]]
    download: Callable[[Any, int], Download | None] | None = None


_sources: dict[str, EventSource] = {}


def register(source: EventSource) -> EventSource:
    """Add (or replace, by name) a source of calendar events."""
    if not _NAME.match(source.name) or source.name in RESERVED:
        raise ValueError(
            f"An event source's name is a lower-case slug, not 'feed': {source.name!r}"
        )
    _sources[source.name] = source
    return source


def sources() -> list[EventSource]:
    """Every registered source, in registration order."""
    return list(_sources.values())


def source(name: str) -> EventSource | None:
    return _sources.get(name)


def events_for(user) -> list[Event]:
    """The person's events from every source (their feed)."""
    return [event for source in _sources.values() for event in source.events(user)]
