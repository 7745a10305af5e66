"""Model permissions (the back office's) count for staff only, and asking a rule that is false
for a participant costs no query (tandem.accounts.backends.BackOfficeModelBackend)."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import User
from tests.accounts.factories import CoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)  # no permission cache


def _grant(user, codename="change_cohort"):
    user.user_permissions.add(Permission.objects.get(codename=codename))


def test_a_participant_gets_no_model_permission_even_if_granted():
    person = UserFactory()
    _grant(person)
    assert not _fresh(person).has_perm("cohorts.change_cohort")


def test_staff_keep_their_model_permissions():
    staff = UserFactory(is_staff=True)
    _grant(staff)
    assert _fresh(staff).has_perm("cohorts.change_cohort")
    assert not _fresh(UserFactory(is_staff=True)).has_perm("cohorts.change_cohort")


def test_superusers_have_every_permission():
    assert _fresh(UserFactory(is_staff=True, is_superuser=True)).has_perm("cohorts.change_cohort")


def test_a_false_rule_costs_a_participant_no_query():
    person = _fresh(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        assert not person.has_perm("cohorts.manage_cohort")
        assert not person.has_perm("notifications.view_outbox")
    assert len(queries) == 0


def test_rules_still_decide_for_coordinators():
    assert _fresh(CoordinatorFactory()).has_perm("cohorts.manage_cohort")


def test_signing_up_keeps_the_new_account_signed_in(client: Client):
    """The sign-up view signs in with this backend: the session must name one that is listed."""
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new.lead@example.org",
            "name": "New Lead",
            "timezone": "Europe/Berlin",
            "password1": "a-long-enough-Passw0rd",
            "password2": "a-long-enough-Passw0rd",
        },
    )
    assert response.status_code in (302, 303)
    assert client.get("/").context["user"].email == "new.lead@example.org"
