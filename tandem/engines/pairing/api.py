"""Public entry points: JSON-shaped dict in, JSON-shaped dict out.

``solve(data)`` and ``score(data)`` take the decoded input document (see
``docs/pairing-engine.md``) and return plain ``dict``/``list``/``str``/``float`` structures
ready for ``json.dump``.  They raise :class:`~tandem.engines.pairing.model.PairingInputError` for
missing or malformed input.

``score`` writes the reasons of every feasible pair (``n x m`` of them); for large cohorts use
``solve(data, alternatives=k)`` or ``top_alternatives(data, k)`` (each person's best ``k``
partners, vectorised, no reasons) and ``score_pairs(data, pairs)`` (chosen pairs only, scored
exactly as in the whole cohort).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tandem.engines.pairing.alternatives import best_partners
from tandem.engines.pairing.baselines import gale_shapley, greedy_assignment
from tandem.engines.pairing.explain import pair_reasons, unmatched
from tandem.engines.pairing.model import PairingInputError, Problem, parse_problem
from tandem.engines.pairing.score import Corpus, Evaluation, corpus_of, evaluate
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


Progress = Callable[[str], None]
STAGES = ("scoring", "solving", "explaining", "alternatives")
"""The stages ``solve`` reports to its ``progress`` callback, in order."""


def solve(
    data: Mapping[str, Any],
    *,
    method: str = "optimal",
    alternatives: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Validate ``data``, find the assignment and explain it.

    ``method`` is ``"optimal"`` (default), or a baseline: ``"greedy"``, ``"gale-shapley"``.
    ``objective`` is the total score of all output pairs (fixed pairs included).  With
    ``alternatives=k`` the output also has ``"alternatives"``, each participant's best ``k``
    feasible partners (see :func:`top_alternatives`), from the same evaluation.  ``progress``,
    if given, is called with each stage of :data:`STAGES` as it begins.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    report = progress or (lambda stage: None)
    report("scoring")
    ev = evaluate(parse_problem(data))
    report("solving")
    assignment = METHODS[method](ev)
    report("explaining")
    out = solution_dict(ev, assignment)
    if alternatives > 0:
        report("alternatives")
        out["alternatives"] = best_partners(ev, alternatives)
    return out


def top_alternatives(data: Mapping[str, Any], k: int = 3) -> dict[str, list[dict[str, Any]]]:
    """``{participant id: [{"id", "score", "overlap_hours"}, ...]}``: each participant's best
    ``k`` feasible partners, best first, ties by id; exactly each person's first ``k`` pairs of
    :func:`score`'s list, found as the top ``k`` of each row and column of the score matrix
    without writing any reason."""
    return best_partners(evaluate(parse_problem(data)), k)


def _subset(whole: Problem, pairs: Sequence[tuple[int, int]]) -> tuple[Problem, list]:
    e_rows = sorted({i for i, _ in pairs})
    l_rows = sorted({j for _, j in pairs})
    e_at = {i: k for k, i in enumerate(e_rows)}
    l_at = {j: k for k, j in enumerate(l_rows)}
    sub = Problem(
        experienced=tuple(whole.experienced[i] for i in e_rows),
        learning=tuple(whole.learning[j] for j in l_rows),
        settings=whole.settings,
        forbidden=frozenset(
            (e_at[i], l_at[j]) for i, j in whole.forbidden if i in e_at and j in l_at
        ),
    )
    return sub, [(e_at[i], l_at[j]) for i, j in pairs]


def _without_windows(data: Mapping[str, Any], keep: set[str]) -> dict[str, Any]:
    """``data`` with the weekly windows of everyone but ``keep`` left out: people who count
    only for the cohort's vocabulary and frequencies (windows are the costly part to parse)."""

    def light(person: Any) -> Any:
        if isinstance(person, Mapping) and person.get("id") not in keep:
            return {**person, "availability": []}
        return person

    payload = dict(data)
    for role in ("experienced", "learning"):
        if isinstance(data.get(role), list):
            payload[role] = [light(p) for p in data[role]]
    return payload


def _pair_ids(item: Any) -> tuple[Any, Any] | None:
    if isinstance(item, Mapping):
        return item.get("experienced"), item.get("learning")
    if isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 2:
        return item[0], item[1]
    return None


def _only(data: Mapping[str, Any], named: set[str]) -> dict[str, Any]:
    """``data`` reduced to the people ``named`` (and the forbidden pairs between them)."""
    payload = dict(data, pinned=[], keep=[])
    for role in ("experienced", "learning"):
        if isinstance(data.get(role), list):
            payload[role] = [
                p for p in data[role] if not isinstance(p, Mapping) or p.get("id") in named
            ]
    if isinstance(data.get("forbidden"), list):
        payload["forbidden"] = [
            f
            for f in data["forbidden"]
            if (ids := _pair_ids(f)) is None or (ids[0] in named and ids[1] in named)
        ]
    return payload


def cohort_corpus(data: Mapping[str, Any]) -> Corpus:
    """What :func:`score_pairs` needs of the whole input, to compute once and pass to many
    calls on the same input (e.g. a search as one types): its validated participants (their
    weekly windows not read), topic vocabulary and goals' document frequencies."""
    return corpus_of(parse_problem(_without_windows(data, keep=set())))


def score_pairs(
    data: Mapping[str, Any],
    pairs: Sequence[Sequence[str]],
    *,
    reasons: bool = True,
    corpus: Corpus | None = None,
) -> list[dict[str, Any] | None]:
    """The given ``[experienced id, learning id]`` pairs as :func:`score` lists them (score,
    overlap, reasons; ``None`` for an infeasible pair), in the order given.

    Scores are exactly those of the whole input (the topic vocabulary and the goals' document
    frequencies are the cohort's), but only the participants named are evaluated, so a few
    pairs of a large cohort cost little; ``corpus`` (:func:`cohort_corpus` of the same
    ``data``) saves reading the whole input again.  Pinned and kept pairs are not marked (the
    pairs are looked at on their own); ``reasons=False`` leaves the reasons out, for ranking."""
    if not pairs:
        return []
    named = {x for pair in pairs for x in pair}
    if corpus is None:
        whole = parse_problem(_without_windows(data, keep=named))
        context = corpus_of(whole)
    else:
        context = corpus
    e_known, l_known = context.problem.experienced_index, context.problem.learning_index
    for k, (e_id, l_id) in enumerate(pairs):
        if e_id not in e_known:
            raise PairingInputError(f"unknown experienced id {e_id!r}", field=f"pairs[{k}]")
        if l_id not in l_known:
            raise PairingInputError(f"unknown learning id {l_id!r}", field=f"pairs[{k}]")
    if corpus is not None:
        whole = parse_problem(_only(data, named))  # the named people, with their windows
    e_index, l_index = whole.experienced_index, whole.learning_index
    wanted = [(e_index[e_id], l_index[l_id]) for e_id, l_id in pairs]
    sub, at = _subset(whole, wanted)
    ev = evaluate(sub, within=context)
    out: list[dict[str, Any] | None] = []
    for i, j in at:
        if not ev.feasible[i, j]:
            out.append(None)
        elif reasons:
            out.append(pair_dict(ev, i, j))
        else:
            out.append(
                {
                    "experienced": sub.experienced[i].id,
                    "learning": sub.learning[j].id,
                    "score": float(ev.score[i, j]),
                    "overlap_hours": float(ev.compat.overlap.min_hours[i, j]),
                }
            )
    return out


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
