"""Hard constraints, as boolean ``n x m`` matrices (experienced x learning).

A pair ``(i, j)`` is *feasible* iff

    org(i) != org(j)                                     different organisation
    max_l min(p_i(l), p_j(l)) >= 2                       a shared language, proficiency >= 2 each
    min_w ov_ij(w) >= min_overlap_hours                  weekly overlap in every ISO week
    (i, j) not in forbidden

where ``p(l)`` is proficiency 1..3 (0 if not spoken) and ``ov_ij(w)`` is the DST-exact weekly
overlap of :mod:`tandem.engines.timewindows` (real time: the instants at which both are free, each
counted in the earlier of the two ISO weeks its windows belong to, so windows that meet across
midnight or the date line count) over the ISO weeks of ``settings.period``.  Capacity and
pinned/kept pairs are constraints of the assignment (see :mod:`tandem.engines.pairing.solve`).  Each
condition is kept as its own matrix so that explanations can say which one failed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tandem.engines.pairing.model import Problem
from tandem.engines.timewindows import WeeklyOverlap, weekly_overlap_matrix

MIN_LANGUAGE_LEVEL = 2
_EPS_HOURS = 1e-9


@dataclass(frozen=True)
class Compatibility:
    """Constraint matrices of a problem (rows: experienced, columns: learning)."""

    org_ok: np.ndarray
    language_ok: np.ndarray
    overlap_ok: np.ndarray
    allowed: np.ndarray
    feasible: np.ndarray
    overlap: WeeklyOverlap
    language_level: np.ndarray  # int8: best min(p_i(l), p_j(l)) over languages l
    language_best: np.ndarray  # int16: index into ``languages`` of that language
    languages: tuple[str, ...]


def language_matrices(problem: Problem) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """``level[i, j] = max_l min(p_i(l), p_j(l))`` and the argmax language (first code wins)."""
    codes = sorted({c for p in (*problem.experienced, *problem.learning) for c in p.languages})
    n, m = len(problem.experienced), len(problem.learning)
    pe = np.zeros((n, len(codes)), dtype=np.int8)
    pl = np.zeros((m, len(codes)), dtype=np.int8)
    col = {c: k for k, c in enumerate(codes)}
    for side, mat in ((problem.experienced, pe), (problem.learning, pl)):
        for r, p in enumerate(side):
            for c, level in p.languages.items():
                mat[r, col[c]] = level
    level = np.zeros((n, m), dtype=np.int8)
    best = np.zeros((n, m), dtype=np.int16)
    for k in range(len(codes)):
        both = np.minimum(pe[:, k, None], pl[None, :, k])
        better = both > level
        best[better] = k
        np.maximum(level, both, out=level)
    return level, best, tuple(codes)


def compatibility(problem: Problem) -> Compatibility:
    """Evaluate all hard pair constraints for every (experienced, learning) pair."""
    exp, learn = problem.experienced, problem.learning
    orgs = {o: k for k, o in enumerate(sorted({p.organization.casefold() for p in (*exp, *learn)}))}
    org_e = np.array([orgs[p.organization.casefold()] for p in exp], dtype=np.int64)
    org_l = np.array([orgs[p.organization.casefold()] for p in learn], dtype=np.int64)
    org_ok = org_e[:, None] != org_l[None, :]

    level, best, codes = language_matrices(problem)
    language_ok = level >= MIN_LANGUAGE_LEVEL

    overlap = weekly_overlap_matrix(
        [p.availability for p in exp], [p.availability for p in learn], problem.settings.weeks
    )
    overlap_ok = overlap.min_hours >= problem.settings.min_overlap_hours - _EPS_HOURS

    allowed = np.ones((len(exp), len(learn)), dtype=bool)
    for i, j in problem.forbidden:
        allowed[i, j] = False
    feasible = org_ok & language_ok & overlap_ok & allowed
    return Compatibility(
        org_ok=org_ok,
        language_ok=language_ok,
        overlap_ok=overlap_ok,
        allowed=allowed,
        feasible=feasible,
        overlap=overlap,
        language_level=level,
        language_best=best,
        languages=codes,
    )
