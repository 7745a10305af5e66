"""App-level scale benchmark: a match run and the pairing pages at growing cohort sizes.

Usage::

    python bench/scale.py                                  # SQLite (a file in the temp dir)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench1 python bench/scale.py
    python bench/scale.py --sizes 250 500 --repeat 3

The database named by ``DATABASE_URL`` is migrated and then **flushed before every size**:
never point it at data you want to keep.  For each size ``N`` (accepted participants, half
experienced with capacity 1–3, half learning) a cohort is seeded through the app's own code:
people, consortia and applications as the demo creates them (``tandem.demo.seed.Seeder``), the
decisions through ``applications.services.decide`` and the capacities through
``partnerships.services.set_role``.  Then, as a coordinator would:

* **run_match**: ``partnerships.services.run_match`` (the whole service: engine input, engine,
  alternatives, stored run and proposals), against **solve**, the engine's own ``solve`` on the
  same input document;
* the **run review** (``partnerships:run``, first page of proposals), the **swap search** (the
  best free learning leads for one proposal: on opening, when the run's cohort is read, and
  while typing a name, when it is cached) and the **pairing home** (``partnerships:home``);
* the **pin search** (``partnerships:people_search``: learning leads whose name contains "a");
* **approve all** and **publish** (the publish task's body: two e-mails per pair and the
  check-in rounds), timed once, then the **participant home** of a published partner, the run
  review and the pairing home again.

Times are wall-clock seconds or milliseconds of the best of ``--repeat`` runs (server time
through Django's test client: URL resolving, middleware, view, template); queries are counted
with ``CaptureQueriesContext``; KiB is the size of the HTML.  Any step whose time or query count
grows faster than the cohort shows in the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings.test")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'tandem-bench-scale.sqlite3'}"
)
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from faker import Faker  # noqa: E402

from tandem.accounts.models import User  # noqa: E402
from tandem.applications.services import decide  # noqa: E402
from tandem.cohorts.models import Cohort, Topic  # noqa: E402
from tandem.cohorts.services import save_cohort  # noqa: E402
from tandem.cohorts.vocabulary import ensure_seed_topics  # noqa: E402
from tandem.demo import seed as demo  # noqa: E402
from tandem.engines.pairing import solve  # noqa: E402
from tandem.partnerships import services as pairing  # noqa: E402
from tandem.partnerships.models import MatchRun, Partnership  # noqa: E402

PASSWORD = "bench-scale"
ONE_DAY = dt.timedelta(days=1)


def seed_cohort(n: int, seed: int = 13) -> tuple[Cohort, User]:
    """``n`` accepted applicants of one cohort (even indices experienced), and the coordinator."""
    rng = random.Random(seed)
    Faker.seed(seed)
    now = timezone.now()
    coordinator = User.objects.create_user(
        "bench-coordinator@example.org",
        PASSWORD,
        name="Bench Coordinator",
        timezone="Europe/Berlin",
        is_coordinator=True,
        is_staff=True,
    )
    ensure_seed_topics(Topic)
    seeder = demo.Seeder(
        rng=rng,
        password_hash=make_password(PASSWORD),
        coordinator=coordinator,
        topics=list(Topic.objects.filter(is_active=True)),
        fakers={},
    )
    today = now.date()
    cohort = save_cohort(
        Cohort(
            name=f"Scale {n}",
            slug=f"scale-{n}",
            timezone="America/Los_Angeles",
            opens_at=now - 60 * ONE_DAY,
            closes_at=now - 30 * ONE_DAY,
            program_start=today + 14 * ONE_DAY,
            program_end=today + 378 * ONE_DAY,
            target_pairs=n // 2,
        ),
        actor=coordinator,
    )
    consortia = demo._members(n, rng)
    for k in range(n):
        org, place = consortia[k]
        experienced = k % 2 == 0
        years = rng.choice([4, 5, 6, 8, 10] if experienced else [0, 1, 1, 2, 3])
        submitted = seeder.submitted_between(cohort.opens_at, cohort.closes_at)
        user = seeder.person(f"lead{k:04d}@scale.example.org", place, submitted - ONE_DAY)
        app = seeder.apply(
            cohort,
            user,
            org,
            place,
            status="submitted",
            submitted_at=submitted,
            years=years,
            preferred_role="experienced" if experienced else "learning",
        )
        decide(app, "accepted", "", actor=coordinator)
        if experienced:
            pairing.set_role(app, "", rng.choice([1, 2, 3]), actor=coordinator)
    return cohort, coordinator


def analyze() -> None:
    """Refresh PostgreSQL's planner statistics after bulk writes (autovacuum would, later)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(fn: Callable[[], Any], repeat: int) -> tuple[float, int, Any]:
    """Best wall time of ``repeat`` calls, the queries of the last one, and its result."""
    best, queries, result = float("inf"), 0, None
    for _ in range(repeat):
        gc.collect()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
        best, queries = min(best, elapsed), len(captured)
    return best, queries, result


def page(
    client: Client, url: str, repeat: int, before: Callable[[], Any] | None = None
) -> dict[str, Any]:
    """Time a GET (after one to warm up templates and caches; ``before`` runs before each)."""
    client.get(url)

    def get():
        if before is not None:
            before()
        return client.get(url)

    seconds, queries, response = measure(get, repeat)
    assert response.status_code == 200, (url, response.status_code)
    return {"ms": seconds * 1000, "queries": queries, "kib": len(response.content) / 1024}


