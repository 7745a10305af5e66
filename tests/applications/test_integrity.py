"""One lead per consortium per cohort; a double first submission is an edit, not a 500."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tandem.applications import selectors, services
from tandem.applications.models import Application
from tandem.cohorts.models import Topic
from tests.accounts.factories import UserFactory

from .helpers import application_post

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def apply(client, cohort, **overrides):
    return client.post(
        reverse("applications:apply", args=[cohort.slug]), application_post(**overrides)
    )


def test_a_second_lead_of_the_same_consortium_is_refused(client, cohort, consortium):
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    assert apply(client, cohort).status_code == 302
    client.force_login(second)
    response = apply(client, cohort, full_name="Second Lead")
    assert response.status_code == 200
    error = response.context["form"].errors["member_id"][0]
    assert "already has an application in this cohort (submitted)" in error
    assert "info@datacite.org" in error or "@" in error  # whom to ask
    assert "Amina" not in error  # the other applicant is not named to a stranger
    assert not Application.objects.filter(applicant=second).exists()
    # A draft of the second person is refused too: nothing half-written.
    response = apply(client, cohort, action="draft")
    assert response.status_code == 200 and not Application.objects.filter(applicant=second).exists()


def test_staff_can_allow_several_leads_and_see_the_duplicates(client, cohort, consortium):
    cohort.several_leads_per_consortium = True
    cohort.save()
    for user in (UserFactory(), UserFactory()):
        client.force_login(user)
        assert apply(client, cohort).status_code == 302
    assert selectors.duplicate_consortia(cohort) == {consortium.pk: 2}
    from tests.accounts.factories import CoordinatorFactory

    client.force_login(CoordinatorFactory())
    page = client.get(reverse("applications:review", args=[cohort.slug]))
    assert page.content.decode().count("duplicate-lead") == 2
    one = Application.objects.filter(cohort=cohort).first()
    detail = client.get(one.get_absolute_url())
    assert [a.pk for a in detail.context["other_leads"]] != []
    assert 'id="other-leads"' in detail.content.decode()


def test_a_stale_first_submission_becomes_an_edit(client, participant, cohort, consortium):
    """The second of two first submissions (double click, two tabs) finds the row the first
    created: it must update it, not fail on the one-per-person constraint."""
    client.force_login(participant)
    assert apply(client, cohort, action="draft").status_code == 302
    stale = services.new_application(cohort, participant)  # built before the first was saved
    stale.organization = consortium
    stale.full_name = "From the second tab"
    services.save_application(stale, topics={}, submit=False)
    app = Application.objects.get(applicant=participant)
    assert app.pk == stale.pk and app.full_name == "From the second tab"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_first_submissions_both_get_an_answer(cohort, consortium, attempt):
    for slug in ("fee-models-billing", "doi-registration"):  # a flushed database has no vocabulary
        Topic.objects.get_or_create(slug=slug, defaults={"name": slug})
    user = UserFactory()
    barrier = threading.Barrier(2)
    codes = [None, None]

    def submit(index):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            codes[index] = apply(client, cohort).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert codes == [302, 302]
    assert Application.objects.filter(applicant=user, status="submitted").count() == 1
