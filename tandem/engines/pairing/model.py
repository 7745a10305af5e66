"""Input model: participants, settings and fixed pairs, parsed and validated from JSON data.

The input is a JSON object (see ``docs/pairing-engine.md``)::

    {"experienced": [...], "learning": [...],
     "forbidden": [[e, l], ...], "pinned": [[e, l], ...], "keep": [[e, l], ...],
     "settings": {"period": [start, end], "min_overlap_hours": h, "weights": {...}}}

Every problem is reported as a :class:`PairingInputError` that names the participant (by id,
and by position when the id itself is missing) and the field.  Unknown extra keys are allowed
and ignored.  Participants are sorted by id internally, so the result does not depend on the
order of the input lists.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from tandem.engines.common.input import EngineInputError, is_int, known_zone
from tandem.engines.timewindows import Schedule, WeeklyWindow, iso_weeks

Role = Literal["experienced", "learning"]

DEFAULT_WEIGHTS: dict[str, float] = {
    "expertise": 0.35,
    "goals": 0.20,
    "language": 0.10,
    "overlap": 0.20,
    "gap": 0.15,
}
"""Default score weights (they are normalised to sum to 1 after applying overrides)."""

DEFAULT_MIN_OVERLAP_HOURS = 1.0
DEFAULT_OVERLAP_FULL_HOURS = 6.0
MAX_PERIOD_DAYS = 3 * 366


class PairingInputError(EngineInputError):
    """Missing or malformed input, e.g. ``experienced participant 'e1' (experienced[0]):
    field 'timezone': unknown IANA time zone 'Mars/Olympus'``."""

    def subject(self) -> str:
        if self.participant is not None:
            role = self.location.split("[")[0] if self.location else "participant"
            return f"{role} " + super().subject()
        return super().subject()


@dataclass(frozen=True, slots=True)
class Participant:
    """One consortium lead.  ``capacity`` is 1 for learning leads."""

    id: str
    role: Role
    organization: str
    timezone: str
    languages: Mapping[str, int]
    expertise: Mapping[str, int]
    goals: tuple[str, ...]
    availability: Schedule
    gap: bool
    capacity: int = 1
    needs: tuple[str, ...] = ()
    challenges: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Cohort-wide settings; ``weights`` are normalised (sum 1)."""

    period: tuple[date, date]
    weeks: tuple[date, ...]
    min_overlap_hours: float = DEFAULT_MIN_OVERLAP_HOURS
    overlap_full_hours: float = DEFAULT_OVERLAP_FULL_HOURS
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))


@dataclass(frozen=True)
class Problem:
    """A validated instance.  Pairs are stored as (experienced index, learning index)."""

    experienced: tuple[Participant, ...]
    learning: tuple[Participant, ...]
    settings: Settings
    forbidden: frozenset[tuple[int, int]] = frozenset()
    pinned: tuple[tuple[int, int], ...] = ()
    keep: tuple[tuple[int, int], ...] = ()

    @property
    def fixed(self) -> dict[tuple[int, int], str]:
        """Pairs that must appear in every solution -> ``"pinned"`` or ``"kept"``."""
        out = {pair: "kept" for pair in self.keep}
        out.update({pair: "pinned" for pair in self.pinned})
        return dict(sorted(out.items()))

    @property
    def experienced_index(self) -> dict[str, int]:
        return {p.id: k for k, p in enumerate(self.experienced)}

    @property
    def learning_index(self) -> dict[str, int]:
        return {p.id: k for k, p in enumerate(self.learning)}


# ----------------------------------------------------------------------------- parsing


class _Where:
    """Error context for one participant."""

    def __init__(self, role: Role, index: int, pid: str | None = None) -> None:
        self.role, self.index, self.pid = role, index, pid

    def error(self, field: str, message: str) -> PairingInputError:
        return PairingInputError(
            message, field=field, participant=self.pid, location=f"{self.role}[{self.index}]"
        )


def _is_number(value: Any) -> bool:
    return (is_int(value) or isinstance(value, float)) and math.isfinite(value)


def _require(raw: Mapping[str, Any], key: str, where: _Where) -> Any:
    if key not in raw or raw[key] is None:
        raise where.error(key, "missing")
    return raw[key]


def _text(value: Any, key: str, where: _Where) -> str:
    if not isinstance(value, str) or not value.strip():
        raise where.error(key, f"expected a non-empty string, got {value!r}")
    return value.strip()


