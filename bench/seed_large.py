"""A large cohort with a programme under way, for the load benchmark (not a benchmark itself).

The people, consortia and accepted applications come from ``bench/scale.py``'s
:func:`seed_cohort` (the app's own code: the demo's ``Seeder``, ``applications.services.decide``,
``partnerships.services.set_role``), so both benchmarks measure the same data. On top of it,
as a coordinator and the participants would have done it:

* the programme moved to its second quarter today (``tandem.demo.seed.current_programme``);
* a match run, all of it approved and published (``partnerships.services.run_match``,
  ``approve_run``, ``publish``; meetings creates the check-in rounds from ``pairs_published``);
* the first round of check-ins logged by most pairs (``meetings.services.log``).

So participant homes have a partner and check-ins, and the coordinator pages have a full
cohort behind them. From Python (Django set up)::

    from seed_large import seed_large
    info = seed_large(2000)   # the cohort scale-2000; reused if it is already there

Command line (what ``bench/load.py`` runs; it refuses to run without ``--database-url``, so it
never writes into the project's own database)::

    DJANGO_SETTINGS_MODULE=tandem.settings.production SECRET_KEY=… \\
        python bench/seed_large.py --database-url postgres://…/tandem_load --json info.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path


def _say(message: str) -> None:
    print(f"[seed] {message}", file=sys.stderr, flush=True)


def summary(cohort, password: str) -> dict:
    """What a load test needs: addresses, the published run, people to sign in as."""
    from tandem.accounts.models import User
    from tandem.partnerships.models import MatchRun, Partnership

    run = MatchRun.objects.filter(cohort=cohort).order_by("-pk").first()
    pairs = Partnership.objects.filter(cohort=cohort, status=Partnership.Status.PUBLISHED)
    participants = [
        email
        for pair in pairs.select_related("experienced", "learning").order_by("pk")
        for email in (pair.experienced.applicant.email, pair.learning.applicant.email)
    ]
    coordinators = list(
        User.objects.filter(is_coordinator=True, is_superuser=False)
        .order_by("pk")
        .values_list("email", flat=True)
    )
    return {
        "cohort": cohort.slug,
        "run": run.pk if run else None,
        "password": password,
        "coordinators": coordinators,
        "participants": participants,
        "accepted": cohort.applications.filter(status="accepted").count(),
        "published_pairs": pairs.count(),
    }


def seed_large(n: int = 2000, *, seed_value: int = 2000, log_first_round: float = 0.85) -> dict:
    """Seed (or find) the cohort ``scale-<n>`` with its programme under way; returns
    :func:`summary`."""
    from django.db import connection
    from django.utils import timezone
    from scale import PASSWORD, seed_cohort

    from tandem.cohorts.models import Cohort
    from tandem.demo.seed import PROGRESS, current_programme
    from tandem.meetings.models import CheckIn
    from tandem.meetings.services import log, sync_checkins
    from tandem.partnerships import services as pairing
    from tandem.partnerships.models import Partnership

    existing = Cohort.objects.filter(slug=f"scale-{n}").first()
    if existing is not None and existing.match_runs.exists():
        _say(f"cohort {existing.slug} is there: reused")
        return summary(existing, PASSWORD)
    if existing is not None:
        raise SystemExit(f"cohort {existing.slug} is half seeded: drop the database (--reseed)")

    rng = random.Random(seed_value)
    step = time.perf_counter()

    def done(what: str) -> None:
        nonlocal step
        _say(f"{what}: {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()

    cohort, coordinator = seed_cohort(n)
    done(f"{n} people, consortia, applications accepted (scale.seed_cohort)")

    today = timezone.now().date()
    start, end = current_programme(today)
    closes = dt.datetime.combine(start - dt.timedelta(days=60), dt.time(23, 59), tzinfo=dt.UTC)
    Cohort.objects.filter(pk=cohort.pk).update(
        opens_at=closes - dt.timedelta(days=56),
        closes_at=closes,
        program_start=start,
        program_end=end,
        checkin_cadence_months=3,
    )
    cohort.refresh_from_db()

    run = pairing.run_match(cohort, actor=coordinator, min_overlap_hours=1.0)
    done(f"run_match ({run.partnerships.count()} proposed pairs)")
    approved, problems = pairing.approve_run(run, actor=coordinator)
    done(f"approve_run ({approved} approved, {len(problems)} refused)")
    pairing.publish(cohort, actor=coordinator, notify=False)
    # Published three weeks before the programme began, as a coordinator would have: every
    # round gets its check-in (the receiver skipped the rounds already over today).
    Partnership.objects.filter(cohort=cohort, status=Partnership.Status.PUBLISHED).update(
        published_at=dt.datetime.combine(start - dt.timedelta(days=21), dt.time(15), tzinfo=dt.UTC)
    )
    sync_checkins(cohort)
    done("publish and check-in rounds")

    past = (
        CheckIn.objects.filter(partnership__cohort=cohort, due_date__lt=today)
        .select_related("partnership__experienced__applicant", "partnership__learning__applicant")
        .order_by("pk")
    )
    logged = 0
    for checkin in past:
        if rng.random() >= log_first_round:
            continue
        pair = checkin.partnership
        author = rng.choice([pair.experienced, pair.learning]).applicant
        log(
            checkin,
            author,
            held_on=checkin.due_date - dt.timedelta(days=rng.randint(3, 40)),
            progress=rng.choice(PROGRESS),
            challenges="",
            next_steps="Prepare the next quarter's actions.",
            rating=rng.randint(3, 5),
        )
        logged += 1
    done(f"{logged} past check-ins logged")
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: the planner's statistics of the new rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        done("ANALYZE")
    return summary(cohort, PASSWORD)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a scratch database")
    parser.add_argument("--participants", type=int, default=2000, help="half of them experienced")
    parser.add_argument("--json", type=Path, help="write the summary here (default: stdout)")
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings.dev")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    info = seed_large(args.participants)
    text = json.dumps(info, indent=1)
    if args.json:
        args.json.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
