"""Large-cohort entry points: each person's best partners as the top k of the score matrix, and
a few pairs scored exactly as in the whole cohort, without writing every pair's reasons."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.engines.pairing import (
    STAGES,
    PairingInputError,
    cohort_corpus,
    score,
    score_pairs,
    solve,
)
from tandem.engines.pairing import top_alternatives as alternatives
from tandem.engines.pairing.alternatives import top_k

from .factories import experienced, instance, instances, learning

pytestmark = pytest.mark.unit
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def from_score_list(data, k):
    """The reference: each person's first ``k`` pairs of ``score``'s full list."""
    best: dict[str, list[dict]] = {}
    for pair in score(data)["pairs"]:
        for me, other in (
            (pair["experienced"], pair["learning"]),
            (pair["learning"], pair["experienced"]),
        ):
            mine = best.setdefault(me, [])
            if len(mine) < k:
                mine.append(
                    {"id": other, "score": pair["score"], "overlap_hours": pair["overlap_hours"]}
                )
    return best


@FAST
@given(instances(max_e=4, max_l=6), st.integers(1, 7))
def test_top_alternatives_are_the_first_k_of_the_full_score_list(data, k):
    assert alternatives(data, k) == from_score_list(data, k)


def test_ties_are_broken_by_id_like_the_score_list():
    """Identical learners score identically: the order is by id, also across the k-th place."""
    exp = [experienced("e1", capacity=3), experienced("e2", capacity=3)]
    learn = [learning(f"l{k}") for k in (4, 1, 3, 2)]
    data = instance(exp, learn)
    best = alternatives(data, 2)
    assert [x["id"] for x in best["e1"]] == ["l1", "l2"]
    assert [x["id"] for x in best["l3"]] == ["e1", "e2"]
    assert best == from_score_list(data, 2)


def test_top_k_keeps_only_the_mask_and_orders_by_value_then_column():
    values = np.array([[0.5, 0.9, 0.5, 0.1], [0.2, 0.2, 0.2, 0.2], [0.3, 0.8, 0.7, 0.6]])
    mask = np.array([[1, 0, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0]], dtype=bool)
    rows, cols = top_k(values, mask, 2)
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == [(0, 0), (0, 2), (1, 0), (1, 1)]
    rows, cols = top_k(values, mask, 9)  # k above the row length: every masked entry
    assert rows.size == int(mask.sum())
    assert top_k(values[:0], mask[:0], 3)[0].size == 0


def test_solve_returns_the_alternatives_of_the_same_evaluation_and_reports_its_stages():
    data = instance(
        [experienced("e1", capacity=2), experienced("e2")],
        [learning("l1", gap=True), learning("l2"), learning("l3", languages={"fr": 3})],
    )
    stages = []
    out = solve(data, alternatives=3, progress=stages.append)
    assert stages == list(STAGES)
    assert out["alternatives"] == alternatives(data, 3)
    assert "l3" not in out["alternatives"]  # no feasible partner: not listed
    plain = solve(data)
    assert "alternatives" not in plain
    assert plain["pairs"] == out["pairs"] and plain["stats"] == out["stats"]


def without_fixed_marks(reasons):
    return [r for r in reasons if r["code"] not in ("pinned", "kept")]


@FAST
@given(instances(max_e=4, max_l=6), st.randoms(use_true_random=False))
def test_score_pairs_scores_a_few_pairs_exactly_as_the_whole_cohort(data, rnd):
    everything = {(p["experienced"], p["learning"]): p for p in score(data)["pairs"]}
    pairs = [
        [e["id"], lrn["id"]]
        for e in data["experienced"]
        for lrn in data["learning"]
        if rnd.random() < 0.5
    ]
    got = score_pairs(data, pairs)
    assert len(got) == len(pairs)
    for (e_id, l_id), pair in zip(pairs, got, strict=True):
        expected = everything.get((e_id, l_id))  # score() lists the feasible pairs
        if expected is None:
            assert pair is None
            continue
        assert pair["score"] == expected["score"]  # exactly: same vocabulary and frequencies
        assert pair["overlap_hours"] == expected["overlap_hours"]
        assert pair["reasons"] == without_fixed_marks(expected["reasons"])
    assert score_pairs(data, pairs, corpus=cohort_corpus(data)) == got  # computed once, reused
    ranked = score_pairs(data, pairs, reasons=False)
    assert [p and p["score"] for p in ranked] == [p and p["score"] for p in got]
    assert all("reasons" not in p for p in ranked if p)


def test_score_pairs_refuses_unknown_ids_and_answers_infeasible_pairs_with_none():
    data = instance([experienced("e1")], [learning("l1"), learning("l2", organization="org-e1")])
    assert score_pairs(data, []) == []
    one, same_org = score_pairs(data, [["e1", "l1"], ["e1", "l2"]])
    assert one["score"] > 0 and same_org is None
    with pytest.raises(PairingInputError, match="unknown learning id 'l9'"):
        score_pairs(data, [["e1", "l9"]])
    with pytest.raises(PairingInputError, match="unknown experienced id 'e9'"):
        score_pairs(data, [["e9", "l1"]])
    with pytest.raises(PairingInputError, match="unknown learning id 'l9'"):
        score_pairs(data, [["e1", "l9"]], corpus=cohort_corpus(data))
