"""A NUL character anywhere in an address is a 400 with a message, never a 500 (issue 11, point
7). PostgreSQL refuses NUL in any text, so without the check these reached the database."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import CoordinatorFactory
from tests.applications.factories import ApplicationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def application():
    return ApplicationFactory()


@pytest.fixture
def staff_client():
    client = Client(raise_request_exception=False)
    client.force_login(CoordinatorFactory(is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("/calendar/feed/%00.ics", "path"),
        ("/calendar/feed/abc%00def.ics", "path"),
        ("/admin/cohorts/application/?status__exact=%00", "status__exact"),
        ("/admin/cohorts/application/?q=%00", "q"),
        ("/outbox/?status=%00", "status"),
        ("/cohorts/{slug}/applications/?q=a%00b", "q"),
        ("/cohorts/{slug}/applications/export.csv?language=%00", "language"),
        ("/cohorts/{slug}/meetings/find-time/?start=%00&end=2025-03-09", "start"),
        ("/cohorts/{slug}/meetings/new/?start=2025-03-03T14:00:00Z%00", "start"),
        ("/?%00=1", "\\x00"),
        ("/accounts/login/?next=/%00", "next"),
    ],
)
def test_a_nul_in_the_address_is_a_400_page_naming_where(staff_client, application, url, where):
    response = staff_client.get(url.format(slug=application.cohort.slug))
    assert response.status_code == 400
    body = response.content.decode()
    assert "NUL character" in body and f"{where}: contains a NUL character." in body
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("field", ["status", "region", "role", "language"])
def test_a_nul_in_an_api_filter_is_a_400_in_the_api_format(staff_client, application, field):
    response = staff_client.get(f"/api/cohorts/{application.cohort.slug}/applications?{field}=%00")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The address contains a NUL character, which is never valid input.",
        "errors": [f"{field}: contains a NUL character."],
    }


def test_visitors_get_the_same_answer(client, application):
    response = client.get(reverse("applications:review", args=[application.cohort.slug]) + "?q=%00")
    assert response.status_code == 400 and "NUL character" in response.content.decode()


def test_other_characters_are_not_refused(staff_client, application):
    url = reverse("applications:review", args=[application.cohort.slug])
    assert staff_client.get(url, {"q": "Seán \u2028 ' \" < > % \x01"}).status_code == 200
