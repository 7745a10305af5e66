"""Explanations as data: why a pair was formed, why someone is unmatched.

Every explanation is a :data:`~tandem.engines.pairing.reasons.Reason`, ``{"code", "params"}``
(the codes, their parameters and their English text are listed in
:mod:`tandem.engines.pairing.reasons`).  A pair's ``reasons`` list follows a fixed order: how
it was fixed (pinned / kept), GAP priority, the shared language, the weekly overlap (with the
tightest week when daylight saving time changes it), the needs covered, the experience gap,
goal alignment and finally the score broken down into its weighted components, so that every
number in the score can be traced.  An unmatched person's ``why`` names the first hard
constraint, in the order organisation -> language -> overlap -> forbidden -> capacity, that
leaves them with no candidate, or else says that all candidates were given to others by the
optimum.
"""

from __future__ import annotations

import numpy as np

from tandem.engines.pairing.constraints import MIN_LANGUAGE_LEVEL
from tandem.engines.pairing.model import Participant
from tandem.engines.pairing.reasons import Reason, reason, some_ids
from tandem.engines.pairing.score import COMPONENTS, Evaluation
from tandem.engines.pairing.solve import Assignment


def _ids(people: list[Participant]) -> dict[str, object]:
    return some_ids([p.id for p in people])


def _language_reason(ev: Evaluation, e: Participant, lrn: Participant, i: int, j: int) -> Reason:
    level = int(ev.compat.language_level[i, j])
    if level < MIN_LANGUAGE_LEVEL:
        return reason("no_shared_language", min_level=MIN_LANGUAGE_LEVEL)
    code = ev.compat.languages[int(ev.compat.language_best[i, j])]
    others = [
        c
        for c in sorted(set(e.languages) & set(lrn.languages))
        if c != code and min(e.languages[c], lrn.languages[c]) >= MIN_LANGUAGE_LEVEL
    ]
    return reason(
        "shared_language",
        language=code,
        experienced_level=int(e.languages[code]),
        learning_level=int(lrn.languages[code]),
        also=others,
    )


def _overlap_reason(ev: Evaluation, i: int, j: int) -> Reason:
    ov = ev.compat.overlap
    lo, hi = float(ov.min_hours[i, j]), float(ov.max_hours[i, j])
    if hi - lo < 1e-9:
        return reason("overlap", hours=lo)
    week = ov.weeks[int(ov.worst_week[i, j])]
    return reason("overlap_dst", min_hours=lo, max_hours=hi, week=week.isoformat())


def _needs_reason(ev: Evaluation, e: Participant, j: int, i: int) -> list[Reason]:
    t = ev.topics
    if t.defaulted[j]:
        avg = float(t.level_e[i].mean()) if t.names else 0.0
        return [reason("needs_unstated", average=avg)]
    idx = np.flatnonzero(t.needs[j])
    covered = [k for k in idx if t.level_e[i, k] >= 2]
    missing = [k for k in idx if t.level_e[i, k] < 2]
    out = [
        reason(
            "needs",
            total=len(idx),
            covered=[
                {
                    "topic": str(t.names[k]),
                    "level": int(t.level_e[i, k]),
                    "from_challenges": bool(t.derived[j, k]),
                }
                for k in covered
            ],
            missing=[
                {"topic": str(t.names[k]), "from_challenges": bool(t.derived[j, k])}
                for k in missing
            ],
        )
    ]
    diff = t.level_e[i, idx].astype(int) - t.level_l[j, idx].astype(int)
    ahead = float(np.clip(diff, 0, None).mean())
    if ahead > 0:
        out.append(reason("experience_gap", ahead=ahead))
    else:
        out.append(reason("no_experience_gap"))
    return out


def pair_reasons(ev: Evaluation, i: int, j: int, kind: str | None = None) -> list[Reason]:
    """Reasons for pair (experienced ``i``, learning ``j``), most important first."""
    p = ev.problem
    e, lrn = p.experienced[i], p.learning[j]
    c = ev.compat
    out: list[Reason] = []
    if kind == "pinned":
        out.append(reason("pinned"))
    elif kind == "kept":
        out.append(reason("kept"))
    if kind and not c.feasible[i, j]:
        if not c.org_ok[i, j]:
            out.append(reason("warning_same_organisation", organization=e.organization))
        if not c.overlap_ok[i, j]:
            out.append(reason("warning_low_overlap", min_hours=float(p.settings.min_overlap_hours)))
    if lrn.gap:
        out.append(reason("gap_priority"))
    out.append(_language_reason(ev, e, lrn, i, j))
    out.append(_overlap_reason(ev, i, j))
    out.extend(_needs_reason(ev, e, j, i))
    goals = float(ev.components["goals"][i, j])
    if goals > 0:
        terms = [str(term) for term in ev.text.shared_terms(i, j)]
        out.append(reason("goals", similarity=goals, terms=terms))
    else:
        out.append(reason("no_shared_terms"))
    w = p.settings.weights
    parts = [[k, w[k] * float(ev.components[k][i, j])] for k in COMPONENTS]
    out.append(reason("score", score=float(ev.score[i, j]), parts=parts))
    return out


