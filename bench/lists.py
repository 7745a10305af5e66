"""Lists, reminders and API at growing cohort sizes: time and queries of every coordinator list.

Usage::

    python bench/lists.py                                  # SQLite (a file in the temp dir)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench2 python bench/lists.py
    python bench/lists.py --sizes 250 1000 --repeat 5

The database named by ``DATABASE_URL`` is migrated and then **flushed before every size**:
never point it at data you want to keep. For each size ``N`` a cohort in its programme is built
with ``bulk_create`` (``tests/bulk.py``: ``N`` accepted participants with their consortia and a
member organisation each, ``N/2`` published pairs with three check-in rounds, one overdue and one
due this week, a meeting tomorrow, outbox messages and opt-outs). Then, as a coordinator:

* the **review list** (first page, and an htmx refresh sorted by name), the **CSV export** (every
  row, streamed), the **check-ins overview**, the **outbox** and its **preview** of due reminders;
* the **API** lists: applications, pairs and members (first page of 100);
* the **reminder job** (``send_reminders``: plan, filter, queue and send every due reminder), once;
  then the outbox preview again, as it usually is (the job sent what was due).

Times are the best of ``--repeat`` runs in milliseconds (server time through Django's test
client); ``q`` is the number of queries (``CaptureQueriesContext``). Queries that grow with ``N``
show in the table.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings.test")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'tandem-bench-lists.sqlite3'}"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from tandem.accounts.models import User  # noqa: E402
from tandem.notifications import services as notify  # noqa: E402
from tandem.notifications.models import OutboxMessage  # noqa: E402
from tests.bulk import build_cohort  # noqa: E402


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, int]:
    """Best time (ms) of ``repeat`` runs, and the queries of the last."""
    best = float("inf")
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - start)
    return best * 1000, len(queries)


def measure(n: int, repeat: int) -> dict[str, tuple[float, int]]:
    call_command("flush", interactive=False, verbosity=0)
    coordinator = User.objects.create_user(
        "bench-lists@example.org", "bench", name="Bench", is_coordinator=True, is_staff=True
    )
    world = build_cohort(n)
    client = Client()
    client.force_login(coordinator)
    client.get("/")
    slug = world.cohort.slug

    def get(url: str, data: dict | None = None, **headers) -> Callable[[], object]:
        def fetch():
            response = client.get(url, data or {}, **headers)
            assert response.status_code == 200, (url, response.status_code)
            return response.getvalue() if response.streaming else response.content

        return fetch

    review = reverse("applications:review", args=[slug])
    cases = {
        "review list": get(review),
        "review list, htmx, by name": get(review, {"sort": "name"}, HTTP_HX_REQUEST="true"),
        "CSV export (all rows)": get(reverse("applications:export", args=[slug])),
        "check-ins overview": get(reverse("meetings:checkins", args=[slug])),
        "outbox": get(reverse("outbox:index")),
        "outbox preview, all due": get(reverse("outbox:index"), {"preview": 1}),
        "API applications": get(f"/api/cohorts/{slug}/applications"),
        "API pairs": get(f"/api/cohorts/{slug}/pairs"),
        "API members": get("/api/members"),
    }
    row = {name: timed(fetch, repeat) for name, fetch in cases.items()}
    due = len(notify.send_reminders(timezone.now(), dry_run=True))
    row[f"reminder job ({due} reminders)"] = timed(lambda: notify.send_reminders(timezone.now()), 1)
    assert OutboxMessage.objects.filter(dedupe_key__isnull=False).count() == due
    # The usual case: the job ran a few minutes ago, and little is new since.
    row["outbox preview, after the job"] = timed(
        get(reverse("outbox:index"), {"preview": 1}), repeat
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"database: {connection.vendor}; best of {args.repeat}; ms (queries)")
    rows = {n: measure(n, args.repeat) for n in args.sizes}
    names: list[str] = []
    for row in rows.values():
        names += [name.split(" (")[0] if name.startswith("reminder") else name for name in row]
    header = f"{'participants':<28}" + "".join(f"{n:>16}" for n in args.sizes)
    print(header)
    print("-" * len(header))
    for name in dict.fromkeys(names):
        cells = []
        for n in args.sizes:
            (key,) = [k for k in rows[n] if k == name or k.startswith(name + " (")]
            ms, q = rows[n][key]
            cells.append(f"{ms:>9.0f} ({q:>3})")
        print(f"{name:<28}" + "".join(f"{c:>16}" for c in cells))
    for n in args.sizes:
        (job,) = [k for k in rows[n] if k.startswith("reminder")]
        print(f"  {n} participants: {job}")


if __name__ == "__main__":
    main()
