"""Who sees a resource, by URL, for every role and every visibility: the detail page, the
download, and the library list (anonymous visitors are sent to sign in; anybody else who may
not see it gets a 404, the same as for a resource that does not exist)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from tandem.resources.models import Visibility
from tandem.resources.selectors import visible_to
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import CohortFactory
from tests.pairing_fixtures import make_app

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

ROLES = ("anonymous", "newcomer", "lin", "eva", "leo", "olga", "coordinator")
SEES = {
    Visibility.PUBLIC: set(ROLES),
    Visibility.PARTICIPANTS: {"lin", "eva", "leo", "olga", "coordinator"},
    Visibility.COHORT: {"lin", "eva", "leo", "coordinator"},
    Visibility.PAIR: {"lin", "eva", "coordinator"},
    "pending": {"lin", "coordinator"},  # Lin's own, waiting for review
}


@pytest.fixture
def people(published_pair, coordinator):
    _cohort, people, _pair = published_pair
    olga = make_app(CohortFactory(slug="elsewhere"), "Olga Other", "learning").applicant
    return {
        "anonymous": None,
        "newcomer": UserFactory(),
        "lin": people["lin"].applicant,
        "eva": people["eva"].applicant,
        "leo": people["leo"].applicant,
        "olga": olga,
        "coordinator": coordinator,
    }


@pytest.mark.parametrize("which", list(SEES))
@pytest.mark.parametrize("role", ROLES)
def test_detail_and_download_by_url(client, library, people, which, role):
    resource = library[which]
    if people[role] is not None:
        client.force_login(people[role])
    for url in (
        reverse("resources:detail", args=[resource.pk]),
        reverse("resources:download", args=[resource.pk]),
        reverse("resources:version_download", args=[resource.pk, 1]),
    ):
        response = client.get(url)
        if role in SEES[which]:
            assert response.status_code == 200, (url, role)
        elif role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404, (url, role)


@pytest.mark.parametrize("role", ROLES)
def test_library_lists_what_each_role_sees(client, library, people, role):
    if people[role] is not None:
        client.force_login(people[role])
    page = client.get(reverse("resources:library")).content.decode()
    for which, resource in library.items():
        if which == "pending":
            assert resource.title not in page  # the list shows published resources only
        else:
            assert (resource.title in page) == (role in SEES[which]), (which, role)


def test_selector_matches_the_pages(library, people):
    for role, user in people.items():
        seen = set(visible_to(user or AnonymousUser()).values_list("pk", flat=True))
        expected = {r.pk for which, r in library.items() if role in SEES[which]}
        assert seen == expected, role


def test_a_withdrawn_participant_no_longer_sees_the_cohort(library, people):
    lin = people["lin"]
    lin.applications.update(status="withdrawn")
    seen = set(visible_to(lin).values_list("pk", flat=True))
    assert library[Visibility.COHORT].pk not in seen
    assert library[Visibility.PUBLIC].pk in seen
    assert library["pending"].pk in seen  # her own


def test_unknown_resource_is_404_signed_in_and_login_for_visitors(client, people):
    assert client.get(reverse("resources:detail", args=[999999])).status_code == 302
    client.force_login(people["lin"])
    assert client.get(reverse("resources:detail", args=[999999])).status_code == 404
