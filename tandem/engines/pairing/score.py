"""Pair score in [0, 1]: a documented weighted sum of five components, all vectorised.

Notation: ``i`` an experienced lead, ``j`` a learning lead, ``x_i(t), x_j(t) ∈ {0..3}`` their
expertise levels on topic ``t`` (0 if absent).  The *needs* of ``j`` are
``N_j = needs_j ∪ {t : every token of t's name occurs in one of j's challenges}``; if that is
empty, every known topic counts (``N_j`` = all topics).  Write ``ν_j(t) = 1[t ∈ N_j] / |N_j|``.

expertise   coverage of the needs and challenges by ``i``'s expertise
            ``E_ij = Σ_t ν_j(t) · x_i(t) / 3``                 = (X_e/3) · ν^T
gap         experience gap on those needs (how far ``i`` is ahead of ``j``)
            ``G_ij = Σ_t ν_j(t) · max(0, x_i(t) - x_j(t)) / 3``
            using ``max(0, a - b) = Σ_{k=1..3} 1[a >= k] 1[b < k]``: three matrix products
goals       goal alignment, TF-IDF cosine of ``i``'s goals against ``j``'s goals + challenges
            (:mod:`tandem.engines.pairing.text`)
language    language comfort ``L_ij = (max_l min(p_i(l), p_j(l)) - 1) / 2`` (0.5 if the best
            shared language is at level 2 for one side, 1.0 if both are at level 3)
overlap     ``O_ij = min(1, h_ij / H)``, ``h_ij`` the weekly overlap in the tightest week and
            ``H = settings.overlap_full_hours`` (default 6 h)

``score_ij = Σ_c w_c · c_ij`` with the weights of
:data:`~tandem.engines.pairing.model.DEFAULT_WEIGHTS` overridden by ``settings.weights`` and
normalised to sum 1; every component lies in [0, 1], so the score does too.  Scores are
computed for every pair, feasible or not.

Two parts depend on the whole cohort, not only on the pair: the topic vocabulary (which topics
count for a learner who states no needs) and the goals' inverse document frequencies.
``evaluate(sub, within=whole)`` takes both from ``whole``, so a few pairs are scored exactly as
``evaluate(whole)`` scores them, at the cost of ``sub``'s pairs only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tandem.engines.pairing.constraints import Compatibility, compatibility
from tandem.engines.pairing.model import Problem
from tandem.engines.pairing.text import TfidfModel, tokens, topic_tokens

COMPONENTS = ("expertise", "goals", "language", "overlap", "gap")


@dataclass(frozen=True)
class Topics:
    """Topic vocabulary and the per-person matrices used by the expertise components."""

    names: tuple[str, ...]
    level_e: np.ndarray  # n x T, int8
    level_l: np.ndarray  # m x T, int8
    needs: np.ndarray  # m x T, bool (explicit + derived, or all when none)
    derived: np.ndarray  # m x T, bool (found in challenges, not stated as needs)
    defaulted: np.ndarray  # m, bool (no needs at all: every topic counts)

    def rows(self, experienced: np.ndarray, learning: np.ndarray) -> Topics:
        """The same vocabulary, for the given experienced and learning rows only."""
        return Topics(
            self.names,
            self.level_e[experienced],
            self.level_l[learning],
            self.needs[learning],
            self.derived[learning],
            self.defaulted[learning],
        )


@dataclass(frozen=True)
class Evaluation:
    """Everything known about every pair of a problem: constraints and scores."""

    problem: Problem
    compat: Compatibility
    topics: Topics
    text: TfidfModel
    components: dict[str, np.ndarray]  # float32 n x m each
    score: np.ndarray  # float64 n x m, in [0, 1]

    @property
    def feasible(self) -> np.ndarray:
        return self.compat.feasible


def topic_model(problem: Problem) -> Topics:
    exp, learn = problem.experienced, problem.learning
    names = sorted(
        {t for p in (*exp, *learn) for t in p.expertise} | {t for p in learn for t in p.needs}
    )
    col = {t: k for k, t in enumerate(names)}
    level_e = np.zeros((len(exp), len(names)), dtype=np.int8)
    level_l = np.zeros((len(learn), len(names)), dtype=np.int8)
    for side, mat in ((exp, level_e), (learn, level_l)):
        for r, p in enumerate(side):
            for t, level in p.expertise.items():
                mat[r, col[t]] = level
    needs = np.zeros((len(learn), len(names)), dtype=bool)
    derived = np.zeros_like(needs)
    name_tokens = [topic_tokens(t) for t in names]
    for r, p in enumerate(learn):
        for t in p.needs:
            needs[r, col[t]] = True
        challenge_tokens = [set(tokens(c)) for c in p.challenges]
        for k, toks in enumerate(name_tokens):
            if toks and not needs[r, k] and any(toks <= c for c in challenge_tokens):
                derived[r, k] = True
    needs |= derived
    defaulted = ~needs.any(axis=1)
    needs[defaulted] = True
    return Topics(tuple(names), level_e, level_l, needs, derived, defaulted)


def expertise_components(topics: Topics) -> tuple[np.ndarray, np.ndarray]:
    """``(E, G)``: need coverage and experience gap, both ``n x m`` in [0, 1]."""
    n, m = topics.level_e.shape[0], topics.level_l.shape[0]
    if not topics.names:
        return np.zeros((n, m)), np.zeros((n, m))
    nu = topics.needs / topics.needs.sum(axis=1, keepdims=True)
    xe = topics.level_e.astype(np.float64)
    coverage = (xe / 3.0) @ nu.T
    gap = np.zeros((n, m))
    for k in (1, 2, 3):
        gap += (xe >= k).astype(np.float64) @ ((topics.level_l < k) * nu).T
    return np.clip(coverage, 0, 1), np.clip(gap / 3.0, 0, 1)


def _text_model(problem: Problem) -> TfidfModel:
    return TfidfModel(
        [p.goals for p in problem.experienced],
        [(*p.goals, *p.challenges) for p in problem.learning],
    )


@dataclass(frozen=True)
class Corpus:
    """The cohort-wide parts of a problem's scores, computed once: its topic vocabulary and
    the goals' document frequencies (see ``evaluate(…, within=…)``)."""

    problem: Problem
    topics: Topics
    text: TfidfModel


