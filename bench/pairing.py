"""Benchmark of the pairing engine on synthetic cohorts.

Usage::

    python bench/pairing.py                    # sizes 50 200 1000 2000 per side
    python bench/pairing.py --sizes 50 200 --repeat 3 --seed 1

For each size ``n`` (participants per side) a cohort is generated with a seeded RNG, then:

* **score**: ``evaluate(parse_problem(data))`` -- validation, DST-exact weekly overlap over
  the 53 ISO weeks of a one-year period, all hard constraints and all ``n x n`` scores;
* **overlap**: the weekly-overlap part of *score* on its own;
* **solve**: the lexicographic optimum (``optimal_assignment``);
* **explain**: reasons for every pair, ``why`` for the unmatched and the stability report;
* **peak MiB**: ``tracemalloc`` peak of score + solve (numpy buffers included), measured in a
  separate run so that tracing does not inflate the timings.

Times are the best of ``--repeat`` runs.  The quality table compares the optimum with a greedy
coordinator (GAP first, best available lead) and with learning-proposing Gale-Shapley.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tandem.engines.pairing import evaluate, optimal_assignment, parse_problem  # noqa: E402
from tandem.engines.pairing.api import solution_dict  # noqa: E402
from tandem.engines.pairing.baselines import gale_shapley, greedy_assignment  # noqa: E402
from tandem.engines.pairing.stability import blocking_mask  # noqa: E402
from tandem.engines.timewindows import weekly_overlap_matrix  # noqa: E402

ZONES = {  # zone -> relative weight (a DataCite-like spread, GAP regions well represented)
    "Europe/Berlin": 8, "Europe/London": 5, "Europe/Madrid": 3, "Europe/Helsinki": 2,
    "Europe/Istanbul": 1, "Africa/Nairobi": 4, "Africa/Lagos": 3, "Africa/Johannesburg": 3,
    "Africa/Cairo": 2, "Africa/Accra": 2, "Asia/Kolkata": 4, "Asia/Kathmandu": 1,
    "Asia/Dhaka": 1, "Asia/Jakarta": 2, "Asia/Manila": 1, "Asia/Tokyo": 2, "Asia/Seoul": 1,
    "Asia/Shanghai": 2, "Asia/Dubai": 1, "Asia/Tehran": 1, "Australia/Sydney": 3,
    "Australia/Lord_Howe": 1, "Pacific/Auckland": 1, "America/New_York": 6,
    "America/Chicago": 2, "America/Los_Angeles": 3, "America/Halifax": 1,
    "America/Mexico_City": 2, "America/Bogota": 2, "America/Lima": 1, "America/Sao_Paulo": 3,
    "America/Santiago": 1, "America/Argentina/Buenos_Aires": 2,
}  # fmt: skip
LANGUAGES = {"en": 0.9, "es": 0.3, "fr": 0.2, "pt": 0.12, "de": 0.1, "ar": 0.06, "zh": 0.05}
TOPICS = [
    "metadata-quality", "doi-registration", "consortium-governance", "outreach", "training",
    "pid-graph", "api-integration", "research-software", "data-citation", "fee-models",
    "member-support", "repository-workflows",
]  # fmt: skip
VERBS = ["build", "grow", "strengthen", "launch", "improve", "share", "document", "scale"]
THINGS = [
    "metadata quality workflows", "community outreach", "training programme",
    "consortium governance", "DOI registration services", "member onboarding",
    "PID graph adoption", "sustainable fee models", "repository integrations",
    "data citation practice", "national research infrastructure", "regional partnerships",
]  # fmt: skip
DAYS = ["mon", "tue", "wed", "thu", "fri"]


def _windows(rng: np.random.Generator) -> list[list[str]]:
    out = []
    for _ in range(int(rng.integers(2, 5))):
        start = int(rng.integers(16, 34)) * 30  # 08:00 .. 16:30 local
        end = min(start + int(rng.integers(2, 9)) * 30, 1440)
        out.append([DAYS[int(rng.integers(5))], f"{start // 60:02d}:{start % 60:02d}",
                    f"{end // 60:02d}:{end % 60:02d}"])  # fmt: skip
    return out


def _person(rng: np.random.Generator, pid: str, role: str, n_orgs: int) -> dict[str, Any]:
    zones, weights = list(ZONES), np.array(list(ZONES.values()), dtype=float)
    langs = {c: int(rng.choice([1, 2, 3], p=[0.15, 0.4, 0.45]))
             for c, p in LANGUAGES.items() if rng.random() < p}  # fmt: skip
    if not langs:
        langs = {"en": 2}
    k = int(rng.integers(3, 7)) if role == "experienced" else int(rng.integers(0, 4))
    levels = [1, 2, 3] if role == "experienced" else [0, 1, 2]
    skew = [0.15, 0.35, 0.5] if role == "experienced" else [0.5, 0.35, 0.15]
    expertise = {str(t): int(rng.choice(levels, p=skew)) for t in rng.choice(TOPICS, k, False)}
    goals = [f"{rng.choice(VERBS)} {rng.choice(THINGS)}" for _ in range(int(rng.integers(1, 3)))]
    person = {
        "id": pid,
        "organization": f"org-{int(rng.integers(n_orgs))}",
        "timezone": str(rng.choice(zones, p=weights / weights.sum())),
        "languages": langs,
        "expertise": expertise,
        "goals": goals,
        "availability": _windows(rng),
        "gap": bool(rng.random() < (0.2 if role == "experienced" else 0.45)),
    }
    if role == "experienced":
        person["capacity"] = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
    else:
        person["needs"] = [str(t) for t in rng.choice(TOPICS, int(rng.integers(1, 4)), False)]
        person["challenges"] = [
            f"we struggle with {rng.choice(THINGS)}" for _ in range(int(rng.integers(0, 3)))
        ]
    return person


def synthetic(n: int, seed: int, dense: bool = False) -> dict[str, Any]:
    """A cohort with ``n`` experienced and ``n`` learning leads (deterministic in ``seed``).

    ``dense``: everyone speaks English fluently and there is no minimum overlap, so almost
    every pair of different organisations is feasible -- the worst case for the solver.
    """
    rng = np.random.default_rng(seed)
    n_orgs = max(3, (2 * n) // 3)
    data = {
        "experienced": [_person(rng, f"e{k:05d}", "experienced", n_orgs) for k in range(n)],
        "learning": [_person(rng, f"l{k:05d}", "learning", n_orgs) for k in range(n)],
        "forbidden": [],
        "pinned": [],
        "settings": {"period": ["2024-06-01", "2025-05-31"], "min_overlap_hours": 2},
    }
    if dense:
        data["settings"]["min_overlap_hours"] = 0
        for person in (*data["experienced"], *data["learning"]):
            person["languages"]["en"] = 3
    return data


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _peak_mib(data: dict[str, Any]) -> float:
    gc.collect()
    tracemalloc.start()
    ev = evaluate(parse_problem(data))
    optimal_assignment(ev)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def run(sizes: list[int], seed: int, repeat: int) -> None:
    perf, quality = [], []
    for scenario, n in [(s, n) for s in ("realistic", "dense") for n in sizes]:
        data = synthetic(n, seed + n, dense=scenario == "dense")
        reps = repeat if n <= 1000 else 1
        t_score, ev = _best(lambda d=data: evaluate(parse_problem(d)), reps)
        problem = ev.problem
        t_overlap, _ = _best(
            lambda p=problem: weekly_overlap_matrix(
                [e.availability for e in p.experienced],
                [lrn.availability for lrn in p.learning],
                p.settings.weeks,
            ),
            reps,
        )
        t_solve, best = _best(lambda e=ev: optimal_assignment(e), reps)
        t_explain, _ = _best(lambda e=ev, a=best: solution_dict(e, a), 1)
        perf.append(
            (scenario, n, int(ev.feasible.sum()), t_overlap, t_score, t_solve, t_score + t_solve,
             t_explain, _peak_mib(data))
        )  # fmt: skip
        gap_total = sum(1 for lrn in problem.learning if lrn.gap)
        for name, method in (
            ("optimal", optimal_assignment),
            ("greedy", greedy_assignment),
            ("gale-shapley", gale_shapley),
        ):
            t_m, a = _best(lambda e=ev, m=method: m(e), 1)
            quality.append(
                (scenario, n, name, len(a.pairs), a.total_score(ev), a.gap_matched(ev), gap_total,
                 int(blocking_mask(ev, a.pairs).sum()), t_m)
            )  # fmt: skip
        print(f"done {scenario} n={n}", file=sys.stderr, flush=True)

    print(f"seed {seed}; {os.cpu_count()} CPUs; numpy {np.__version__}; best of {repeat}")
    print()
    print("| cohort | n per side | feasible pairs | overlap s | score s | solve s "
          "| score+solve s | explain s | peak MiB |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for sc, n, feas, t_ov, t_sc, t_so, t_tot, t_ex, mib in perf:
        print(f"| {sc} | {n} | {feas} | {t_ov:.3f} | {t_sc:.3f} | {t_so:.3f} "
              f"| **{t_tot:.3f}** | {t_ex:.3f} | {mib:.0f} |")  # fmt: skip
    print()
    print("| cohort | n per side | method | pairs | total score | GAP matched | blocking pairs "
          "| time s |")  # fmt: skip
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for sc, n, name, pairs, total, gap, gap_total, blocking, t_m in quality:
        print(f"| {sc} | {n} | {name} | {pairs} | {total:.2f} | {gap}/{gap_total} "
              f"| {blocking} | {t_m:.3f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 1000, 2000])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run(args.sizes, args.seed, args.repeat)


if __name__ == "__main__":
    main()
