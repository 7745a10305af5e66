"""Query strings of the meeting pages: a 4xx with a message, never a 500 (issue 11, point 7)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import CoordinatorFactory
from tests.cohorts.factories import CohortFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def cohort():
    return CohortFactory()


@pytest.fixture
def coordinator_client():
    client = Client(raise_request_exception=False)
    client.force_login(CoordinatorFactory(timezone="Asia/Kathmandu"))
    return client


def new_meeting(cohort, **query):
    return reverse("meetings:create", args=[cohort.slug]), query


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "garbage"}, "start"),
        ({"start": "2025-02-30T10:00:00Z"}, "start"),  # no such day
        ({"start": "2025-03-03T25:00:00Z"}, "start"),
        ({"start": "9" * 400}, "start"),
        ({"start": "2025-03-03T14:00:00Z", "duration": "abc"}, "duration"),
        ({"start": "2025-03-03T14:00:00Z", "duration": "-5"}, "duration"),
        ({"start": "2025-03-03T14:00:00Z", "duration": "100000"}, "duration"),
        ({"duration": "60"}, "start"),
    ],
)
def test_a_bad_schedule_link_is_a_400_naming_the_field(coordinator_client, cohort, query, field):
    response = coordinator_client.get(*new_meeting(cohort, **query))
    assert response.status_code == 400
    message = " ".join(str(m) for m in response.context["messages"])
    assert "scheduling link is not valid" in message and f"{field}:" in message
    assert not response.context["form"].initial.get("starts_local")  # an empty, usable form
    assert "scheduling link is not valid" in response.content.decode()


@pytest.mark.parametrize(
    ("start", "local"),
    [
        ("2025-03-03T14:00:00Z", dt.datetime(2025, 3, 3, 19, 45)),  # Kathmandu is UTC+05:45
        ("2025-03-03T14:00:00+00:00", dt.datetime(2025, 3, 3, 19, 45)),
        ("2025-03-03T15:00:00+01:00", dt.datetime(2025, 3, 3, 19, 45)),
        ("2025-03-03T14:00:00", dt.datetime(2025, 3, 3, 19, 45)),  # no offset: UTC
    ],
)
def test_a_good_schedule_link_prefills_the_form(coordinator_client, cohort, start, local):
    response = coordinator_client.get(*new_meeting(cohort, start=start, duration="90"))
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["starts_local"] == local and initial["duration_minutes"] == 90


def test_no_link_is_the_empty_form(coordinator_client, cohort):
    response = coordinator_client.get(*new_meeting(cohort))
    assert response.status_code == 200 and not response.context["form"].initial.get("starts_local")
    assert coordinator_client.get(*new_meeting(cohort, start="")).status_code == 200
