"""Tandem scheduling engine: meeting times across time zones (pure Python, no Django).

Finds the orientation time (issue 7): candidate starts on a UTC grid are ranked by how many
participants are inside their stated weekly availability (or local 07:00-21:00 when they
stated none), DST-exact; ties go to the fewest attendees outside local 08:00-20:00, then to
the earliest start.  With two sessions it finds, exactly, the pair of slots that together
serve the most people; for a series of meetings it rotates the time so that unsociable
hours are shared.

Reading order, like a short paper:

* :mod:`~.model`    the input and its validation
* :mod:`~.grid`     candidates and who can attend them (DST-exact)
* :mod:`~.rank`     score and ranking of single slots
* :mod:`~.pairs`    two sessions: exact best pairs (matrix products, pruning)
* :mod:`~.rotation` a series: greedy + 1-opt balancing of unsociable hours
* :mod:`~.explain`  JSON output: attendees, local times, regions
* :mod:`~.api`      ``find_slots(data)`` / ``rotate(data)``, used by the CLI

Typical use from a service::

    from tandem.engines.scheduling import SchedulingInputError, find_slots
    try:
        result = find_slots(document)    # dict shaped like the CLI's JSON output
    except SchedulingInputError as exc:  # exc.participant, exc.field, str(exc)
        ...
"""

from tandem.engines.scheduling.api import find_slots, rotate
from tandem.engines.scheduling.grid import Grid, build_grid, candidate_starts, containment
from tandem.engines.scheduling.model import (
    Participant,
    Problem,
    SchedulingInputError,
    Settings,
    parse_problem,
)
from tandem.engines.scheduling.pairs import SessionPair, assign_sessions, best_pairs
from tandem.engines.scheduling.rank import rank_slots
from tandem.engines.scheduling.rotation import Rotation, rotate_series

__all__ = [
    "Grid",
    "Participant",
    "Problem",
    "Rotation",
    "SchedulingInputError",
    "SessionPair",
    "Settings",
    "assign_sessions",
    "best_pairs",
    "build_grid",
    "candidate_starts",
    "containment",
    "find_slots",
    "parse_problem",
    "rank_slots",
    "rotate",
    "rotate_series",
]
