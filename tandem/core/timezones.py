"""Exact wall-clock <-> UTC conversion through IANA zones.

A wall-clock time in a zone is *nonexistent* when clocks jump over it (spring forward) and
*ambiguous* when it happens twice (fall back).  Program deadlines must be unambiguous, so both
raise instead of silently picking an instant.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

UTC = dt.UTC


class WallClockError(ValueError):
    """A local time that does not name exactly one instant in its zone."""


class NonexistentTimeError(WallClockError):
    pass


class AmbiguousTimeError(WallClockError):
    pass


@lru_cache(maxsize=1)
def all_timezones() -> tuple[str, ...]:
    """Canonical-looking IANA names (``Area/Location`` plus ``UTC``), sorted."""
    names = {
        name
        for name in available_timezones()
        if "/" in name
        and not name.startswith(
            ("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/")
        )
        and name.split("/")[0] not in {"posix", "right"}
    }
    return tuple(sorted(names | {"UTC"}))


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    """The IANA names once per process: ``available_timezones()`` walks the zoneinfo
    directories on every call (milliseconds per request otherwise)."""
    return frozenset(available_timezones())


@lru_cache(maxsize=1024)
def is_valid_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA zone this machine can load (memoised: the answer is asked
    for every person on a list, and loading a zone reads its file)."""
    if not name or name not in _known_zones():
        return False
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` of ``name``, kept for the process: ``ZoneInfo`` itself keeps only a
    few zones strongly, and reloads the file of any other one it is asked for again."""
    return ZoneInfo(name)


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in all_timezones()]


def to_utc(local: dt.datetime, tzname: str) -> dt.datetime:
    """The one UTC instant at which clocks in ``tzname`` show ``local`` (a naive datetime).

    Raises :class:`NonexistentTimeError` inside a spring-forward gap and
    :class:`AmbiguousTimeError` inside a fall-back overlap.
    """
    if local.tzinfo is not None:
        raise ValueError("to_utc expects a naive wall-clock datetime")
    zone = ZoneInfo(tzname)
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        # Either a gap (the wall time does not round-trip) or an overlap (it happens twice).
        round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        label = local.strftime("%Y-%m-%d %H:%M")
        if round_trip != local:
            raise NonexistentTimeError(
                f"{label} does not exist in {tzname}: clocks skip it for daylight saving time."
            )
        raise AmbiguousTimeError(
            f"{label} happens twice in {tzname} (clocks go back); choose another time."
        )
    return first.astimezone(UTC)


def to_local(instant: dt.datetime, tzname: str) -> dt.datetime:
    """``instant`` (aware) as an aware datetime in ``tzname``."""
    return instant.astimezone(zone(tzname))


def utc_offset_label(instant: dt.datetime, tzname: str) -> str:
    """E.g. ``UTC−07:00`` for a Los Angeles summer instant, ``UTC+05:45`` for Kathmandu."""
    offset = to_local(instant, tzname).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def zone_name(tzname: str | None) -> str:
    """``tzname`` if it is a valid IANA zone, else ``"UTC"``."""
    return tzname if tzname and is_valid_timezone(tzname) else "UTC"


def person_zone(user) -> str:
    """A person's one zone: the zone of their profile (``UTC`` when unset or invalid).

    Every page, e-mail and calendar file shows a person's times and dates in this zone; the zone
    given in an application only anchors that application's weekly availability windows."""
    return zone_name(getattr(user, "timezone", "") if user is not None else "")


def local_date(instant: dt.datetime, tzname: str) -> dt.date:
    """The calendar date that clocks in ``tzname`` show at ``instant``."""
    return to_local(instant, zone_name(tzname)).date()


def range_text(start: dt.datetime, end: dt.datetime, tzname: str, named: bool = False) -> str:
    """``Mon 09:00–11:00`` of two instants in ``tzname``; with ``named=True`` the zone follows:
    ``Mon 09:00–11:00 Asia/Amman (UTC+03:00)``."""
    tzname = zone_name(tzname)
    a, b = to_local(start, tzname), to_local(end, tzname)
    text = f"{a:%a %H:%M}–{b:%H:%M}" if a.date() == b.date() else f"{a:%a %H:%M}–{b:%a %H:%M}"
    if named:
        text += f" {tzname.replace('_', ' ')} ({utc_offset_label(start, tzname)})"
    return text
