"""Tandem pairing engine: optimal, explainable partner matching (pure Python, no Django).

Reading order, like a short paper:

* :mod:`~tandem.engines.pairing.model`        the input and its validation
* :mod:`~tandem.engines.pairing.constraints`  hard constraints (overlap from ``..timewindows``)
* :mod:`~tandem.engines.pairing.score`        the score and its five components
* :mod:`~tandem.engines.pairing.solve`        the lexicographic optimum (pinned, GAP, score)
* :mod:`~tandem.engines.pairing.stability`    blocking pairs
* :mod:`~tandem.engines.pairing.explain`      reasons and "why unmatched"
* :mod:`~tandem.engines.pairing.alternatives` each person's best partners (top k, vectorised)
* :mod:`~tandem.engines.pairing.baselines`    greedy and Gale-Shapley for comparison
* :mod:`~tandem.engines.pairing.api`          ``solve(data)`` / ``score(data)`` (the CLI),
  ``top_alternatives(data, k)`` and ``score_pairs(data, pairs)`` (for large cohorts)

Typical use from a service::

    from tandem.engines.pairing import PairingInputError, solve
    try:
        result = solve(document)      # dict shaped like the CLI's JSON output
    except PairingInputError as exc:  # exc.participant, exc.field, str(exc)
        ...
"""

from tandem.engines.pairing.api import (
    STAGES,
    cohort_corpus,
    score,
    score_pairs,
    solution_dict,
    solve,
    top_alternatives,
)
from tandem.engines.pairing.model import (
    DEFAULT_WEIGHTS,
    PairingInputError,
    Participant,
    Problem,
    Settings,
    parse_problem,
)
from tandem.engines.pairing.score import Evaluation, evaluate
from tandem.engines.pairing.solve import Assignment, optimal_assignment

__all__ = [
    "DEFAULT_WEIGHTS",
    "STAGES",
    "cohort_corpus",
    "Assignment",
    "Evaluation",
    "PairingInputError",
    "Participant",
    "Problem",
    "Settings",
    "evaluate",
    "optimal_assignment",
    "parse_problem",
    "score",
    "score_pairs",
    "solution_dict",
    "solve",
    "top_alternatives",
]