def _text_list(value: Any, key: str, where: _Where) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise where.error(key, f"expected a list of strings, got {value!r}")
    out = []
    for k, item in enumerate(value):
        if not isinstance(item, str):
            raise where.error(f"{key}[{k}]", f"expected a string, got {item!r}")
        if item.strip():
            out.append(item.strip())
    return tuple(out)


def _levels(value: Any, key: str, where: _Where, lo: int, hi: int) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise where.error(key, f"expected an object mapping names to levels {lo}..{hi}")
    out: dict[str, int] = {}
    for name, level in value.items():
        if not isinstance(name, str) or not name.strip():
            raise where.error(key, f"empty name {name!r}")
        if not is_int(level) or not lo <= level <= hi:
            raise where.error(f"{key}.{name}", f"expected an integer {lo}..{hi}, got {level!r}")
        norm = name.strip().lower()
        out[norm] = max(level, out.get(norm, lo))
    return out


def _zone(value: Any, where: _Where) -> str:
    name = _text(value, "timezone", where)
    if not known_zone(name):
        raise where.error("timezone", f"unknown IANA time zone {name!r}")
    return name


def _availability(value: Any, tz: str, where: _Where) -> Schedule:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise where.error("availability", "expected a list of [weekday, 'HH:MM', 'HH:MM']")
    windows = []
    for k, spec in enumerate(value):
        try:
            windows.append(WeeklyWindow.parse(spec))
        except ValueError as exc:
            raise where.error(f"availability[{k}]", str(exc)) from None
    return Schedule(tz, tuple(sorted(windows)))


def _participant(raw: Any, role: Role, index: int) -> Participant:
    where = _Where(role, index)
    if not isinstance(raw, Mapping):
        raise where.error("(entry)", f"expected an object, got {type(raw).__name__}")
    where.pid = _text(_require(raw, "id", where), "id", where)
    organization = _text(_require(raw, "organization", where), "organization", where)
    tz = _zone(_require(raw, "timezone", where), where)
    languages = _levels(_require(raw, "languages", where), "languages", where, 1, 3)
    expertise = _levels(_require(raw, "expertise", where), "expertise", where, 0, 3)
    goals = _text_list(_require(raw, "goals", where), "goals", where)
    availability = _availability(_require(raw, "availability", where), tz, where)
    gap = _require(raw, "gap", where)
    if not isinstance(gap, bool):
        raise where.error("gap", f"expected true or false, got {gap!r}")
    capacity, needs, challenges = 1, (), ()
    if role == "experienced":
        capacity = _require(raw, "capacity", where)
        if not is_int(capacity) or capacity < 0:
            raise where.error("capacity", f"expected an integer >= 0, got {capacity!r}")
    else:
        needs = tuple(
            dict.fromkeys(
                n.lower() for n in _text_list(_require(raw, "needs", where), "needs", where)
            )
        )
        challenges = _text_list(_require(raw, "challenges", where), "challenges", where)
    return Participant(
        id=where.pid,
        role=role,
        organization=organization,
        timezone=tz,
        languages=languages,
        expertise=expertise,
        goals=goals,
        availability=availability,
        gap=gap,
        capacity=capacity,
        needs=needs,
        challenges=challenges,
    )


def _settings_error(field: str, message: str) -> PairingInputError:
    return PairingInputError(message, field=f"settings.{field}" if field else "settings")


def _date(value: Any, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _settings_error(field, f"expected an ISO date 'YYYY-MM-DD', got {value!r}") from None


def _settings(raw: Any) -> Settings:
    if not isinstance(raw, Mapping):
        raise PairingInputError("missing or not an object", field="settings")
    period = raw.get("period")
    if isinstance(period, str) or not isinstance(period, Sequence) or len(period) != 2:
        raise _settings_error("period", f"expected [start, end] ISO dates, got {period!r}")
    start, end = _date(period[0], "period[0]"), _date(period[1], "period[1]")
    if end < start:
        raise _settings_error("period", f"end {end} is before start {start}")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise _settings_error("period", f"longer than {MAX_PERIOD_DAYS} days")

    min_overlap = raw.get("min_overlap_hours", DEFAULT_MIN_OVERLAP_HOURS)
    if not _is_number(min_overlap) or not 0 <= min_overlap <= 168:
        raise _settings_error("min_overlap_hours", f"expected hours 0..168, got {min_overlap!r}")
    full = raw.get("overlap_full_hours", DEFAULT_OVERLAP_FULL_HOURS)
    if not _is_number(full) or not 0 < full <= 168:
        raise _settings_error("overlap_full_hours", f"expected hours in (0, 168], got {full!r}")

    weights = dict(DEFAULT_WEIGHTS)
    overrides = raw.get("weights", {})
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, Mapping):
        raise _settings_error("weights", "expected an object")
    for key, value in overrides.items():
        if key not in DEFAULT_WEIGHTS:
            raise _settings_error(
                f"weights.{key}", f"unknown weight (known: {', '.join(DEFAULT_WEIGHTS)})"
            )
        if not _is_number(value) or value < 0:
            raise _settings_error(f"weights.{key}", f"expected a number >= 0, got {value!r}")
        weights[key] = float(value)
    total = sum(weights.values())
    if total <= 0:
        raise _settings_error("weights", "all weights are zero")
    return Settings(
        period=(start, end),
        weeks=tuple(iso_weeks(start, end)),
        min_overlap_hours=float(min_overlap),
        overlap_full_hours=float(full),
        weights={k: v / total for k, v in weights.items()},
    )


