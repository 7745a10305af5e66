"""Who may add a language variant to a resource's group (its owner or a coordinator, as for
any edit), and a pair's resource staying with its pair: an edit keeps it, a person with several
pairs chooses which one."""

import pytest
from django.urls import reverse

from tandem.resources.models import Resource, Status, Visibility
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import CohortFactory
from tests.pairing_fixtures import make_app

from .factories import make_resource, text_file

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def variant_form(**overrides):
    data = {
        "title": "Acuerdo de mentoría",
        "kind": "template",
        "language": "es",
        "licence": "CC-BY-4.0",
        "visibility": "pair",
        "file": text_file("Sed amables y curiosos."),
    }
    data.update(overrides)
    return data


@pytest.fixture
def lins_cohort_resource(published_pair):
    cohort, people, _pair = published_pair
    return make_resource(
        people["lin"].applicant, title="Agreement", visibility=Visibility.COHORT, cohort=cohort
    )


@pytest.mark.parametrize("who", ["eva", "leo", "olga", "newcomer"])
def test_people_who_do_not_own_a_resource_cannot_add_a_variant(client, published_pair, who):
    """Eva (Lin's partner) and Leo (same cohort) see Lin's cohort resource, Olga (another
    cohort) her public one, but none of them owns it: 403; a newcomer does not even see the
    cohort resource: 404."""
    cohort, people, _pair = published_pair
    lin = people["lin"].applicant
    visibility = Visibility.PUBLIC if who == "olga" else Visibility.COHORT
    resource = make_resource(lin, title="Agreement", visibility=visibility, cohort=cohort)
    Resource.objects.filter(pk=resource.pk).update(status=Status.PUBLISHED)
    users = {
        "eva": people["eva"].applicant,
        "leo": people["leo"].applicant,
        "olga": make_app(CohortFactory(slug="elsewhere"), "Olga Other", "learning").applicant,
        "newcomer": UserFactory(),
    }
    client.force_login(users[who])
    expected = 404 if who == "newcomer" else 403
    url = reverse("resources:add_variant", args=[resource.pk])
    assert client.get(url).status_code == expected
    assert client.post(url, variant_form(visibility="participants")).status_code == expected
    assert Resource.objects.filter(group=resource.group).count() == 1
    if who != "newcomer":  # no "Add another language" offered on the page
        assert url not in client.get(resource.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["lin", "coordinator"])
def test_the_owner_and_a_coordinator_add_a_variant(
    client, published_pair, lins_cohort_resource, coordinator, who
):
    resource = lins_cohort_resource
    client.force_login(coordinator if who == "coordinator" else published_pair[1]["lin"].applicant)
    url = reverse("resources:add_variant", args=[resource.pk])
    assert client.get(url).status_code == 200
    assert url in client.get(resource.get_absolute_url()).content.decode()
    response = client.post(url, variant_form(visibility="cohort"))
    assert response.status_code == 302
    variant = Resource.objects.get(group=resource.group, language="es")
    assert variant.title == "Acuerdo de mentoría"
