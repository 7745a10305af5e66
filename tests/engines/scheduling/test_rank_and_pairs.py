"""Ranking of single slots and the exact two-session search (against brute force)."""

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.engines.scheduling import (
    Grid,
    assign_sessions,
    best_pairs,
    build_grid,
    find_slots,
    parse_problem,
)
from tandem.engines.scheduling import pairs as pairs_module

from . import reference

pytestmark = pytest.mark.unit


def doc(people, first="2024-05-06", last="2024-05-06", duration=60, **extra):
    return {
        "participants": people,
        "settings": {"from": first, "to": last, "duration_minutes": duration, **extra},
    }


def test_ties_go_to_fewest_people_outside_sociable_hours():
    people = [
        {"id": "a", "timezone": "UTC", "availability": [["mon", "07:00", "09:00"]]},
        {"id": "b", "timezone": "UTC"},  # fallback 07:00-21:00
    ]
    slots = find_slots(doc(people, top=20))["slots"]
    assert slots[0]["start_utc"] == "2024-05-06T08:00:00Z"
    assert slots[0]["attending"] == 2 and slots[0]["outside_sociable"] == 0
    assert [s["start_utc"][11:16] for s in slots[1:5]] == ["07:00", "07:15", "07:30", "07:45"]
    assert all(s["outside_sociable"] == 2 for s in slots[1:5])
    assert slots[1]["outside_sociable_ids"] == ["a", "b"]
    assert slots[5]["attending"] == 1 and slots[5]["outside_sociable"] == 0


def test_ties_on_both_keys_go_to_the_earliest_start_and_output_is_deterministic():
    people = [
        {"id": f"p{k}", "timezone": tz}
        for k, tz in enumerate(
            [
                "Europe/Berlin",
                "America/Bogota",
                "Asia/Kathmandu",
                "Australia/Lord_Howe",
                "Pacific/Chatham",
            ]
        )
    ]
    data = doc(people, "2024-03-29", "2024-04-08", sessions=2, top=5)
    first = find_slots(data)
    shuffled = dict(data, participants=random.Random(3).sample(people, len(people)))
    assert find_slots(shuffled) == first
    keys = [(-s["attending"], s["outside_sociable"], s["start_utc"]) for s in first["slots"]]
    assert keys == sorted(keys)


def test_two_sessions_cover_everyone_when_no_single_slot_does():
    people = [
        {"id": "tokyo", "timezone": "Asia/Tokyo", "availability": [["tue", "09:00", "11:00"]]},
        {"id": "sydney", "timezone": "Australia/Sydney"},
        {"id": "lima", "timezone": "America/Lima", "availability": [["mon", "14:00", "17:00"]]},
        {"id": "nyc", "timezone": "America/New_York", "availability": [["mon", "15:00", "18:00"]]},
        {"id": "paris", "timezone": "Europe/Paris", "availability": [["mon", "20:00", "22:00"]]},
    ]
    result = find_slots(doc(people, "2024-05-06", "2024-05-07", sessions=2, top=3))
    assert result["best_attendance"] < 5 and not result["everyone_fits"]
    best = result["pairs"][0]
    assert best["covered"] == 5 and best["uncovered"] == []
    first, second = best["sessions"]
    assert first["start_utc"] < second["start_utc"]
    assert sorted(first["attendees"] + second["attendees"]) == sorted(p["id"] for p in people)
    assert not set(first["attendees"]) & set(second["attendees"])
    assert best["outside_sociable"] == first["outside_sociable"] + second["outside_sociable"]
    for session in best["sessions"]:
        assert set(session["local_start"]) == set(session["attendees"])
    assert result["pair_search"]["kept_after_pruning"] <= result["pair_search"]["candidates"]
    assert first["start_utc"] == "2024-05-06T19:00:00Z"  # Lima 14:00, NYC 15:00, Paris 21:00
    assert sorted(first["attendees"]) == ["lima", "nyc", "paris"]
    assert first["outside_sociable_ids"] == ["paris"]
    assert second["start_utc"] == "2024-05-07T00:00:00Z"  # Tokyo 09:00, Sydney 10:00
    assert second["local_start"]["sydney"] == "2024-05-07T10:00:00+10:00"