def _people(data: Mapping[str, Any], role: Role) -> list[Participant]:
    raw = data.get(role)
    if raw is None:
        raise PairingInputError("missing", field=role)
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        raise PairingInputError("expected a list of participants", field=role)
    return [_participant(item, role, k) for k, item in enumerate(raw)]


def _pairs(
    data: Mapping[str, Any], key: str, e_index: dict[str, int], l_index: dict[str, int]
) -> list[tuple[int, int]]:
    raw = data.get(key) or []
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        raise PairingInputError("expected a list of [experienced id, learning id]", field=key)
    out = []
    for k, item in enumerate(raw):
        loc = f"{key}[{k}]"
        if isinstance(item, Mapping):
            item = (item.get("experienced"), item.get("learning"))
        if isinstance(item, str) or not isinstance(item, Sequence) or len(item) != 2:
            raise PairingInputError(
                f"expected [experienced id, learning id], got {item!r}", field=loc
            )
        e_id, l_id = item
        if e_id not in e_index:
            raise PairingInputError(f"unknown experienced id {e_id!r}", field=loc)
        if l_id not in l_index:
            raise PairingInputError(f"unknown learning id {l_id!r}", field=loc)
        out.append((e_index[e_id], l_index[l_id]))
    return out


def parse_problem(data: Any) -> Problem:
    """Validate a decoded JSON document and build a :class:`Problem`.

    Raises :class:`PairingInputError` on the first problem found.
    """
    if not isinstance(data, Mapping):
        raise PairingInputError("the input must be a JSON object", field="(root)")
    settings = _settings(data.get("settings"))
    experienced = sorted(_people(data, "experienced"), key=lambda p: p.id)
    learning = sorted(_people(data, "learning"), key=lambda p: p.id)
    seen: dict[str, str] = {}
    for p in (*experienced, *learning):
        if p.id in seen:
            raise PairingInputError(
                f"duplicate id (also used by a {seen[p.id]} participant)",
                field="id",
                participant=p.id,
                location=p.role,
            )
        seen[p.id] = p.role
    e_index = {p.id: k for k, p in enumerate(experienced)}
    l_index = {p.id: k for k, p in enumerate(learning)}
    forbidden = frozenset(_pairs(data, "forbidden", e_index, l_index))
    pinned = list(dict.fromkeys(_pairs(data, "pinned", e_index, l_index)))
    keep = list(dict.fromkeys(_pairs(data, "keep", e_index, l_index)))

    partner: dict[int, tuple[int, str]] = {}
    load: dict[int, int] = {}
    fixed = {pair: "keep" for pair in keep} | {pair: "pinned" for pair in pinned}
    for (i, j), key in fixed.items():
        if (i, j) in forbidden:
            raise PairingInputError(
                f"pair ({experienced[i].id}, {learning[j].id}) is also forbidden", field=key
            )
        if j in partner:
            other, other_key = partner[j]
            raise PairingInputError(
                f"fixed to two experienced leads ({experienced[other].id} in '{other_key}', "
                f"{experienced[i].id} in '{key}')",
                field=key,
                participant=learning[j].id,
                location="learning",
            )
        partner[j] = (i, key)
        load[i] = load.get(i, 0) + 1
    for i, count in load.items():
        if count > experienced[i].capacity:
            raise PairingInputError(
                f"{count} pinned/kept pairs exceed the capacity {experienced[i].capacity}",
                field="capacity",
                participant=experienced[i].id,
                location="experienced",
            )
    return Problem(
        experienced=tuple(experienced),
        learning=tuple(learning),
        settings=settings,
        forbidden=forbidden,
        pinned=tuple(sorted(pinned)),
        keep=tuple(sorted(p for p in keep if p not in set(pinned))),
    )
