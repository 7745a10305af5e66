"""Rotation of a meeting series: unsociable hours are shared out."""

import itertools

import numpy as np
import pytest

from tandem.scheduling import Grid, rotate, rotate_series
from tandem.scheduling.rotation import pool

pytestmark = pytest.mark.unit

ALL_DAY = [[d, "00:00", "24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
# Three regions 8 hours apart (no DST): every UTC hour is outside 08:00-20:00 somewhere.
REGIONS = {"Africa": "Africa/Abidjan", "Asia": "Asia/Singapore", "Pacific": "Pacific/Pitcairn"}


def series(meetings, people_per_region=2, **extra):
    people = [
        {"id": f"{region.lower()}{k}", "timezone": zone, "availability": ALL_DAY}
        for region, zone in REGIONS.items()
        for k in range(people_per_region)
    ]
    return {
        "participants": people,
        "settings": {
            "from": "2024-05-06",
            "to": "2024-05-06",
            "duration_minutes": 60,
            "meetings": meetings,
            **extra,
        },
    }


def test_three_regions_three_meetings_nobody_gets_the_unsociable_slot_twice():
    result = rotate(series(3))
    assert result["max_unsociable"] == 1
    assert set(result["unsociable_counts"].values()) == {1}
    assert set(result["missed_counts"].values()) == {0}
    assert {r: c["unsociable"] for r, c in result["region_counts"].items()} == {
        "Africa": 2,
        "Asia": 2,
        "Pacific": 2,
    }
    unsociable_regions = []
    for m in result["meetings"]:
        assert m["attending"] == 6 and m["pool"] == 96
        regions = {r for r, c in m["regions"].items() if c["outside_sociable"]}
        assert len(regions) == 1  # the best a single slot can do
        unsociable_regions.append(regions.pop())
    assert sorted(unsociable_regions) == ["Africa", "Asia", "Pacific"]


def test_six_meetings_two_each():
    result = rotate(series(6))
    assert set(result["unsociable_counts"].values()) == {2}


def test_without_rotation_the_same_region_would_pay_every_time():
    """The best single slot (ties: earliest) is unsociable for the same region each time."""
    from tandem.scheduling import find_slots

    best = find_slots(series(3))["slots"][0]
    assert len(best["outside_sociable_ids"]) == 2  # one region; rotation spreads it


def test_meeting_ranges_and_tolerance():
    data = series(
        [{"from": "2024-05-06", "to": "2024-05-06"}, {"from": "2024-08-05", "to": "2024-08-06"}],
        coverage_tolerance=0.5,
    )
    del data["settings"]["from"], data["settings"]["to"]
    result = rotate(data)
    first, second = result["meetings"]
    assert (first["from"], first["to"]) == ("2024-05-06", "2024-05-06")
    assert first["start_utc"].startswith("2024-05-06")
    assert second["start_utc"][:10] in {"2024-08-05", "2024-08-06"}
    assert result["settings"]["meetings"] == 2
    assert result["max_unsociable"] == 1


def test_pool_respects_coverage_first():
    fits = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=bool)
    soc = np.array([[0, 1, 1], [1, 1, 1], [1, 1, 1]], dtype=bool)
    grid = Grid(np.arange(3, dtype=np.int64) * 900, 900, fits, soc)
    assert pool(grid, 0.0).tolist() == [0]
    assert pool(grid, 0.34).tolist() == [0, 1]
    rot = rotate_series([grid, grid], 0.0)
    assert rot.chosen == (0, 0) and rot.unsociable.tolist() == [2, 0, 0]
    rot = rotate_series([grid, grid], 0.34)  # trades one attendee for sociable hours
    assert rot.chosen == (1, 1) and rot.objective == (0, 0)
    assert rot.missed.tolist() == [0, 0, 2]


def test_result_is_one_opt_and_matches_brute_force_on_small_series():
    rng = np.random.default_rng(5)
    for _ in range(20):
        fits = np.ones((5, 6), dtype=bool)
        soc = rng.random((5, 6)) < 0.5
        grid = Grid(np.arange(5, dtype=np.int64) * 900, 900, fits, soc)
        rot = rotate_series([grid] * 3)
        u = (fits & ~soc).astype(int)

        def phi(choice, u=u):
            n = sum(u[c] for c in choice)
            return int(n.max()), int((n * n).sum())

        assert rot.objective == phi(rot.chosen)
        for m in range(3):  # no single move improves
            for c in range(5):
                alt = list(rot.chosen)
                alt[m] = c
                assert phi(alt) >= rot.objective
        best = min(phi(ch) for ch in itertools.product(range(5), repeat=3))
        assert rot.objective[0] <= best[0] + 1
