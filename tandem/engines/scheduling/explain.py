"""Explain: turn chosen candidates into JSON-ready dicts (who attends, local times, regions).

Times are ISO 8601: UTC as ``2024-03-18T14:00:00Z``, local times with their offset as
``2024-03-18T10:00:00-04:00`` (the offset in force at that instant, DST included).  People
are listed by id; regions by name.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from tandem.engines.scheduling.grid import Grid, utc_iso
from tandem.engines.scheduling.model import Problem


@lru_cache(maxsize=65536)
def local_iso(timezone: str, t: int) -> str:
    """Local wall-clock time of UTC epoch second ``t`` in ``timezone``, with its offset."""
    return datetime.fromtimestamp(t, ZoneInfo(timezone)).isoformat()


@lru_cache(maxsize=65536)
def utc_offset_seconds(timezone: str, t: int) -> int:
    """UTC offset of ``timezone`` at UTC epoch second ``t``, in seconds."""
    offset = datetime.fromtimestamp(t, ZoneInfo(timezone)).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def zone_starts(zones: dict[str, dict[str, int]], t0: int) -> list[dict[str, Any]]:
    """One entry per zone: its local start at ``t0`` (with offset) and its head counts, ordered
    by UTC offset (west to east), then zone name."""
    return [
        {"timezone": zone, "local_start": local_iso(zone, t0), **counts}
        for zone, counts in sorted(
            zones.items(), key=lambda item: (utc_offset_seconds(item[0], t0), item[0])
        )
    ]


def _ids(problem: Problem, mask: np.ndarray) -> list[str]:
    return [problem.participants[k].id for k in np.flatnonzero(mask).tolist()]


def session_dict(
    problem: Problem, grid: Grid, c: int, members: np.ndarray | None = None
) -> dict[str, Any]:
    """One meeting at candidate ``c``.

    ``members`` (boolean per person) restricts who is listed as attending (the people
    assigned to this session of a pair); by default everyone who can attend.  ``local_start``
    covers every participant (so a UI can show anyone their time), or only the members when
    ``members`` is given.  Each region lists its distinct local start strings
    (``local_start``) and, under ``zones``, one entry per IANA zone of its participants:
    ``{"timezone", "local_start", "participants", "attending"}``, west to east.  Two zones
    with the same wall time are both listed, each named.
    """
    t0 = int(grid.starts[c])
    fits = grid.fits[c]
    attend = fits if members is None else members
    unsoc = attend & ~grid.sociable[c]
    listed = range(len(problem.participants)) if members is None else np.flatnonzero(members)
    regions: dict[str, dict[str, Any]] = {}
    for k, p in enumerate(problem.participants):
        r = regions.setdefault(
            p.region,
            {"participants": 0, "attending": 0, "outside_sociable": 0, "local": set(), "zones": {}},
        )
        r["participants"] += 1
        r["attending"] += int(attend[k])
        r["outside_sociable"] += int(unsoc[k])
        r["local"].add(local_iso(p.timezone, t0))
        z = r["zones"].setdefault(p.timezone, {"participants": 0, "attending": 0})
        z["participants"] += 1
        z["attending"] += int(attend[k])
    out: dict[str, Any] = {
        "start_utc": utc_iso(t0),
        "end_utc": utc_iso(t0 + grid.duration),
        "attending": int(attend.sum()),
        "outside_sociable": int(unsoc.sum()),
        "attendees": _ids(problem, attend),
        "outside_sociable_ids": _ids(problem, unsoc),
    }
    if members is None:
        out["absent"] = _ids(problem, ~fits)
    else:
        out["can_attend"] = int(fits.sum())
    out["local_start"] = {
        problem.participants[k].id: local_iso(problem.participants[k].timezone, t0) for k in listed
    }
    out["regions"] = {
        name: {
            "participants": r["participants"],
            "attending": r["attending"],
            "outside_sociable": r["outside_sociable"],
            "local_start": sorted(r["local"]),
            "zones": zone_starts(r["zones"], t0),
        }
        for name, r in sorted(regions.items())
    }
    return out


def settings_dict(problem: Problem) -> dict[str, Any]:
    s = problem.settings
    return {
        "from": s.first.isoformat(),
        "to": s.last.isoformat(),
        "duration_minutes": s.duration_minutes,
        "sessions": s.sessions,
        "top": s.top,
        "step_minutes": s.step_minutes,
    }


def people_summary(problem: Problem) -> dict[str, Any]:
    regions: dict[str, int] = {}
    for p in problem.participants:
        regions[p.region] = regions.get(p.region, 0) + 1
    return {
        "participants": len(problem.participants),
        "fallback": [p.id for p in problem.participants if p.fallback],
        "regions": dict(sorted(regions.items())),
    }
