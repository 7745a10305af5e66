"""The CSV export is exactly the list on screen, also after filtering in place with htmx
(issue 11, point 9); invalid filters list and export nothing, with a message."""

import csv
import html
import io
import re

import pytest
from django.urls import reverse

from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.members.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

EXPORT_LINK = re.compile(r'<a [^>]*id="export-link"[^>]*>')
ROW_NAME = re.compile(r'<tr>\s*<td><a href="[^"]*">([^<]*)</a></td>')


@pytest.fixture
def cohort():
    cohort = CohortFactory()
    for i, country in enumerate(["KE", "DE", "BR", "KE", "DE", "IN", "KE", "FR", "BR", "NG"]):
        ApplicationFactory(
            cohort=cohort,
            full_name=f"Lead {i:02d} {country}",
            organization=OrganizationFactory(country=country),
            experience_level=1 + i % 5,
            preferred_role="experienced" if i % 3 == 0 else "learning",
            status="waitlisted" if i == 6 else "submitted",
        )
    ApplicationFactory(full_name="Other Cohort Lead")  # never listed, never exported
    return cohort


def review_url(cohort):
    return reverse("applications:review", args=[cohort.slug])


def export_link(body: str) -> tuple[str, bool]:
    """The export link's address and whether it is an out-of-band swap."""
    (tag,) = EXPORT_LINK.findall(body)
    href = re.search(r'href="([^"]*)"', tag)
    return (html.unescape(href.group(1)) if href else ""), 'hx-swap-oob="true"' in tag


def exported_names(client, href: str) -> list[str]:
    response = client.get(href)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.streaming  # the whole filtered list, streamed, not a page
    body = response.getvalue().decode()
    return [row["full_name"] for row in csv.DictReader(io.StringIO(body))]


def htmx_filter(client, cohort, **filters):
    """What the filter form sends when a field changes: every field, most of them empty."""
    data = {name: "" for name in ("q", "status", "region", "gap", "role", "language", "sort")}
    data["experience_min"] = ""
    data.update(filters)
    return client.get(review_url(cohort), data, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize(
    "filters",
    [
        {"region": "EMEA"},
        {"gap": "yes", "sort": "name"},
        {"role": "experienced", "experience_min": "2"},
        {"q": "0 ke", "sort": "-experience"},
        {"status": "waitlisted"},
        {"region": "AMER", "gap": "no"},  # nothing matches: the export is empty too
    ],
)
def test_filtering_in_place_updates_the_export_link_to_exactly_the_listed_rows(
    coordinator_client, cohort, filters
):
    page = coordinator_client.get(review_url(cohort)).content.decode()
    assert export_link(page)[0] == reverse("applications:export", args=[cohort.slug])
    assert len(exported_names(coordinator_client, export_link(page)[0])) == 10

    response = htmx_filter(coordinator_client, cohort, **filters)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    shown = ROW_NAME.findall(body)
    assert len(shown) < 10
    href, out_of_band = export_link(body)
    assert out_of_band, "the htmx response must replace the export link out of band"
    for name, value in filters.items():
        assert f"{name}={value}".replace(" ", "+") in href
    assert exported_names(coordinator_client, href) == shown  # same rows, same order


def test_the_full_page_link_carries_only_the_valid_non_empty_filters(coordinator_client, cohort):
    response = coordinator_client.get(
        review_url(cohort), {"gap": "yes", "region": "", "utm_source": "mail", "sort": "name"}
    )
    href, out_of_band = export_link(response.content.decode())
    assert not out_of_band
    assert href == reverse("applications:export", args=[cohort.slug]) + "?gap=yes&sort=name"
    shown = [a.full_name for a in response.context["applications"]]
    assert exported_names(coordinator_client, href) == shown


@pytest.mark.parametrize(
    "query",
    [{"status": "maybe"}, {"experience_min": "9"}, {"language": "xx"}, {"sort": "pk"}],
)
def test_invalid_filters_list_and_export_nothing_with_a_message(coordinator_client, cohort, query):
    response = coordinator_client.get(review_url(cohort), query)
    assert response.status_code == 400
    assert list(response.context["applications"]) == []
    body = response.content.decode()
    assert "These filters are not valid" in body and 'class="errorlist"' in body
    assert export_link(body)[0] == ""  # no link that would export everything

    export = coordinator_client.get(reverse("applications:export", args=[cohort.slug]), query)
    assert export.status_code == 400 and not export["Content-Type"].startswith("text/csv")
    assert "nothing was exported" in export.content.decode()
    (field,) = query
    assert f"{field}: " in export.content.decode()

    htmx = htmx_filter(coordinator_client, cohort, **query)
    assert htmx.status_code == 400 and not ROW_NAME.findall(htmx.content.decode())
