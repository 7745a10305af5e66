"""Score and solve for one session: rank the candidates.

With ``F`` the ``C x P`` attendance matrix and ``S`` the sociable matrix of a
:class:`~tandem.engines.scheduling.grid.Grid`, candidate ``c`` gets

    attendance(c) = Σ_p F[c, p]                    (people who can attend)
    unsociable(c) = Σ_p F[c, p] · (1 - S[c, p])    (attendees outside local 08:00-20:00)

and candidates are ordered lexicographically by

    (-attendance(c), unsociable(c), T_c)

so more attendees first, then fewer attendees at unsociable hours, then the earliest start.
The key is a total order (``T_c`` are distinct), so the ranking is deterministic.  Only
attendees count as unsociable: a person who cannot come anyway is not "put" at a bad hour.
"""

from __future__ import annotations

import numpy as np

from tandem.engines.scheduling.grid import Grid


def rank_slots(grid: Grid, top: int | None = None) -> np.ndarray:
    """Candidate indices, best first (all of them, or the first ``top``)."""
    order = np.lexsort((grid.starts, grid.unsociable, -grid.attendance))
    return order if top is None else order[:top]
