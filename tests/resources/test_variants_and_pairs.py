"""Who may add a language variant to a resource's group (its owner or a coordinator, as for
any edit), and a pair's resource staying with its pair: an edit keeps it, a person with several
pairs chooses which one."""

import datetime as dt

import pytest
from django.urls import reverse

from tandem.partnerships.models import Partnership
from tandem.resources import services
from tandem.resources.models import Resource, Status, Visibility
from tandem.resources.selectors import visible_to
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


def another_pair(cohort_name, experienced, learning, *, after):
    """A published pair in a cohort of its own, published a day after ``after``."""
    cohort = CohortFactory(name=cohort_name)
    return Partnership.objects.create(
        cohort=cohort,
        experienced=make_app(cohort, experienced, "experienced")
        if isinstance(experienced, str)
        else experienced(cohort),
        learning=make_app(cohort, learning, "learning")
        if isinstance(learning, str)
        else learning(cohort),
        status=Partnership.Status.PUBLISHED,
        published_at=after.published_at + dt.timedelta(days=1),
    )


@pytest.fixture
def notes(published_pair):
    """Lin's "Our check-in notes" for her pair with Eva, and a newer pair of two strangers."""
    cohort, people, pair = published_pair
    lin = people["lin"].applicant
    resource = services.share(
        lin, title="Our check-in notes", file=text_file(), visibility=Visibility.PAIR
    )
    strangers = another_pair("Later Cohort", "Sam Stranger", "Tia Stranger", after=pair)
    assert resource.partnership == pair
    return resource, pair, strangers


def edit_form(resource, **overrides):
    data = {
        "title": resource.title,
        "description": "Updated after our second call.",
        "kind": resource.kind,
        "language": resource.language,
        "licence": resource.licence,
        "visibility": resource.visibility,
        "cohort": resource.cohort_id or "",
    }
    data.update(overrides)
    return data


def test_a_coordinator_editing_a_pairs_resource_keeps_it_with_the_pair(
    client, coordinator, published_pair, notes
):
    resource, pair, strangers = notes
    client.force_login(coordinator)
    response = client.post(reverse("resources:edit", args=[resource.pk]), edit_form(resource))
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.description == "Updated after our second call."
    assert resource.partnership == pair and resource.cohort == pair.cohort
    eva = published_pair[1]["eva"].applicant
    assert visible_to(eva).filter(pk=resource.pk).exists()
    for stranger in (strangers.experienced.applicant, strangers.learning.applicant):
        assert not visible_to(stranger).filter(pk=resource.pk).exists()


def test_an_owner_with_two_pairs_editing_keeps_the_pair_or_moves_it_to_the_one_chosen(
    client, published_pair, notes
):
    resource, pair, _strangers = notes
    lin_app = published_pair[1]["lin"]
    lin = lin_app.applicant
    newer = another_pair(
        "Next Cohort",
        "Pia Partner",
        lambda cohort: make_app(cohort, "Lin Learner", "learning", applicant=lin),
        after=pair,
    )
    services.edit(lin, resource, {"description": "Only this changed."})
    resource.refresh_from_db()
    assert resource.partnership == pair  # not her newest pair
    client.force_login(lin)
    url = reverse("resources:edit", args=[resource.pk])
    page = client.get(url).content.decode()
    assert "Which pair" in page and "Eva Expert" in page and "Pia Partner" in page
    # Only the description changed: the pair stays (the form offers the current one).
    response = client.post(url, edit_form(resource, pair=pair.pk))
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.partnership == pair
    # Chosen: the newer pair, with Pia.
    assert client.post(url, edit_form(resource, pair=newer.pk)).status_code == 302
    resource.refresh_from_db()
    assert resource.partnership == newer and resource.cohort == newer.cohort


def test_sharing_with_my_pair_chooses_which_pair_when_there_are_several(
    client, published_pair, notes
):
    _resource, pair, strangers = notes
    lin = published_pair[1]["lin"].applicant
    newer = another_pair(
        "Next Cohort",
        "Pia Partner",
        lambda cohort: make_app(cohort, "Lin Learner", "learning", applicant=lin),
        after=pair,
    )
    client.force_login(lin)
    share = reverse("resources:share")
    page = client.get(share).content.decode()
    assert "Which pair" in page and "Eva Expert" in page and "Pia Partner" in page
    assert "Sam Stranger" not in page
    data = {
        "title": "Agenda for Eva",
        "kind": "template",
        "language": "en",
        "licence": "CC-BY-4.0",
        "visibility": "pair",
    }
    refused = client.post(share, {**data, "file": text_file()})
    assert (
        refused.status_code == 400 and "Choose the pair to share with." in refused.content.decode()
    )
    strangers_pair = client.post(share, {**data, "file": text_file(), "pair": strangers.pk})
    assert strangers_pair.status_code == 400  # not one of hers: not a choice
    assert not Resource.objects.filter(title="Agenda for Eva").exists()
    assert client.post(share, {**data, "file": text_file(), "pair": pair.pk}).status_code == 302
    assert Resource.objects.get(title="Agenda for Eva").partnership == pair
    # And the other pair when she chooses it.
    data["title"] = "Agenda for Pia"
    assert client.post(share, {**data, "file": text_file(), "pair": newer.pk}).status_code == 302
    assert Resource.objects.get(title="Agenda for Pia").partnership == newer


def test_with_one_pair_there_is_no_pair_to_choose(client, published_pair, notes):
    client.force_login(published_pair[1]["eva"].applicant)
    page = client.get(reverse("resources:share")).content.decode()
    assert "Which pair" not in page
    resource, pair, _strangers = notes
    client.force_login(published_pair[1]["lin"].applicant)
    assert (
        "Which pair"
        not in client.get(reverse("resources:edit", args=[resource.pk])).content.decode()
    )


def test_a_variant_of_a_pairs_resource_is_for_the_same_pair(client, coordinator, notes):
    resource, pair, _strangers = notes
    client.force_login(coordinator)
    url = reverse("resources:add_variant", args=[resource.pk])
    assert client.post(url, variant_form(visibility="pair")).status_code == 302
    variant = Resource.objects.get(group=resource.group, language="es")
    assert variant.partnership == pair  # not the newest pair of the programme