def corpus_of(problem: Problem) -> Corpus:
    return Corpus(problem, topic_model(problem), _text_model(problem))


def evaluate(problem: Problem, *, within: Problem | Corpus | None = None) -> Evaluation:
    """Constraints and scores of all ``n x m`` pairs (no Python loop over pairs).

    With ``within``, a problem (or its :class:`Corpus`) with the same settings whose
    participants include every one of ``problem``'s (same ids), the topic vocabulary and the
    goals' document frequencies are ``within``'s: each score equals the pair's score in
    ``evaluate(within)``."""
    compat = compatibility(problem)
    if within is None:
        topics, text = topic_model(problem), _text_model(problem)
    else:
        context = within if isinstance(within, Corpus) else corpus_of(within)
        e_index, l_index = context.problem.experienced_index, context.problem.learning_index
        e_rows = np.array([e_index[p.id] for p in problem.experienced], dtype=np.intp)
        l_rows = np.array([l_index[p.id] for p in problem.learning], dtype=np.intp)
        topics = context.topics.rows(e_rows, l_rows)
        text = context.text.rows(e_rows, l_rows)
    coverage, gap = expertise_components(topics)
    settings = problem.settings
    comps = {
        "expertise": coverage,
        "goals": text.cosine(),
        "language": np.clip((compat.language_level.astype(np.float64) - 1.0) / 2.0, 0, 1),
        "overlap": np.minimum(1.0, compat.overlap.min_hours / settings.overlap_full_hours),
        "gap": gap,
    }
    total = np.zeros(compat.feasible.shape)
    for name in COMPONENTS:
        total += settings.weights[name] * comps[name]
    np.clip(total, 0.0, 1.0, out=total)
    return Evaluation(
        problem=problem,
        compat=compat,
        topics=topics,
        text=text,
        components={k: v.astype(np.float32) for k, v in comps.items()},
        score=total,
    )
