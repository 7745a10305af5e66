"""Input model: participants and settings, parsed and validated from a decoded JSON document.

The input (see ``docs/scheduling-engine.md``)::

    {"participants": [{"id": "a", "timezone": "Europe/Berlin",
                       "availability": [["mon", "09:00", "12:00"], ...],
                       "region": "Europe"}, ...],
     "settings": {"from": "2024-03-18", "to": "2024-03-31", "duration_minutes": 60,
                  "sessions": 1, "top": 10, "step_minutes": 15,
                  "meetings": 3, "coverage_tolerance": 0.5}}

``id``, ``timezone`` and ``availability`` mean exactly what they mean in the pairing engine's
input (:mod:`tandem.engines.pairing.model`): availability is a list of
``[weekday, "HH:MM", "HH:MM"]`` windows of local wall-clock time in the participant's IANA
zone, parsed by :meth:`tandem.engines.timewindows.WeeklyWindow.parse`.  A missing, ``null``
or empty availability means the *fallback* ``07:00-21:00`` every day.  ``region`` is optional
(default: the first component of the zone name, ``"Europe"`` for ``Europe/Berlin``); it only
groups the output.

Instead of ``participants`` a pairing document may be passed as it is: the ``experienced`` and
``learning`` lists are then read as one list of participants (other keys are ignored).

Every problem is a :class:`SchedulingInputError` (a ``ValueError``) that names the participant
(by id, and by position) and the field.  Participants are sorted by id, so results do not
depend on input order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tandem.engines.common.input import EngineInputError, is_int, known_zone
from tandem.engines.timewindows import Schedule, WeeklyWindow

FALLBACK_WINDOW = (7 * 60, 21 * 60)
"""Local minutes ``[07:00, 21:00)``: availability assumed when none is stated."""
SOCIABLE_WINDOW = (8 * 60, 20 * 60)
"""Local minutes ``[08:00, 20:00)``: a meeting entirely inside it is at a sociable hour."""

DEFAULT_COVERAGE_TOLERANCE = 0.5
"""Rotation pool: each meeting of a series reaches at least half of its range's best
attendance, so the time can move between regions (0 keeps only the best-attended slots)."""
DEFAULT_TOP = 10
DEFAULT_STEP_MINUTES = 15
MAX_RANGE_DAYS = 92
MAX_TOP = 1000
MAX_MEETINGS = 60


class SchedulingInputError(EngineInputError):
    """Missing or malformed input, e.g. ``participant 'b' (participants[1]): field
    'timezone': unknown IANA time zone 'Mars/Olympus'``."""


@dataclass(frozen=True, slots=True)
class Participant:
    """One person to schedule.  ``fallback``: no availability stated, 07:00-21:00 assumed."""

    id: str
    timezone: str
    region: str
    schedule: Schedule
    fallback: bool = False


@dataclass(frozen=True)
class Settings:
    """Validated settings.  ``first``/``last`` are inclusive UTC dates of candidate starts.

    ``meetings`` (rotation only) holds one inclusive date range per meeting of the series.
    """

    first: date
    last: date
    duration_minutes: int
    sessions: int = 1
    top: int = DEFAULT_TOP
    step_minutes: int = DEFAULT_STEP_MINUTES
    meetings: tuple[tuple[date, date], ...] = ()
    coverage_tolerance: float = DEFAULT_COVERAGE_TOLERANCE


@dataclass(frozen=True)
class Problem:
    participants: tuple[Participant, ...]
    settings: Settings

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.participants]


def fallback_schedule(timezone: str) -> Schedule:
    """``07:00-21:00`` local, every day."""
    return Schedule(timezone, tuple(WeeklyWindow(d, *FALLBACK_WINDOW) for d in range(7)))


def sociable_schedule(timezone: str) -> Schedule:
    """``08:00-20:00`` local, every day."""
    return Schedule(timezone, tuple(WeeklyWindow(d, *SOCIABLE_WINDOW) for d in range(7)))


def default_region(timezone: str) -> str:
    """``"Europe/Berlin"`` -> ``"Europe"``; a zone without ``/`` (``"UTC"``) is its own region."""
    return timezone.split("/", 1)[0]


# ----------------------------------------------------------------------------- parsing


class _Where:
    def __init__(self, location: str, pid: str | None = None) -> None:
        self.location, self.pid = location, pid

    def error(self, field: str, message: str) -> SchedulingInputError:
        return SchedulingInputError(
            message, field=field, participant=self.pid, location=self.location
        )


def _text(raw: Mapping[str, Any], key: str, where: _Where) -> str:
    if key not in raw or raw[key] is None:
        raise where.error(key, "missing")
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise where.error(key, f"expected a non-empty string, got {value!r}")
    return value.strip()


def _participant(raw: Any, location: str) -> Participant:
    where = _Where(location)
    if not isinstance(raw, Mapping):
        raise where.error("(entry)", f"expected an object, got {type(raw).__name__}")
    where.pid = _text(raw, "id", where)
    tz = _text(raw, "timezone", where)
    if not known_zone(tz):
        raise where.error("timezone", f"unknown IANA time zone {tz!r}")
    region = default_region(tz)
    if raw.get("region") is not None:
        region = _text(raw, "region", where)
    value = raw.get("availability")
    if value is None or (isinstance(value, Sequence) and not isinstance(value, str) and not value):
        return Participant(where.pid, tz, region, fallback_schedule(tz), fallback=True)
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise where.error("availability", "expected a list of [weekday, 'HH:MM', 'HH:MM']")
    windows = []
    for k, spec in enumerate(value):
        try:
            windows.append(WeeklyWindow.parse(spec))
        except ValueError as exc:
            raise where.error(f"availability[{k}]", str(exc)) from None
    return Participant(where.pid, tz, region, Schedule(tz, tuple(sorted(windows))))


def _participants(data: Mapping[str, Any]) -> list[Participant]:
    if "participants" in data or not ("experienced" in data or "learning" in data):
        lists = [("participants", data.get("participants"))]
    else:
        lists = [(k, data.get(k)) for k in ("experienced", "learning") if k in data]
    people: list[Participant] = []
    for key, raw in lists:
        if raw is None:
            raise SchedulingInputError("missing", field=key)
        if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
            raise SchedulingInputError("expected a list of participants", field=key)
        people.extend(_participant(item, f"{key}[{k}]") for k, item in enumerate(raw))
    if not people:
        raise SchedulingInputError("no participants", field=lists[0][0])
    seen: dict[str, str] = {}
    for p, loc in zip(
        people, (f"{k}[{i}]" for k, raw in lists for i in range(len(raw))), strict=True
    ):
        if p.id in seen:
            raise SchedulingInputError(
                f"duplicate id (also used by {seen[p.id]})",
                field="id",
                participant=p.id,
                location=loc,
            )
        seen[p.id] = loc
    return sorted(people, key=lambda p: p.id)


def _settings_error(field: str, message: str) -> SchedulingInputError:
    return SchedulingInputError(message, field=f"settings.{field}")


def _date(raw: Mapping[str, Any], key: str, label: str | None = None) -> date:
    label = label or key
    if raw.get(key) is None:
        raise _settings_error(label, "missing")
    value = raw[key]
    try:
        if not isinstance(value, str):
            raise TypeError
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _settings_error(label, f"expected an ISO date 'YYYY-MM-DD', got {value!r}") from None


def _range(raw: Mapping[str, Any], prefix: str = "") -> tuple[date, date]:
    first = _date(raw, "from", prefix + "from")
    last = _date(raw, "to", prefix + "to")
    if last < first:
        raise _settings_error(prefix + "to", f"{last} is before 'from' {first}")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise _settings_error(prefix + "to", f"the range is longer than {MAX_RANGE_DAYS} days")
    return first, last


def _int(raw: Mapping[str, Any], key: str, default: int | None, lo: int, hi: int) -> int:
    value = raw.get(key, default)
    if value is None:
        raise _settings_error(key, "missing")
    if not is_int(value) or not lo <= value <= hi:
        raise _settings_error(key, f"expected an integer {lo}..{hi}, got {value!r}")
    return value


def _meetings(raw: Mapping[str, Any], default: tuple[date, date] | None) -> tuple:
    value = raw.get("meetings")
    if value is None:
        raise _settings_error("meetings", "missing (the number of meetings, or a list of ranges)")
    if is_int(value):
        if not 1 <= value <= MAX_MEETINGS:
            raise _settings_error("meetings", f"expected an integer 1..{MAX_MEETINGS}, got {value}")
        if default is None:
            raise _settings_error("from", "missing")
        return (default,) * value
    if isinstance(value, str | bytes) or not isinstance(value, Sequence) or not value:
        raise _settings_error("meetings", f"expected an integer or a list, got {value!r}")
    if len(value) > MAX_MEETINGS:
        raise _settings_error("meetings", f"more than {MAX_MEETINGS} meetings")
    out = []
    for k, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise _settings_error(f"meetings[{k}]", "expected an object {'from': .., 'to': ..}")
        out.append(_range(item, f"meetings[{k}]."))
    return tuple(out)


def parse_problem(data: Any, *, rotation: bool = False) -> Problem:
    """Validate a decoded JSON document and build a :class:`Problem`.

    With ``rotation=True`` ``settings.meetings`` is required: an integer ``N`` (every meeting
    chooses from ``from``..``to``) or a list of ``{"from", "to"}`` ranges, one per meeting (then
    ``from``/``to`` may be omitted).  Raises :class:`SchedulingInputError` on the first problem.
    """
    if not isinstance(data, Mapping):
        raise SchedulingInputError("the input must be a JSON object", field="(root)")
    raw = data.get("settings")
    if not isinstance(raw, Mapping):
        raise SchedulingInputError("missing or not an object", field="settings")
    ranged = rotation and isinstance(raw.get("meetings"), list)
    span = None if ranged and "from" not in raw and "to" not in raw else _range(raw)
    duration = _int(raw, "duration_minutes", None, 1, 1440)
    sessions = _int(raw, "sessions", 1, 1, 2)
    top = _int(raw, "top", DEFAULT_TOP, 1, MAX_TOP)
    step = _int(raw, "step_minutes", DEFAULT_STEP_MINUTES, 1, 1440)
    if 1440 % step:
        raise _settings_error("step_minutes", f"must divide a day (1440 minutes), got {step}")
    meetings: tuple = ()
    tolerance = DEFAULT_COVERAGE_TOLERANCE
    if rotation:
        meetings = _meetings(raw, span)
        tol = raw.get("coverage_tolerance", DEFAULT_COVERAGE_TOLERANCE)
        number = is_int(tol) or isinstance(tol, float)
        if not number or not (math.isfinite(tol) and 0 <= tol < 1):
            raise _settings_error("coverage_tolerance", f"expected a number in [0, 1), got {tol!r}")
        tolerance = float(tol)
    if span is None:
        span = (min(m[0] for m in meetings), max(m[1] for m in meetings))
    participants = _participants(data)
    return Problem(
        participants=tuple(participants),
        settings=Settings(
            first=span[0],
            last=span[1],
            duration_minutes=duration,
            sessions=sessions,
            top=top,
            step_minutes=step,
            meetings=meetings,
            coverage_tolerance=tolerance,
        ),
    )
