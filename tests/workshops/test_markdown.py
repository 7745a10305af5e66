"""Workshop descriptions are rendered once, when saved, in bounded time: at most 20,000
characters, pathological Markdown (20,000 ``[`` took two minutes) renders well under a second,
a page view never parses Markdown, and the migration renders the existing workshops."""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import time
from unittest import mock

import markdown as python_markdown
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tandem.workshops import markdown
from tandem.workshops.models import Workshop
from tests.accounts.factories import CoordinatorFactory
from tests.cohorts.factories import CohortFactory

from .factories import SessionFactory, WorkshopFactory
from .helpers import participant_of
from .test_pages import plan_data

N = 20_000  # markdown.MAX_LENGTH


class TooSlow(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: float):
    """Fail (rather than wait minutes) when the block takes longer than ``seconds``."""

    def expire(signum, frame):
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


PATHOLOGICAL = {
    "brackets": "[" * N,
    "image brackets": "![" * (N // 2),
    "unclosed links": "[a](" * (N // 4),
    "nested brackets": "[" * (N // 2) + "]" * (N // 2),
    "backticks": "`" * N,
    "unclosed tags": "<x " * (N // 3),
    "unclosed autolinks": "<http://" * (N // 8),
}


@pytest.mark.unit
@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_of_the_longest_length_renders_well_under_a_second(text):
    assert len(text) <= N
    with deadline(5):
        start = time.perf_counter()
        markdown.render(text)
        assert time.perf_counter() - start < 1.5  # two minutes before the bound


@pytest.mark.unit
def test_real_markdown_still_renders_links_images_references_and_code():
    html = markdown.render(
        '[site](https://a.org "A") ![logo](https://a.org/l.png) [ref][1] and `a < b`, '
        "<b>bold</b>\n\n[1]: https://r.org"
    )
    assert '<a href="https://a.org" title="A"' in html
    assert '<a href="https://r.org"' in html
    assert "<code>a &lt; b</code>" in html and "<b>bold</b>" in html


@pytest.mark.django_db
def test_a_description_over_the_cap_is_a_form_error(client, cohort):
    client.force_login(CoordinatorFactory())
    response = client.post(
        reverse("workshops:create", args=[cohort.slug]), plan_data(description="[" * (N + 1))
    )
    assert response.status_code == 400
    assert response.context["form"].errors["description"]
    assert not Workshop.objects.exists()


@pytest.mark.django_db
def test_a_description_of_20000_brackets_is_saved_rendered_in_bounded_time(client, cohort):
    client.force_login(CoordinatorFactory())
    with deadline(10):
        response = client.post(
            reverse("workshops:create", args=[cohort.slug]), plan_data(description="[" * N)
        )
    assert response.status_code == 302
    assert Workshop.objects.get().description_html == "<p>" + "[" * N + "</p>"


@pytest.mark.django_db
def test_a_page_view_never_parses_markdown(client):
    workshop = WorkshopFactory(description="Hi **there** <script>alert('x')</script>")
    assert "<strong>there</strong>" in workshop.description_html  # rendered at save
    SessionFactory(workshop=workshop, starts_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    client.force_login(participant_of(workshop.cohort))
    boom = AssertionError("Markdown parsed on a page view")
    with (
        mock.patch.object(python_markdown.Markdown, "convert", side_effect=boom),
        mock.patch.object(markdown, "render", side_effect=boom),
    ):
        body = client.get(workshop.get_absolute_url()).content.decode()
    assert "<strong>there</strong>" in body and "alert('x')" not in body


BEFORE = [("workshops", "0002_workshop_meetings_moved_in")]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_migration_renders_the_existing_descriptions():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        Old = executor.loader.project_state(BEFORE).apps.get_model("workshops", "Workshop")
        cohort = CohortFactory()
        marked = Old.objects.create(cohort_id=cohort.pk, title="A", description="**Bring** it")
        empty = Old.objects.create(cohort_id=cohort.pk, title="B", description="")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert Workshop.objects.get(pk=marked.pk).description_html == (
        "<p><strong>Bring</strong> it</p>"
    )
    assert Workshop.objects.get(pk=empty.pk).description_html == ""
