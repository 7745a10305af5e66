"""Solve for two sessions: the pair of candidates that together serve the most people.

Model
-----
Let ``F`` (attends) and ``G = F ∧ S`` (attends at a sociable hour) be the ``C x P`` boolean
matrices of a :class:`~tandem.engines.scheduling.grid.Grid`, with rows ``F_c``, ``G_c`` read as sets
of people and ``a_c = |F_c|``, ``g_c = |G_c|``.  A *pair* is two candidates ``A < B`` whose
meetings do not overlap, ``T_B - T_A >= d`` (the hosts attend both).  Each person attends a
session that suits them, a sociable one if there is one, so

    cover(A, B) = |F_A ∪ F_B| = a_A + a_B - |F_A ∩ F_B|
    good(A, B)  = |G_A ∪ G_B| = g_A + g_B - |G_A ∩ G_B|
    unsociable(A, B) = cover(A, B) - good(A, B)

(a person is an unsociable assignment iff covered but sociable in neither session).  Pairs are
ordered by

    (-cover, unsociable, -(a_A + a_B), T_A, T_B)

-- most people served, then fewest at unsociable hours, then the most flexibility (people
who could come to either session count twice; this also avoids a useless second session
when a useful one exists), then the earliest.  Equivalently by the integer key
``κ = (cover·(P+1) + good)·(2P+1) + a_A + a_B`` descending (``good <= P``,
``a_A + a_B <= 2P``; ``κ < 8P³`` fits int64), then ``(T_A, T_B)``: a total order, so the top
``k`` pairs are unique.

All intersections at once are the matrix products ``F Fᵀ`` and ``G Gᵀ`` (0/1 entries in
float32: sums of at most ``P < 2²⁴`` ones, hence exact).

Pruning (exact)
---------------
Let ``L`` be a number such that at least ``k`` pairs have ``cover >= L``; we take the
``k``-th largest cover among the pairs ``(A*, B)`` of the best single slot ``A*``
(``O(C·P)``), or ``L = 0`` if there are fewer than ``k`` of them.  Only pairs with

    a_A + a_B >= L

are evaluated.  *Claim*: this set contains the global top ``k``, hence its top ``k`` (all
evaluated exactly, in the same order) is the global top ``k``.

*Proof*.  ``cover`` is the first component of the order.  (1) Every pair ``π`` of the
global top ``k`` has ``cover(π) >= L``: otherwise the ``>= k`` pairs with
``cover >= L > cover(π)`` all precede ``π`` and ``π`` is not among the first ``k``.  (2)
``cover(A, B) = |F_A ∪ F_B| <= a_A + a_B``, so a pair with ``a_A + a_B < L`` has
``cover < L``.  By (1) and (2) every top-``k`` pair is evaluated.  ∎

To enumerate the set, sort the candidates by ``a`` descending (rank ``r``); the partners
``s > r`` of ``r`` with ``a_r + a_s >= L`` are the contiguous ranks ``r < s < reach(r)``
with ``reach(r) = #{x : a_x >= L - a_r}``, non-increasing in ``r``; rows stop at the first
``r`` with ``reach(r) <= r + 1``.  In particular only ``K = {x : a_x >= L - max a}`` ever
appears.  The products are taken in blocks of rows against their column range
(``R x (reach - r)`` at a time), keeping a running top ``k``.  Two more exact reductions:
people with identical columns over the kept rows of ``[F; G]`` are merged into one column
of weight ``w_u`` (their number), so ``|F_A ∩ F_B| = Σ_u w_u F_Au F_Bu``; people never
present in ``K`` are dropped.  Memory is ``O(R·|K| + |K|·P)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tandem.engines.scheduling.grid import Grid
from tandem.engines.scheduling.rank import rank_slots

_BLOCK = 1 << 19  # entries of one row block of the pair matrix


@dataclass(frozen=True, slots=True)
class SessionPair:
    """Two candidate indices ``first < second`` (in time) and their coverage."""

    first: int
    second: int
    cover: int
    good: int

    @property
    def unsociable(self) -> int:
        return self.cover - self.good


@dataclass(frozen=True, slots=True)
class PairSearch:
    """How much work the exact search did (reported in the output for transparency).

    ``kept``: candidates that appear in some evaluated pair; ``evaluated``: pairs with
    ``a_A + a_B >= lower_bound`` (before the non-overlap test), out of ``C(C-1)/2``.
    """

    candidates: int
    kept: int
    lower_bound: int
    columns: int
    evaluated: int


def _lower_bound(grid: Grid, a: np.ndarray, top: int) -> int:
    """``L``: the ``top``-th largest cover among the pairs of the best single slot (or 0)."""
    F, t = grid.fits, grid.starts
    star = int(rank_slots(grid, 1)[0])
    with_star = a[star] + a - (F & F[star]).sum(axis=1, dtype=np.int64)
    covers = np.sort(with_star[np.abs(t - t[star]) >= grid.duration])[::-1]
    return int(covers[top - 1]) if len(covers) >= top else 0


def best_pairs(grid: Grid, top: int) -> tuple[list[SessionPair], PairSearch]:
    """The ``top`` best non-overlapping pairs of candidates, best first (exact)."""
    F, G, t, d = grid.fits, grid.good, grid.starts, grid.duration
    n_c, n_p = F.shape
    if n_c == 0:
        return [], PairSearch(0, 0, 0, 0, 0)
    a = F.sum(axis=1, dtype=np.int64)
    g = G.sum(axis=1, dtype=np.int64)
    bound = _lower_bound(grid, a, top)

    # Rank r = position by (a desc, time); pair {r, s}, r < s, is needed iff a_r + a_s >= L,
    # i.e. s < reach[r] = #{x : a_x >= L - a_r}.  reach is non-increasing in r.
    order = np.lexsort((np.arange(n_c), -a))
    a_sorted = a[order]
    reach = np.searchsorted(-a_sorted, -(bound - a_sorted), side="right")
    n_k = int(reach[0])  # K = ranks 0 .. n_k - 1 = {x : a_x >= L - max a}
    keep = order[:n_k]
    Fk, Gk, ak, gk, tk = F[keep], G[keep], a[keep], g[keep], t[keep]

    stacked = np.concatenate([Fk, Gk], axis=0).T  # people x 2K
    present = stacked.any(axis=1)
    packed = np.packbits(stacked[present], axis=1)
    if len(packed):
        _, first_of, weight = np.unique(packed, axis=0, return_index=True, return_counts=True)
    else:
        first_of = weight = np.zeros(0, dtype=np.int64)
    cols = np.flatnonzero(present)[first_of]
    w = weight.astype(np.float32)
    Fl, Gl = Fk[:, cols].astype(np.float32), Gk[:, cols].astype(np.float32)

    best_key = np.zeros(0, dtype=np.int64)
    best_flat = np.zeros(0, dtype=np.int64)
    evaluated = 0
    r0 = 0
    while r0 < n_k and reach[r0] > r0 + 1:
        c0, c1 = r0 + 1, int(reach[r0])
        r1 = min(n_k, r0 + max(1, _BLOCK // (c1 - c0)))
        both_f = np.rint((Fl[r0:r1] * w) @ Fl[c0:c1].T).astype(np.int64)
        both_g = np.rint((Gl[r0:r1] * w) @ Gl[c0:c1].T).astype(np.int64)
        ai, aj = ak[r0:r1, None], ak[None, c0:c1]
        cover = ai + aj - both_f
        good = gk[r0:r1, None] + gk[None, c0:c1] - both_g
        key = (cover * (n_p + 1) + good) * (2 * n_p + 1) + ai + aj
        rank_i = np.arange(r0, r1)[:, None]
        rank_j = np.arange(c0, c1)[None, :]
        ok = (rank_j > rank_i) & (rank_j < reach[r0:r1, None])
        evaluated += int(ok.sum())
        ok &= np.abs(tk[None, c0:c1] - tk[r0:r1, None]) >= d
        key[~ok] = -1
        flat_key = key.ravel()
        threshold = 0
        if flat_key.size > top:
            threshold = max(0, int(np.partition(flat_key, flat_key.size - top)[-top]))
        sel = np.flatnonzero(flat_key >= threshold)
        i_idx, j_idx = np.divmod(sel, c1 - c0)
        ci, cj = keep[i_idx + r0], keep[j_idx + c0]  # candidate indices = time order
        best_key = np.concatenate([best_key, flat_key[sel]])
        best_flat = np.concatenate([best_flat, np.minimum(ci, cj) * n_c + np.maximum(ci, cj)])
        pick = np.lexsort((best_flat, -best_key))[:top]
        best_key, best_flat = best_key[pick], best_flat[pick]
        r0 = r1

    out = []
    for key, flat in zip(best_key.tolist(), best_flat.tolist(), strict=True):
        first, second = divmod(flat, n_c)
        cover, good = divmod(key // (2 * n_p + 1), n_p + 1)
        out.append(SessionPair(first, second, cover, good))
    return out, PairSearch(n_c, n_k, bound, len(cols), evaluated)


def assign_sessions(grid: Grid, pair: SessionPair) -> tuple[np.ndarray, np.ndarray]:
    """Which people go to which session: boolean masks ``(to_first, to_second)``.

    A person goes to a session where they are at a sociable hour if there is one, else to one
    they can attend; when both are equally good, to the first.
    """
    F, G = grid.fits, grid.good
    a, b = pair.first, pair.second
    to_first = G[a] | (F[a] & ~G[b])
    to_second = F[b] & ~to_first
    return to_first, to_second
