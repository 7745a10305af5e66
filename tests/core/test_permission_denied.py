"""A refused request: 403 for a signed-in person, sign in and back for a signed-out visitor."""

import pytest
from django.urls import reverse

from tests.accounts.factories import CoordinatorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(client, cohort):
    page = reverse("applications:review", args=[cohort.slug]) + "?status=submitted"
    response = client.get(page)
    assert response.status_code == 302
    login = reverse("accounts:login")
    assert response["Location"].startswith(login + "?next=")
    coordinator = CoordinatorFactory(email="staff@example.org")
    coordinator.set_password("pw-for-the-test")
    coordinator.save()
    signed_in = client.post(
        response["Location"], {"username": "staff@example.org", "password": "pw-for-the-test"}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == page  # back where the visitor was going


def test_an_htmx_request_of_a_signed_out_visitor_redirects_the_page(client, cohort):
    response = client.get(
        reverse("partnerships:home", args=[cohort.slug]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert response["HX-Redirect"].startswith(reverse("accounts:login") + "?next=")


def test_a_signed_in_participant_is_told_not_allowed(participant_client, cohort):
    response = participant_client.get(reverse("applications:review", args=[cohort.slug]))
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