def test_sessions_do_not_overlap_in_time():
    people = [
        {"id": "u", "timezone": "UTC", "availability": [["mon", "10:00", "11:00"]]},
        {"id": "v", "timezone": "UTC", "availability": [["mon", "10:30", "11:30"]]},
    ]
    result = find_slots(doc(people, sessions=2, top=50))
    # 10:00 and 10:30 would cover both but overlap: no pair serves both.
    assert {p["covered"] for p in result["pairs"]} == {1}
    for pair in result["pairs"]:
        first, second = pair["sessions"]
        assert first["end_utc"] <= second["start_utc"]


def _grid(fits, soc, step, duration):
    return Grid(
        starts=np.arange(fits.shape[0], dtype=np.int64) * step,
        duration=duration,
        fits=fits,
        sociable=soc,
    )


def _brute(grid, top):
    f = [set(np.flatnonzero(r).tolist()) for r in grid.fits]
    g = [set(np.flatnonzero(r).tolist()) for r in grid.good]
    return reference.pair_ranking(f, g, grid.starts.tolist(), grid.duration, top)


@settings(max_examples=50, deadline=None)
@given(
    n_c=st.integers(2, 24),
    n_p=st.integers(1, 12),
    density=st.floats(0.05, 0.9),
    gap=st.integers(1, 4),
    top=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
    small_blocks=st.booleans(),
)
def test_best_pairs_equal_brute_force(n_c, n_p, density, gap, top, seed, small_blocks):
    rng = np.random.default_rng(seed)
    fits = rng.random((n_c, n_p)) < density
    if n_p > 2:
        fits[:, :2] = fits[:, [0]]  # identical columns exercise the weighting
    soc = rng.random((n_c, n_p)) < 0.6
    grid = _grid(fits, soc, 900, 900 * gap)
    old = pairs_module._BLOCK
    pairs_module._BLOCK = 7 if small_blocks else old
    try:
        got, search = best_pairs(grid, top)
    finally:
        pairs_module._BLOCK = old
    want = _brute(grid, top)
    assert [(p.first, p.second, p.cover, p.good) for p in got] == want
    assert search.kept <= n_c
    for p in got:
        to_a, to_b = assign_sessions(grid, p)
        assert not (to_a & to_b).any()
        assert int((to_a | to_b).sum()) == p.cover
        unsoc = (to_a & ~grid.good[p.first]).sum() + (to_b & ~grid.good[p.second]).sum()
        assert int(unsoc) == p.unsociable


def test_pruning_keeps_the_optimum_on_a_real_instance():
    rng = random.Random(7)
    zones = [
        "Europe/Berlin",
        "America/New_York",
        "Asia/Tokyo",
        "Africa/Nairobi",
        "America/Sao_Paulo",
        "Asia/Kolkata",
        "Australia/Sydney",
    ]
    people = []
    for k in range(40):
        start = rng.randrange(8, 16)
        people.append(
            {
                "id": f"p{k:02d}",
                "timezone": rng.choice(zones),
                "availability": [
                    [
                        rng.choice(["mon", "tue"]),
                        f"{start:02d}:00",
                        f"{start + rng.randrange(1, 5):02d}:00",
                    ]
                ],
            }
        )
    problem = parse_problem(doc(people, "2024-05-06", "2024-05-07", step_minutes=60))
    grid = build_grid(problem)
    got, search = best_pairs(grid, 5)
    assert search.kept < search.candidates  # the bound did prune
    assert [(p.first, p.second, p.cover, p.good) for p in got] == _brute(grid, 5)
