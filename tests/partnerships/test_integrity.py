"""Data integrity of pairing: withdrawal ends pairs, runs never fail on allowed state, swaps
offer only people who can be taken."""

import pytest
from django.core import mail
from django.urls import reverse

from tandem.applications import services as cohort_services
from tandem.applications.models import Application
from tandem.partnerships import services
from tandem.partnerships.models import Partnership
from tests.pairing_fixtures import make_app

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_withdrawing_from_a_published_pair_ends_it_and_tells_the_partner(client, published_pair):
    cohort, people, pair = published_pair
    lin, eva = people["lin"], people["eva"]
    mail.outbox.clear()
    client.force_login(lin.applicant)
    response = client.post(reverse("applications:withdraw", args=[cohort.slug, lin.pk]))
    assert response.status_code == 302
    pair.refresh_from_db()
    lin.refresh_from_db()
    assert lin.status == Application.Status.WITHDRAWN
    assert pair.status == Partnership.Status.ENDED
    # The partner is told (and only the partner), without the leaver's private reason.
    assert [m.to for m in mail.outbox] == [[eva.email]]
    assert "Lin Learner has left" in mail.outbox[0].body
    # Eva no longer sees Lin; the next run works and offers Eva a new partner.
    client.force_login(eva.applicant)
    assert "partners" not in client.get("/").context["blocks_by_name"]
    run = services.run_match(cohort, actor=pair.approved_by)
    ids = {p["id"] for p in run.input["experienced"] + run.input["learning"]}
    assert services.pid(lin) not in ids and services.pid(eva) in ids
    assert [services.pid(eva), services.pid(lin)] not in run.input["keep"]


def test_a_changed_decision_ends_the_pair_too(published_pair, coordinator):
    cohort, people, pair = published_pair
    cohort_services.decide(people["lin"], "waitlisted", "Capacity", actor=coordinator)
    pair.refresh_from_db()
    assert pair.status == Partnership.Status.ENDED
    services.run_match(cohort, actor=coordinator)  # no "unknown learning id"


def test_an_experienced_lead_leaving_ends_all_their_pairs(pairing_cohort, coordinator):
    cohort, people = pairing_cohort
    eva = people["eva"]
    services.set_role(eva, "experienced", 2, actor=coordinator)
    run = services.run_match(cohort, actor=coordinator, pinned=[(eva.pk, people["lin"].pk)])
    services.approve_run(run, actor=coordinator)
    services.publish(cohort, actor=coordinator, notify=False)
    first = Partnership.objects.filter(experienced=eva, status="published").first()
    # Give Eva a second learner by hand (capacity 2), published as well.
    other = make_app(cohort, "Lea Later", "learning", country="GH")
    second = Partnership.objects.create(
        cohort=cohort, experienced=eva, learning=other, status="published"
    )
    services.end(first, actor=eva.applicant, reason="Leaving", leaving=eva)
    second.refresh_from_db()
    assert second.status == Partnership.Status.ENDED
    services.run_match(cohort, actor=coordinator)


def test_no_allowed_state_makes_a_run_fail(published_pair, coordinator):
    """Stale pins and forbids, a lowered capacity and a role change: the run still works."""
    cohort, people, pair = published_pair
    services.set_role(people["eva"], "experienced", 0, actor=coordinator)  # below its kept pair
    Application.objects.filter(pk=people["leo"].pk).update(status="withdrawn")
    run = services.run_match(
        cohort,
        actor=coordinator,
        pinned=[(people["ed"].pk, people["leo"].pk)],
        forbidden=[(people["ed"].pk, people["waitlisted"].pk)],
    )
    assert run.input["pinned"] == [] and run.input["forbidden"] == []
    assert [services.pid(people["eva"]), services.pid(people["lin"])] in run.input["keep"]


def test_swap_offers_only_learners_who_can_be_taken(client, pairing_cohort, coordinator):
    cohort, people = pairing_cohort
    run = services.run_match(cohort, actor=coordinator)
    ed_leo = run.partnerships.get(experienced=people["ed"])
    eva_lin = run.partnerships.get(experienced=people["eva"])
    services.approve(ed_leo, actor=coordinator)  # Leo is taken now
    client.force_login(coordinator)
    page = client.get(reverse("partnerships:swap_search", args=[cohort.slug, eva_lin.pk]))
    offered = {option["application"].pk for option in page.context["options"]}
    assert people["leo"].pk not in offered
    assert not offered  # Lin is Eva's partner already, Leo is taken, Wendy is not accepted
    response = client.post(
        reverse("partnerships:pair_action", args=[cohort.slug, eva_lin.pk, "swap"]),
        {"learning": people["leo"].pk},
        follow=True,
    )
    eva_lin.refresh_from_db()
    assert eva_lin.learning == people["lin"]
    assert "still free" in response.content.decode()
    with pytest.raises(services.PairingConflict):
        services.swap(eva_lin, people["leo"], actor=coordinator)


def test_a_withdrawn_participants_proposals_go_and_approval_is_refused(pairing_cohort, coordinator):
    cohort, people = pairing_cohort
    run = services.run_match(cohort, actor=coordinator)
    eva_lin = run.partnerships.get(experienced=people["eva"])
    cohort_services.withdraw(people["lin"], actor=people["lin"].applicant)
    assert not Partnership.objects.filter(pk=eva_lin.pk).exists()  # the proposal is dropped
    stale = Partnership.objects.create(
        cohort=cohort, run=run, experienced=people["eva"], learning=people["lin"]
    )
    with pytest.raises(services.PairingConflict, match="no longer an accepted participant"):
        services.approve(stale, actor=coordinator)