def _learning_why(ev: Evaluation, j: int, assignment: Assignment) -> Reason:
    p, c = ev.problem, ev.compat
    lrn = p.learning[j]
    side = "experienced"
    if not p.experienced:
        return reason("no_candidates", side=side)
    stage = c.org_ok[:, j]
    if not stage.any():
        return reason("all_same_organisation", side=side, organization=lrn.organization)
    stage2 = stage & c.language_ok[:, j]
    if not stage2.any():
        spoken = [[k, int(v)] for k, v in sorted(lrn.languages.items())]
        return reason("no_language_match", side=side, min_level=MIN_LANGUAGE_LEVEL, spoken=spoken)
    stage3 = stage2 & c.overlap_ok[:, j]
    if not stage3.any():
        if not lrn.availability.windows:
            return reason("no_availability")
        ov = np.where(stage2, c.overlap.min_hours[:, j], -1.0)
        best = int(np.argmax(ov))
        return reason(
            "too_little_overlap",
            side=side,
            candidates=int(stage2.sum()),
            min_hours=float(p.settings.min_overlap_hours),
            best_hours=float(ov[best]),
            best=p.experienced[best].id,
        )
    stage4 = stage3 & c.allowed[:, j]
    if not stage4.any():
        ids = [p.experienced[i] for i in np.flatnonzero(stage3)]
        return reason("only_forbidden", side=side, **_ids(ids))
    total = np.array([e.capacity for e in p.experienced], dtype=np.int64)
    with_cap = stage4 & (total > 0)
    if not with_cap.any():
        ids = [p.experienced[i] for i in np.flatnonzero(stage4)]
        return reason("candidates_without_capacity", **_ids(ids))
    ids = [p.experienced[i] for i in np.flatnonzero(with_cap)]
    taken = [(i, jj) for i, jj in assignment.pairs if with_cap[i]]
    n_fixed = sum(1 for pair in taken if pair in assignment.fixed)
    n_gap = sum(1 for pair in taken if pair not in assignment.fixed and p.learning[pair[1]].gap)
    return reason(
        "candidates_full",
        count=len(ids),
        **_ids(ids),
        method=assignment.method,
        fixed=n_fixed,
        gap=n_gap,
        higher_score=len(taken) - n_fixed - n_gap,
    )


def _experienced_why(ev: Evaluation, i: int, assignment: Assignment) -> Reason:
    p, c = ev.problem, ev.compat
    e = p.experienced[i]
    side = "learning"
    if e.capacity == 0:
        return reason("no_capacity")
    if not p.learning:
        return reason("no_candidates", side=side)
    stage = c.org_ok[i]
    if not stage.any():
        return reason("all_same_organisation", side=side, organization=e.organization)
    stage2 = stage & c.language_ok[i]
    if not stage2.any():
        return reason("no_language_match", side=side, min_level=MIN_LANGUAGE_LEVEL)
    stage3 = stage2 & c.overlap_ok[i]
    if not stage3.any():
        if not e.availability.windows:
            return reason("no_availability")
        return reason(
            "too_little_overlap",
            side=side,
            candidates=int(stage2.sum()),
            min_hours=float(p.settings.min_overlap_hours),
        )
    stage4 = stage3 & c.allowed[i]
    if not stage4.any():
        ids = [p.learning[j] for j in np.flatnonzero(stage3)]
        return reason("only_forbidden", side=side, **_ids(ids))
    ids = [p.learning[j] for j in np.flatnonzero(stage4)]
    return reason("candidates_taken", count=len(ids), **_ids(ids), method=assignment.method)


def unmatched(ev: Evaluation, assignment: Assignment) -> list[dict[str, object]]:
    """``[{"id": ..., "why": Reason}]`` for learning leads without a partner and experienced
    leads without any partner (learning leads first, each side sorted by id)."""
    p = ev.problem
    n, m = len(p.experienced), len(p.learning)
    load = np.zeros(n, dtype=np.int64)
    matched_l = np.zeros(m, dtype=bool)
    for i, j in assignment.pairs:
        load[i] += 1
        matched_l[j] = True
    out = [
        {"id": p.learning[j].id, "why": _learning_why(ev, j, assignment)}
        for j in range(m)
        if not matched_l[j]
    ]
    out += [
        {"id": p.experienced[i].id, "why": _experienced_why(ev, i, assignment)}
        for i in range(n)
        if load[i] == 0
    ]
    return out
