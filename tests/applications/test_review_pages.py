"""The review list a page at a time (issue 13): links keep the filters and the sort, htmx swaps
only the table, and the CSV export is still every filtered application, streamed."""

import csv
import html
import io
import re

import pytest
from django.urls import reverse

from tandem.applications import services
from tandem.applications.models import Application
from tandem.core.pagination import PER_PAGE
from tests.bulk import build_cohort

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

ROW_NAME = re.compile(r'<tr>\s*<td><a href="[^"]*">([^<]*)</a></td>')
PAGE_LINK = re.compile(
    r'<a href="([^"]*)" hx-get="([^"]*)" hx-target="#review-table"[^>]*rel="next"'
)


@pytest.fixture
def world():
    return build_cohort(130)  # 130 applications, none a draft


def test_pages_keep_the_filters_and_the_sort_and_swap_only_the_table(coordinator_client, world):
    url = reverse("applications:review", args=[world.cohort.slug])
    filters = {"status": "accepted", "sort": "name"}
    accepted = Application.objects.filter(cohort=world.cohort, status="accepted").order_by(
        "full_name", "pk"
    )
    everyone = [a.full_name for a in accepted]
    assert len(everyone) > PER_PAGE * 2

    first = coordinator_client.get(url, filters)
    body = first.content.decode()
    assert f"{len(everyone)} applications" in body
    assert ROW_NAME.findall(body) == everyone[:PER_PAGE]
    href, hx_get = (html.unescape(link) for link in PAGE_LINK.search(body).groups())
    assert href == hx_get == "?status=accepted&sort=name&page=2"

    second = coordinator_client.get(url + href, HTTP_HX_REQUEST="true")
    part = second.content.decode()
    assert "<html" not in part and ROW_NAME.findall(part) == everyone[PER_PAGE : 2 * PER_PAGE]
    export = re.search(r'id="export-link" href="([^"]*)"', part).group(1)
    assert html.unescape(export).endswith("?status=accepted&sort=name")  # no page: every row

    rows = csv.DictReader(
        io.StringIO(coordinator_client.get(html.unescape(export)).getvalue().decode())
    )
    assert [row["full_name"] for row in rows] == everyone


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "1.5", ""])
def test_any_page_number_shows_a_page(coordinator_client, world, page):
    url = reverse("applications:review", args=[world.cohort.slug])
    response = coordinator_client.get(url, {"page": page})
    assert response.status_code == 200 and response.context["page"].number in (1, 3)


def test_the_export_streams_in_chunks_and_equals_the_whole_list(monkeypatch, world):
    monkeypatch.setattr(services, "EXPORT_CHUNK", 7)
    monkeypatch.setattr(services, "EXPORT_LINES", 10)
    qs = Application.objects.filter(cohort=world.cohort).order_by("pk")
    pieces = list(services.iter_csv(qs))
    assert len(pieces) == 14  # 130 rows + header: 13 full pieces of 10 and the rest
    rows = list(csv.DictReader(io.StringIO("".join(pieces))))
    assert [int(r["id"]) for r in rows] == list(qs.values_list("pk", flat=True))
    assert rows[0]["expertise"] == "metadata-quality=2"
    assert services.export_csv(qs) == "".join(pieces)
