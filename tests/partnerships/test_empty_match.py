"""A match is refused, saying what to do first, while nobody or one side only can be matched."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tandem.applications.models import Application
from tandem.partnerships import services
from tandem.partnerships.models import MatchRun
from tests.partnerships.test_pairing import run_post

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

NOBODY = "No accepted applications yet: accept applications in the review first."
NO_EXPERIENCED = "Nobody can be an experienced lead yet"
NO_LEARNING = "Nobody can be a learning lead yet"


def _leave_only(cohort, role):
    """Decline every accepted applicant but those of ``role`` (none if ``role`` is None)."""
    apps = services.with_roles(Application.objects.filter(cohort=cohort, status="accepted"))
    if role:
        apps = apps.exclude(pairing_role=role)
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(status="declined")


@pytest.mark.parametrize(
    "left, message",
    [(None, NOBODY), ("learning", NO_EXPERIENCED), ("experienced", NO_LEARNING)],
)
def test_the_service_refuses_the_run(pairing_cohort, coordinator, left, message):
    cohort, _people = pairing_cohort
    _leave_only(cohort, left)
    with pytest.raises(services.CannotMatch, match=message):
        services.run_match(cohort, actor=coordinator)
    with pytest.raises(services.CannotMatch, match=message):
        services.queue_match(cohort, actor=coordinator)
    assert not MatchRun.objects.exists()


@pytest.mark.parametrize(
    "left, message",
    [(None, NOBODY), ("learning", NO_EXPERIENCED), ("experienced", NO_LEARNING)],
)
def test_the_page_shows_a_form_error_and_creates_no_run(
    coordinator_client, pairing_cohort, left, message
):
    cohort, _people = pairing_cohort
    _leave_only(cohort, left)
    response = coordinator_client.post(
        reverse("partnerships:run_create", args=[cohort.slug]), run_post()
    )
    body = response.content.decode()
    assert response.status_code == 400 and escape(message) in body
    assert "Everybody is matched" not in body
    assert not MatchRun.objects.exists()


def test_a_cohort_with_both_sides_still_runs(pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    Application.objects.filter(pk__in=[p["ed"].pk, p["leo"].pk]).update(status="declined")
    assert services.run_match(cohort, actor=coordinator).stats["pairs"] == 1
