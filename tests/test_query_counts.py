"""No list grows its queries with its size (issue 13): every list page, the CSV export, the
outbox preview, the reminder job and the API lists run the same number of queries with 10
participants as with 200.

The data are built with ``bulk_create`` (:mod:`tests.bulk`): a cohort with its applications,
published pairs and their check-in rounds, a meeting tomorrow, outbox messages, opt-outs and GAP
country overrides. Each case is measured once with a small cohort, then again after a large
one is added (the outbox, the reminder job and the members list read every cohort)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.notifications import services as notify
from tests.accounts.factories import CoordinatorFactory
from tests.bulk import World, build_cohort

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

SMALL, LARGE = 10, 200
#: No case may need more (session, user and the page's own few queries).
CEILING = 12


Case = Callable[[Client, World], Callable[[], object]]


def _get(name: str, *args, htmx: bool = False, **params) -> Case:
    """A page (or the CSV, read to its end)."""

    def prepare(client: Client, world: World):
        url = reverse(name, args=[a(world) if callable(a) else a for a in args])
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

        def fetch():
            response = client.get(url, params, **headers)
            assert response.status_code == 200, (name, response.status_code)
            return response.getvalue() if response.streaming else response.content

        return fetch

    return prepare


def _api(path: str, *, second_page: bool = False, **params) -> Case:
    """An API list: its first page or, with ``second_page``, the page after the first page's
    cursor (the first page is fetched before measuring)."""

    def prepare(client: Client, world: World):
        url = path.format(slug=world.cohort.slug)
        query = dict(params)
        if second_page:
            query["cursor"] = client.get(url, params).json()["next_cursor"] or ""

        def fetch():
            response = client.get(url, query)
            assert response.status_code == 200, response.content[:300]
            return response.json()

        return fetch

    return prepare


def slug(world: World) -> str:
    return world.cohort.slug


CASES: dict[str, Case] = {
    "review list": _get("applications:review", slug),
    "review list: htmx, filtered, sorted, page 2": _get(
        "applications:review", slug, status="accepted", sort="name", page=2, htmx=True
    ),
    "CSV export (streamed, every row)": _get("applications:export", slug, gap="no"),
    "check-ins overview": _get("meetings:checkins", slug),
    "check-ins overview, page 2": _get("meetings:checkins", slug, page=2),
    "workshops browse": _get("workshops:list", slug),
    "workshops browse: past, a language, page 2": _get(
        "workshops:list", slug, when="past", language="en", page=2
    ),
    "outbox": _get("outbox:index"),
    "outbox: sent, page 2": _get("outbox:index", status="sent", page=2),
    "outbox preview": _get("outbox:index", preview=1),
    "outbox preview, page 2": _get("outbox:index", preview=1, preview_page=2),
    "API cohorts": _api("/api/cohorts"),
    "API applications": _api("/api/cohorts/{slug}/applications", limit=50),
    "API applications, page 2": _api(
        "/api/cohorts/{slug}/applications", second_page=True, limit=50
    ),
    "API pairs": _api("/api/cohorts/{slug}/pairs", limit=50),
    "API pairs, page 2": _api("/api/cohorts/{slug}/pairs", second_page=True, limit=50),
    "API members": _api("/api/members"),
    "API members, page 2": _api("/api/members", second_page=True, limit=50),
    "workshop topics (coordinator: applicants' challenges)": _get("workshops:topics", slug),
    "workshop topics, page 2": _get("workshops:topics", slug, page=2),
    "workshops report": _get("workshops:report", slug),
    "workshops report CSV (streamed)": _get("workshops:report_csv", slug),
}


def measure(client: Client, world: World) -> dict[str, list[str]]:
    """The SQL of every case, then of the reminder job (last: it fills the outbox)."""
    out = {}
    for name, case in CASES.items():
        fetch = case(client, world)
        with CaptureQueriesContext(connection) as queries:
            fetch()
        out[name] = [q["sql"] for q in queries.captured_queries]
    with CaptureQueriesContext(connection) as queries:
        sent = notify.send_reminders(timezone.now())
    out["reminder job"] = [q["sql"] for q in queries.captured_queries]
    out["reminder job"].append(f"-- {len(sent)} reminders sent")
    assert 0 < len(sent) <= notify.SEND_BATCH, "one batch at either size, by design of the data"
    return out


def test_every_list_costs_the_same_queries_at_10_and_200_participants(client):
    client.force_login(CoordinatorFactory())
    client.get("/")  # the session and the caches of a first request, once
    small = measure(client, build_cohort(SMALL, tag="A"))
    large = measure(client, build_cohort(LARGE, tag="B"))
    counts = {
        name: (
            len([q for q in small[name] if not q.startswith("--")]),
            len([q for q in large[name] if not q.startswith("--")]),
        )
        for name in small
    }
    grew = {name: c for name, c in counts.items() if c[0] != c[1]}
    table = "\n".join(f"  {name}: {a} → {b}" for name, (a, b) in counts.items())
    assert not grew, f"queries grew with size ({SMALL} → {LARGE} participants):\n{table}\n" + (
        "\n".join(f"{name}:\n    " + "\n    ".join(large[name]) for name in grew)
    )
    too_many = {name: c for name, c in counts.items() if c[1] > CEILING}
    assert not too_many, f"more than {CEILING} queries:\n{table}"


def test_the_reminder_job_in_batches_costs_a_few_queries_per_batch(monkeypatch):
    """Past one batch the job adds an insert and an update per batch, not per reminder."""
    build_cohort(40, tag="C")
    monkeypatch.setattr(notify, "SEND_BATCH", 25)
    with CaptureQueriesContext(connection) as queries:
        sent = notify.send_reminders(timezone.now())
    batches = -(-len(sent) // 25)
    assert batches > 3
    # 6 fixed queries (opt-outs; meetings: check-ins, their cohorts, meetings, participants;
    # the outbox keys), one per further reminder provider (workshops: one query) and 3 for the
    # digests (who chose one; the reminders held for one; their opt-outs).
    assert len(queries) <= 10 + 2 * batches, [q["sql"][:80] for q in queries.captured_queries]


# --- The resource library (issue 15) -----------------------------------------------------------

LIBRARY_CASES = {
    "library": {},
    "library: a search, page 2": {"q": "mentoring plan", "page": 2},
    "library: filtered and sorted": {"kind": "template", "sort": "downloads", "language": "en"},
}


def _bulk_library(count: int, owner, tag: str) -> None:
    """``count`` published public resources in three languages (variants of one another in
    threes), each with a version, useful marks and comments."""
    import uuid

    from tandem.resources.indexing import update_vectors
    from tandem.resources.models import Comment, Resource, Version
    from tandem.resources.selectors import is_postgres

    groups = [uuid.uuid4() for _ in range(count // 3 + 1)]
    resources = Resource.objects.bulk_create(
        Resource(
            group=groups[i // 3],
            title=f"Mentoring plan {tag}{i}",
            description="A mentoring plan template for a first call.",
            kind="template",
            language=("en", "es", "fr")[i % 3],
            visibility="public",
            status="published",
            owner=owner,
            version_count=1,
            search_document=f"Mentoring plan {tag}{i} template first call agenda goals",
        )
        for i in range(count)
    )
    Version.objects.bulk_create(
        Version(resource=r, number=1, url="https://example.org/x", uploaded_by=owner)
        for r in resources
    )
    Comment.objects.bulk_create(Comment(resource=r, author=owner, body="Useful") for r in resources)
    if is_postgres():
        update_vectors(Resource.objects.filter(pk__in=[r.pk for r in resources]))


def test_the_library_costs_the_same_queries_at_10_and_200_resources(client):
    from tandem.resources.models import Resource

    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    client.get("/")

    def run() -> dict[str, int]:
        out = {}
        first = Resource.objects.order_by("pk").first()
        urls = {
            **{
                name: (reverse("resources:library"), params)
                for name, params in LIBRARY_CASES.items()
            },
            "resource page": (reverse("resources:detail", args=[first.pk]), {}),
            "review queue": (reverse("resources:review_queue"), {}),
            "my resources": (reverse("resources:mine"), {}),
        }
        for name, (url, params) in urls.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params)
            assert response.status_code == 200, name
            out[name] = len(queries)
        return out

    _bulk_library(SMALL, coordinator, "A")
    small = run()
    _bulk_library(LARGE, coordinator, "B")
    large = run()
    assert small == large, (small, large)
    assert max(large.values()) <= CEILING, large
