"""Benchmark of the scheduling engine: 2000 participants over two weeks.

Usage::

    python bench/scheduling.py                         # 2000 participants, 14 days
    python bench/scheduling.py --sizes 500 2000 --days 14 --repeat 3 --seed 1

For each size ``n`` and scenario a cohort is generated with a seeded RNG:

* **realistic**: zones spread like DataCite's membership; 70 % state 2-4 weekday windows of
  1-4 h in local office hours, 30 % state nothing (fallback 07:00-21:00);
* **fallback**: nobody states availability (everyone 07:00-21:00): the widest windows, the
  largest candidate set left after pruning -- the hard case for two sessions.

Then, over ``--days`` days with a 60-minute meeting on the 15-minute grid:

* **grid**: parsing + DST-exact attendance and sociable matrices (``C x P``);
* **slots (1 session)**: ``find_slots`` end to end, top 10 with every local time;
* **slots (2 sessions)**: ``find_slots`` with ``sessions = 2`` end to end (exact best pairs);
* **pairs**: the pair search on its own (``best_pairs``), with the pruning statistics;
* **rotate**: ``rotate`` with 4 meetings;
* **peak MiB**: ``tracemalloc`` peak of each end-to-end call (numpy buffers included),
  measured in a separate run so that tracing does not inflate the timings.

Times are the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tandem.engines.scheduling import best_pairs, build_grid, find_slots, parse_problem, rotate  # noqa: E402

ZONES = {
    "Europe/Berlin": 8, "Europe/London": 5, "Europe/Madrid": 3, "Europe/Helsinki": 2,
    "Europe/Istanbul": 1, "Africa/Nairobi": 4, "Africa/Lagos": 3, "Africa/Johannesburg": 3,
    "Africa/Cairo": 2, "Africa/Accra": 2, "Asia/Kolkata": 4, "Asia/Kathmandu": 1,
    "Asia/Dhaka": 1, "Asia/Jakarta": 2, "Asia/Manila": 1, "Asia/Tokyo": 2, "Asia/Seoul": 1,
    "Asia/Shanghai": 2, "Asia/Dubai": 1, "Asia/Tehran": 1, "Australia/Sydney": 3,
    "Australia/Lord_Howe": 1, "Pacific/Auckland": 1, "Pacific/Chatham": 1,
    "America/New_York": 6, "America/Chicago": 2, "America/Los_Angeles": 3,
    "America/Halifax": 1, "America/Mexico_City": 2, "America/Bogota": 2, "America/Lima": 1,
    "America/Sao_Paulo": 3, "America/Santiago": 1, "America/Argentina/Buenos_Aires": 2,
}  # fmt: skip
DAYS = ["mon", "tue", "wed", "thu", "fri"]


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def synthetic(n: int, seed: int, first: date, days: int, scenario: str) -> dict[str, Any]:
    """``n`` participants (deterministic in ``seed``)."""
    rng = np.random.default_rng(seed)
    zones, weights = list(ZONES), np.array(list(ZONES.values()), dtype=float)
    people = []
    for k in range(n):
        person: dict[str, Any] = {
            "id": f"p{k:05d}",
            "timezone": str(rng.choice(zones, p=weights / weights.sum())),
        }
        if scenario == "realistic" and rng.random() < 0.7:
            windows = []
            for _ in range(int(rng.integers(2, 5))):
                start = int(rng.integers(14, 34)) * 30  # 07:00 .. 16:30 local
                end = min(start + int(rng.integers(2, 9)) * 30, 1440)
                windows.append([DAYS[int(rng.integers(5))], _hhmm(start), _hhmm(end)])
            person["availability"] = windows
        people.append(person)
    last = first + timedelta(days=days - 1)
    return {
        "participants": people,
        "settings": {
            "from": first.isoformat(),
            "to": last.isoformat(),
            "duration_minutes": 60,
            "sessions": 1,
            "top": 10,
        },
    }


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _peak_mib(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def run(sizes: list[int], days: int, seed: int, repeat: int, first: date) -> None:
    rows = []
    for scenario in ("realistic", "fallback"):
        for n in sizes:
            one = synthetic(n, seed + n, first, days, scenario)
            two = {**one, "settings": {**one["settings"], "sessions": 2}}
            series = {**one, "settings": {**one["settings"], "meetings": 4}}
            problem = parse_problem(one)
            t_grid, grid = _best(lambda p=problem: build_grid(p), repeat)
            t_one, res1 = _best(lambda d=one: find_slots(d), repeat)
            t_two, res2 = _best(lambda d=two: find_slots(d), repeat)
            t_pairs, (_, search) = _best(lambda g=grid: best_pairs(g, 10), repeat)
            t_rot, _ = _best(lambda d=series: rotate(d), repeat)
            rows.append(
                (scenario, n, len(grid.starts), res1["best_attendance"],
                 res2["pairs"][0]["covered"] if res2["pairs"] else 0, search.kept,
                 search.evaluated, t_grid, t_one, t_two, t_pairs, t_rot,
                 _peak_mib(lambda d=one: find_slots(d)), _peak_mib(lambda d=two: find_slots(d)),
                 _peak_mib(lambda d=series: rotate(d)))
            )  # fmt: skip
            print(f"done {scenario} n={n}", file=sys.stderr, flush=True)

    print(
        f"seed {seed}; {days} days from {first}; 60-minute meetings, 15-minute grid; "
        f"{os.cpu_count()} CPUs; numpy {np.__version__}; best of {repeat}"
    )
    print()
    print("| cohort | n | candidates | best single | best pair | kept after pruning "
          "| pairs evaluated | grid s | slots 1 session s | slots 2 sessions s | pairs s "
          "| rotate (4) s | peak MiB 1 / 2 / rotate |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for sc, n, c, b1, b2, kept, ev, tg, t1, t2, tp, tr, m1, m2, mr in rows:
        print(
            f"| {sc} | {n} | {c} | {b1} | {b2} | {kept} | {ev} | {tg:.3f} | **{t1:.3f}** "
            f"| **{t2:.3f}** | {tp:.3f} | {tr:.3f} | {m1:.0f} / {m2:.0f} / {mr:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000])
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--from", dest="first", default="2024-03-04",
                        help="first date (default spans the US DST change)")  # fmt: skip
    args = parser.parse_args()
    run(args.sizes, args.days, args.seed, args.repeat, date.fromisoformat(args.first))


if __name__ == "__main__":
    main()
