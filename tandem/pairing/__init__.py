"""Tandem pairing engine: optimal, explainable partner matching (pure Python, no Django).

Reading order, like a short paper:

* :mod:`~tandem.pairing.model`       the input and its validation
* :mod:`~tandem.pairing.constraints` hard constraints (``tandem.timewindows`` for overlap)
* :mod:`~tandem.pairing.score`       the score and its five components
* :mod:`~tandem.pairing.solve`       the lexicographic optimum (pinned, GAP, score)
* :mod:`~tandem.pairing.stability`   blocking pairs
* :mod:`~tandem.pairing.explain`     reasons and "why unmatched"
* :mod:`~tandem.pairing.baselines`   greedy and Gale-Shapley for comparison
* :mod:`~tandem.pairing.api`         ``solve(data)`` / ``score(data)``, used by the CLI

Typical use from a service::

    from tandem.pairing import PairingInputError, solve
    try:
        result = solve(document)      # dict shaped like the CLI's JSON output
    except PairingInputError as exc:  # exc.participant, exc.field, str(exc)
        ...
"""

from tandem.pairing.api import score, solution_dict, solve
from tandem.pairing.model import (
    DEFAULT_WEIGHTS,
    PairingInputError,
    Participant,
    Problem,
    Settings,
    parse_problem,
)
from tandem.pairing.score import Evaluation, evaluate
from tandem.pairing.solve import Assignment, optimal_assignment

__all__ = [
    "DEFAULT_WEIGHTS",
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
    "solution_dict",
    "solve",
]