def url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def bench_size(n: int, repeat: int) -> dict[str, Any]:
    call_command("flush", interactive=False, verbosity=0)
    start = time.perf_counter()
    cohort, coordinator = seed_cohort(n)
    row: dict[str, Any] = {"n": n, "seed_s": time.perf_counter() - start}
    analyze()

    run_s, run_q, run = measure(lambda: pairing.run_match(cohort, actor=coordinator), repeat)
    row["run"] = {"s": run_s, "queries": run_q}
    solve_s, _, _ = measure(lambda: solve(run.input), repeat)
    row["solve_s"] = solve_s
    row["pairs"] = run.partnerships.count()

    client = Client()
    client.force_login(coordinator)
    row["run_review"] = page(
        client, reverse("partnerships:run", args=[cohort.slug, run.pk]), repeat
    )
    pair = run.partnerships.order_by("pk").first()
    swap_url = url_or_none("partnerships:swap_search", cohort.slug, pair.pk)
    if swap_url:  # opening "Swap" (the run's cohort read), then typing a name (cached)
        forget = getattr(pairing, "_forget", None)
        row["swap_search"] = page(client, swap_url, repeat, lambda: forget and forget(run.pk))
        row["swap_typing"] = page(client, swap_url + "?q=an", repeat)
    row["home"] = page(client, reverse("partnerships:home", args=[cohort.slug]), repeat)
    people_url = url_or_none("partnerships:people_search", cohort.slug)
    if people_url:
        row["people_search"] = page(client, people_url + "?field=pin_0_l&pin_0_l_q=a", repeat)

    approve_s, approve_q, _ = measure(lambda: pairing.approve_run(run, actor=coordinator), 1)
    row["approve_all"] = {"s": approve_s, "queries": approve_q}
    # What the publish task does (2 e-mails per pair, the check-in rounds).
    publish_s, publish_q, _ = measure(lambda: pairing.publish(cohort, actor=coordinator), 1)
    row["publish"] = {"s": publish_s, "queries": publish_q}

    analyze()
    row["run_review_published"] = page(
        client, reverse("partnerships:run", args=[cohort.slug, run.pk]), repeat
    )
    row["home_published"] = page(client, reverse("partnerships:home", args=[cohort.slug]), repeat)
    published = Partnership.objects.filter(cohort=cohort, status="published").order_by("pk")
    member = published.select_related("learning__applicant").first().learning.applicant
    participant = Client()
    participant.force_login(member)
    row["participant_home"] = page(participant, reverse("home"), repeat)
    assert MatchRun.objects.filter(cohort=cohort).exists()
    return row


COLUMNS = [
    ("run_match s", lambda r: f"**{r['run']['s']:.2f}**"),
    ("queries", lambda r: r["run"]["queries"]),
    ("engine solve s", lambda r: f"{r['solve_s']:.2f}"),
    ("run/solve", lambda r: f"{r['run']['s'] / r['solve_s']:.1f}×"),
    ("run review ms (q, KiB)", lambda r: _page(r, "run_review")),
    ("swap search ms: open, typing (q)", lambda r: _swap(r)),
    ("pairing home ms (q, KiB)", lambda r: _page(r, "home")),
    ("pin search ms (q)", lambda r: _page(r, "people_search", size=False)),
    ("approve all s (q)", lambda r: f"{r['approve_all']['s']:.1f} ({r['approve_all']['queries']})"),
    ("publish task s (q)", lambda r: f"{r['publish']['s']:.1f} ({r['publish']['queries']})"),
    ("run review, published", lambda r: _page(r, "run_review_published")),
    ("pairing home, published", lambda r: _page(r, "home_published")),
    ("participant home", lambda r: _page(r, "participant_home")),
]


def _swap(row: dict[str, Any]) -> str:
    if "swap_search" not in row:
        return "–"
    first, typing = row["swap_search"], row.get("swap_typing", row["swap_search"])
    return f"{first['ms']:.0f}, {typing['ms']:.0f} ({first['queries']})"


def _page(row: dict[str, Any], key: str, size: bool = True) -> str:
    if key not in row:
        return "–"
    p = row[key]
    extra = f", {p['kib']:.0f}" if size else ""
    return f"{p['ms']:.0f} ({p['queries']}{extra})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    call_command("migrate", interactive=False, verbosity=0)
    connection.queries_log = deque(maxlen=10**7)  # count every query of publishing, too
    vendor = connection.vendor
    print(f"# database: {vendor}, best of {args.repeat}", flush=True)
    print("| participants | pairs | " + " | ".join(c for c, _ in COLUMNS) + " |")
    print("|---:|---:|" + "---:|" * len(COLUMNS), flush=True)
    for n in args.sizes:
        row = bench_size(n, args.repeat)
        cells = " | ".join(str(fn(row)) for _, fn in COLUMNS)
        print(f"| {n} | {row['pairs']} | {cells} |", flush=True)
        print(f"<!-- seeded {n} in {row['seed_s']:.0f} s -->", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
