"""Exact wall-clock <-> UTC conversion through IANA zones.

A wall-clock time in a zone is *nonexistent* when clocks jump over it (spring forward) and
*ambiguous* when it happens twice (fall back).  Program deadlines must be unambiguous, so both
raise instead of silently picking an instant.
"""

from __future__ import annotations

import datetime as dt
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils.translation import gettext_lazy as _

UTC = dt.UTC

#: The regions of the zone picker, in its order (``UTC`` last), with their translated names.
REGIONS = {
    "Africa": _("Africa"),
    "America": _("America"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific"),
}


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


def _tzdata_file(name: str) -> str:
    """The text of tzdata's ``name`` (``zone.tab``, ``tzdata.zi``) from the zoneinfo directory
    ``zoneinfo`` itself reads first (the system's), else from the ``tzdata`` package; ``""``
    when neither has it."""
    for directory in TZPATH:
        path = Path(directory) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


@lru_cache(maxsize=1)
def canonical_timezones() -> tuple[str, ...]:
    """The zones a person chooses from: one name per place, as tzdata's ``zone.tab`` lists them
    (no ``backward`` aliases such as Asia/Calcutta or Africa/Asmera), sorted, then ``UTC``."""
    names = {
        line.split("\t")[2]
        for line in _tzdata_file("zone.tab").splitlines()
        if line and not line.startswith("#") and line.count("\t") >= 2
    }
    names = {name for name in names if name.split("/")[0] in REGIONS and is_valid_timezone(name)}
    if not names:  # no zone.tab on this machine: the old, alias-tolerant list
        names = set(all_timezones()) - {"UTC"}
    return (*sorted(names), "UTC")


@lru_cache(maxsize=1)
def _links() -> dict[str, str]:
    """Alias → target of tzdata's links (``L Asia/Kolkata Asia/Calcutta`` in ``tzdata.zi``)."""
    links = {}
    for line in _tzdata_file("tzdata.zi").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            links[parts[2]] = parts[1]
    return links


def _same_clock(a: str, b: str) -> bool:
    """Whether zones ``a`` and ``b`` show the same time now and over the next two years."""
    year = dt.datetime.now(UTC).year
    instants = [dt.datetime(y, m, 15, tzinfo=UTC) for y in (year, year + 1) for m in (1, 7)]
    return all(zone(a).utcoffset(i) == zone(b).utcoffset(i) for i in instants)


def _respelled(name: str, target: str, canonical: frozenset[str]) -> str | None:
    """The canonical zone that is ``name`` spelled anew (Africa/Asmera → Africa/Asmara), not
    just a place with the same clock (the link target, Africa/Nairobi): the same region, a city
    spelled nearly alike (at least 75 % of its letters in common), and the clock of ``target``."""
    region, _slash, city = name.lower().partition("/")
    best, best_ratio = None, 0.75
    for candidate in sorted(canonical):
        other_region, _slash, other = candidate.lower().partition("/")
        if other_region != region:
            continue
        ratio = SequenceMatcher(None, city, other).ratio()
        if ratio >= best_ratio and _same_clock(candidate, target):
            best, best_ratio = candidate, ratio
    return best


@lru_cache(maxsize=1024)
def canonical_zone(name: str) -> str:
    """The zone of the picker that ``name`` stands for: Asia/Calcutta → Asia/Kolkata,
    Africa/Asmera → Africa/Asmara, Etc/UTC → UTC. ``name`` itself when it is canonical, unknown,
    or a valid zone without a canonical equivalent (a stored zone is never lost)."""
    canonical = frozenset(canonical_timezones())
    if not name or name in canonical or not is_valid_timezone(name):
        return name
    links, target, seen = _links(), name, set()
    while target in links and target not in seen:
        seen.add(target)
        target = links[target]
    if target in ("Etc/UTC", "Etc/GMT", "UTC"):
        return "UTC"
    if not is_valid_timezone(target):
        target = name
    respelled = _respelled(name, target, canonical)
    if respelled:
        return respelled
    return target if target in canonical else name


def timezone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The canonical zones grouped by region, each shown as its city and its UTC offset now:
    ``("Asia", [..., ("Asia/Kathmandu", "Kathmandu (UTC+05:45)"), ...])``. Computed once an
    hour (offsets change at most at daylight-saving transitions, which fall on the hour)."""
    return _choices_at(dt.datetime.now(UTC).replace(minute=0, second=0, microsecond=0))


@lru_cache(maxsize=4)
def _choices_at(instant: dt.datetime) -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in REGIONS}
    for name in canonical_timezones():
        region, _slash, city = name.partition("/")
        if region in groups:
            place = city.replace("_", " ").replace("/", " / ")
            groups[region].append((name, f"{place} ({utc_offset_label(instant, name)})"))
    choices = [(REGIONS[region], options) for region, options in groups.items() if options]
    return [*choices, (_("UTC"), [("UTC", _("UTC (Coordinated Universal Time)"))])]


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
