import datetime as dt

import pytest
from django.urls import reverse

from tandem.cohorts.models import Cohort
from tandem.core.models import ActivityLog

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def cohort_post(**overrides):
    data = {
        "name": "2024 Cohort",
        "slug": "2024",
        "description": "First cohort",
        "timezone": "America/Los_Angeles",
        "opens_local": "2024-03-01T09:00",
        "closes_local": "2024-04-12T23:59",
        "program_start": "2024-06-01",
        "program_end": "2025-05-31",
        "target_pairs": "20",
        "checkin_cadence_months": "3",
        "guidelines": "Be kind.",
    }
    data.update(overrides)
    return data


def test_announcement_deadline_entered_as_pt_is_stored_in_utc(coordinator_client):
    response = coordinator_client.post(reverse("cohorts:create"), cohort_post())
    assert response.status_code == 302
    cohort = Cohort.objects.get(slug="2024")
    assert cohort.closes_at == dt.datetime(2024, 4, 13, 6, 59, tzinfo=dt.UTC)
    assert cohort.opens_at == dt.datetime(2024, 3, 1, 17, 0, tzinfo=dt.UTC)  # PST, UTC-8
    assert cohort.closes_local.strftime("%Y-%m-%d %H:%M") == "2024-04-12 23:59"
    assert ActivityLog.objects.filter(action="cohort.created", cohort=cohort).exists()


def test_edit_form_shows_the_wall_clock_time_back(coordinator_client):
    coordinator_client.post(reverse("cohorts:create"), cohort_post())
    response = coordinator_client.get(reverse("cohorts:edit", args=["2024"]))
    assert 'value="2024-04-12T23:59"' in response.content.decode()


def test_nonexistent_local_time_is_a_field_error(coordinator_client):
    response = coordinator_client.post(
        reverse("cohorts:create"), cohort_post(closes_local="2024-03-10T02:30")
    )
    assert response.status_code == 200
    assert "does not exist" in response.context["form"].errors["closes_local"][0]
    assert not Cohort.objects.exists()


def test_deadline_must_follow_opening(coordinator_client):
    response = coordinator_client.post(
        reverse("cohorts:create"), cohort_post(closes_local="2024-02-01T00:00")
    )
    assert "after the opening" in response.context["form"].errors["closes_local"][0]


def test_participants_cannot_create_or_edit_cohorts(participant_client, cohort):
    assert participant_client.get(reverse("cohorts:create")).status_code == 403
    assert participant_client.post(reverse("cohorts:create"), cohort_post()).status_code == 403
    assert participant_client.get(reverse("cohorts:edit", args=[cohort.slug])).status_code == 403


def test_anonymous_cannot_create_cohorts(client):
    response = client.get(reverse("cohorts:create"))
    assert response.status_code in (302, 403)
    assert not Cohort.objects.exists()


def test_cohort_page_is_public_and_shows_deadline_in_its_zone(client, cohort):
    body = client.get(cohort.get_absolute_url()).content.decode()
    assert "America/Los Angeles" in body
