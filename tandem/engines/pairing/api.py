"""Public entry points: JSON-shaped dict in, JSON-shaped dict out.

``solve(data)`` and ``score(data)`` take the decoded input document (see
``docs/pairing-engine.md``) and return plain ``dict``/``list``/``str``/``float`` structures
ready for ``json.dump``.  They raise :class:`~tandem.engines.pairing.model.PairingInputError` for
missing or malformed input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tandem.engines.pairing.baselines import gale_shapley, greedy_assignment
from tandem.engines.pairing.explain import pair_reasons, unmatched
from tandem.engines.pairing.model import parse_problem
from tandem.engines.pairing.score import Evaluation, evaluate
from tandem.engines.pairing.solve import Assignment, optimal_assignment
from tandem.engines.pairing.stability import blocking_pairs

METHODS = {
    "optimal": optimal_assignment,
    "greedy": greedy_assignment,
    "gale-shapley": gale_shapley,
}
_EXAMPLES = 10


def pair_dict(ev: Evaluation, i: int, j: int, kind: str | None = None) -> dict[str, Any]:
    """One output pair: ids, unrounded score, tightest-week overlap hours and reasons."""
    p = ev.problem
    return {
        "experienced": p.experienced[i].id,
        "learning": p.learning[j].id,
        "score": float(ev.score[i, j]),
        "overlap_hours": float(ev.compat.overlap.min_hours[i, j]),
        "reasons": pair_reasons(ev, i, j, kind),
    }


def stats(ev: Evaluation, assignment: Assignment) -> dict[str, Any]:
    """Summary numbers of an assignment (all deterministic; no timings)."""
    p = ev.problem
    pairs = assignment.pairs
    kinds = list(assignment.fixed.values())
    gap_total = sum(1 for lrn in p.learning if lrn.gap)
    feasible_any = ev.feasible.any(axis=0)
    blocking = blocking_pairs(ev, pairs)
    matched_e = {i for i, _ in pairs}
    scores = [float(ev.score[i, j]) for i, j in pairs]
    return {
        "method": assignment.method,
        "experienced": len(p.experienced),
        "learning": len(p.learning),
        "pairs": len(pairs),
        "pinned": kinds.count("pinned"),
        "kept": kinds.count("kept"),
        "new_pairs": len(pairs) - len(kinds),
        "matched_learning": len({j for _, j in pairs}),
        "unmatched_learning": len(p.learning) - len({j for _, j in pairs}),
        "unmatched_experienced": len(p.experienced) - len(matched_e),
        "gap_learning": gap_total,
        "gap_matchable": sum(1 for j, lrn in enumerate(p.learning) if lrn.gap and feasible_any[j]),
        "gap_matched": assignment.gap_matched(ev),
        "capacity_total": sum(e.capacity for e in p.experienced),
        "capacity_used": len(pairs),
        "feasible_pairs": int(ev.feasible.sum()),
        "total_score": sum(scores),
        "mean_score": sum(scores) / len(scores) if scores else 0.0,
        "min_score": min(scores) if scores else 0.0,
        "blocking_pairs": len(blocking),
        "blocking_examples": [
            [p.experienced[i].id, p.learning[j].id] for i, j in blocking[:_EXAMPLES]
        ],
        "weights": dict(p.settings.weights),
        "min_overlap_hours": p.settings.min_overlap_hours,
        "period": [d.isoformat() for d in p.settings.period],
        "weeks": len(p.settings.weeks),
    }


def solution_dict(ev: Evaluation, assignment: Assignment) -> dict[str, Any]:
    """The SOLVE OUTPUT document for an assignment of ``ev``'s problem."""
    pairs = sorted(
        assignment.pairs,
        key=lambda ij: (ev.problem.experienced[ij[0]].id, ev.problem.learning[ij[1]].id),
    )
    return {
        "pairs": [pair_dict(ev, i, j, assignment.fixed.get((i, j))) for i, j in pairs],
        "unmatched": unmatched(ev, assignment),
        "objective": assignment.total_score(ev),
        "stats": stats(ev, assignment),
    }


def solve(data: Mapping[str, Any], *, method: str = "optimal") -> dict[str, Any]:
    """Validate ``data``, find the assignment and explain it.

    ``method`` is ``"optimal"`` (default), or a baseline: ``"greedy"``, ``"gale-shapley"``.
    ``objective`` is the total score of all output pairs (fixed pairs included).
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    ev = evaluate(parse_problem(data))
    return solution_dict(ev, METHODS[method](ev))


def score(data: Mapping[str, Any]) -> dict[str, Any]:
    """Every feasible pair with its score, overlap and reasons, best score first."""
    ev = evaluate(parse_problem(data))
    p = ev.problem
    fixed = p.fixed
    i_idx, j_idx = ev.feasible.nonzero()
    order = sorted(
        zip(i_idx.tolist(), j_idx.tolist(), strict=True),
        key=lambda ij: (-ev.score[ij], p.experienced[ij[0]].id, p.learning[ij[1]].id),
    )
    return {"pairs": [pair_dict(ev, i, j, fixed.get((i, j))) for i, j in order]}
