"""Bad input to the API and to query strings: a 4xx with a message, never a 500 (issue 11, point
7). NUL bytes matter on PostgreSQL, which refuses them in any query parameter."""

import pytest
from django.test import Client

from tandem.api.models import ApiToken
from tests.accounts.factories import CoordinatorFactory
from tests.applications.factories import ApplicationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def bearer(user) -> Client:
    _, key = ApiToken.issue(user, "test")
    return Client(headers={"Authorization": f"Bearer {key}"}, raise_request_exception=False)


@pytest.fixture
def api():
    return bearer(CoordinatorFactory())


@pytest.fixture
def application():
    return ApplicationFactory(full_name="Amina Otieno", languages={"en": 3, "sw": 2})


@pytest.mark.parametrize("field", ["status", "region", "role", "language", "gap"])
@pytest.mark.parametrize("value", ["\x00", "a\x00b", "nonsense", "x" * 5000])
def test_invalid_application_filters_are_a_400_naming_the_field(api, application, field, value):
    url = f"/api/cohorts/{application.cohort.slug}/applications"
    response = api.get(url, {field: value})
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["detail"] and any(line.startswith(f"{field}: ") for line in body["errors"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Amina Otieno"]),
        (
            {"status": "submitted", "region": "EMEA", "gap": "yes", "language": "sw"},
            ["Amina Otieno"],
        ),
        ({"role": "learning"}, ["Amina Otieno"]),
        ({"role": "experienced"}, []),
        ({"status": "", "region": "", "gap": "", "role": "", "language": ""}, ["Amina Otieno"]),
    ],
)
def test_valid_application_filters_still_work(api, application, query, expected):
    response = api.get(f"/api/cohorts/{application.cohort.slug}/applications", query)
    assert response.status_code == 200
    assert [row["full_name"] for row in response.json()["items"]] == expected


@pytest.mark.parametrize("endpoint", ["applications", "pairs"])
@pytest.mark.parametrize("slug", ["caf%C3%A9", "%20", "a.b", "%27%3B--"])
def test_a_cohort_address_that_cannot_be_a_slug_is_a_404(api, endpoint, slug):
    response = api.get(f"/api/cohorts/{slug}/{endpoint}")
    assert response.status_code == 404 and response.json()["detail"]


@pytest.mark.parametrize("endpoint", ["applications", "pairs"])
@pytest.mark.parametrize("slug", ["%00", "a%00b"])
def test_a_nul_in_a_cohort_address_is_a_400_in_the_api_format(api, endpoint, slug):
    response = api.get(f"/api/cohorts/{slug}/{endpoint}")
    assert response.status_code == 400
    assert response.json()["detail"] and response.json()["errors"] == [
        "path: contains a NUL character."
    ]
