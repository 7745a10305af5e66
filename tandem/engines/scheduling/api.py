"""Public entry points: JSON-shaped dict in, JSON-shaped dict out.

``find_slots(data)`` and ``rotate(data)`` take the decoded input document (see
``docs/scheduling-engine.md``) and return plain ``dict``/``list``/``str``/``int`` structures
ready for ``json.dump``; the CLI prints exactly these.  Both raise
:class:`~tandem.engines.scheduling.model.SchedulingInputError` for missing or malformed input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tandem.engines.scheduling.explain import people_summary, session_dict, settings_dict
from tandem.engines.scheduling.grid import build_grid
from tandem.engines.scheduling.model import parse_problem
from tandem.engines.scheduling.pairs import assign_sessions, best_pairs
from tandem.engines.scheduling.rank import rank_slots
from tandem.engines.scheduling.rotation import rotate_series


def find_slots(data: Mapping[str, Any]) -> dict[str, Any]:
    """Ranked single slots, and with ``settings.sessions == 2`` the ranked pairs of sessions."""
    problem = parse_problem(data)
    s = problem.settings
    grid = build_grid(problem)
    attendance = grid.attendance
    n = len(problem.participants)
    slots = []
    for rank, c in enumerate(rank_slots(grid, s.top).tolist(), start=1):
        slots.append({"rank": rank, **session_dict(problem, grid, c)})
    result: dict[str, Any] = {
        "settings": settings_dict(problem),
        **people_summary(problem),
        "candidates": len(grid.starts),
        "best_attendance": int(attendance.max(initial=0)),
        "everyone_fits": bool(n and attendance.max(initial=0) == n),
        "slots": slots,
    }
    if s.sessions == 2:
        pairs, search = best_pairs(grid, s.top)
        out = []
        for rank, pair in enumerate(pairs, start=1):
            first, second = assign_sessions(grid, pair)
            covered = first | second
            out.append(
                {
                    "rank": rank,
                    "covered": pair.cover,
                    "outside_sociable": pair.unsociable,
                    "uncovered": [
                        p.id for p, c in zip(problem.participants, covered, strict=True) if not c
                    ],
                    "sessions": [
                        session_dict(problem, grid, pair.first, first),
                        session_dict(problem, grid, pair.second, second),
                    ],
                }
            )
        result["pairs"] = out
        result["pair_search"] = {
            "candidates": search.candidates,
            "kept_after_pruning": search.kept,
            "lower_bound": search.lower_bound,
            "distinct_people_columns": search.columns,
            "pairs_evaluated": search.evaluated,
        }
    return result


def rotate(data: Mapping[str, Any]) -> dict[str, Any]:
    """A time per meeting of a series, no two overlapping, that balances across people the
    meetings they cannot attend at a sociable hour (``burden_counts``: missed + unsociable;
    see :mod:`tandem.engines.scheduling.rotation`)."""
    problem = parse_problem(data, rotation=True)
    s = problem.settings
    grids_by_range = {r: build_grid(problem, *r) for r in dict.fromkeys(s.meetings)}
    grids = [grids_by_range[r] for r in s.meetings]
    rot = rotate_series(grids, s.coverage_tolerance)
    meetings = []
    for m, (grid, c, (first, last), size) in enumerate(
        zip(grids, rot.chosen, s.meetings, rot.pool_sizes, strict=True), start=1
    ):
        meetings.append(
            {
                "meeting": m,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "best_attendance": int(grid.attendance.max(initial=0)),
                "pool": size,
                **session_dict(problem, grid, c),
            }
        )
    regions: dict[str, dict[str, int]] = {}
    for p, u, x, b in zip(
        problem.participants,
        rot.unsociable.tolist(),
        rot.missed.tolist(),
        rot.burden.tolist(),
        strict=True,
    ):
        r = regions.setdefault(
            p.region,
            {"participants": 0, "unsociable": 0, "max_per_person": 0, "missed": 0, "burden": 0},
        )
        r["participants"] += 1
        r["unsociable"] += u
        r["max_per_person"] = max(r["max_per_person"], u)
        r["missed"] += x
        r["burden"] += b
    ids = problem.ids
    return {
        "settings": {
            **settings_dict(problem),
            "meetings": len(s.meetings),
            "coverage_tolerance": s.coverage_tolerance,
        },
        **people_summary(problem),
        "meetings": meetings,
        "unsociable_counts": dict(zip(ids, rot.unsociable.tolist(), strict=True)),
        "missed_counts": dict(zip(ids, rot.missed.tolist(), strict=True)),
        "burden_counts": dict(zip(ids, rot.burden.tolist(), strict=True)),
        "region_counts": dict(sorted(regions.items())),
        "max_unsociable": int(rot.unsociable.max(initial=0)),
        "max_burden": rot.objective[0],
        "sum_of_squares": rot.objective[1],
        "greedy": {
            "max_burden": rot.greedy_objective[0],
            "sum_of_squares": rot.greedy_objective[1],
        },
        "improvements": rot.changes,
    }
