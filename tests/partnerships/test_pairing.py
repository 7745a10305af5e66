import pytest
from django.core import mail
from django.urls import reverse

from tandem.applications.models import Application
from tandem.partnerships import services
from tandem.partnerships.models import MatchRun, Partnership
from tests.accounts.factories import UserFactory
from tests.pairing_fixtures import make_app

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def run_post(**extra):
    data = {
        "min_overlap_hours": "1",
        "w_expertise": "0.35",
        "w_goals": "0.2",
        "w_language": "0.1",
        "w_overlap": "0.2",
        "w_gap": "0.15",
    }
    data.update({k: str(v) for k, v in extra.items()})
    return data


def test_proposed_roles_and_override(pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    either = make_app(cohort, "Ivy Either", "either", years=5)
    assert services.proposed_role(either) == "experienced"
    either.years_leading, either.experience_level = 1, 2
    assert services.proposed_role(either) == "learning"
    services.set_role(p["lin"], "experienced", 2, actor=coordinator)
    assert services.effective_role(p["lin"]) == "experienced"


def test_engine_input_uses_accepted_applications_only(pairing_cohort):
    cohort, p = pairing_cohort
    data = services.engine_input(cohort)
    ids = {x["id"] for x in data["experienced"] + data["learning"]}
    assert services.pid(p["waitlisted"]) not in ids
    assert {x["id"] for x in data["experienced"]} == {services.pid(p["eva"]), services.pid(p["ed"])}
    lin = next(x for x in data["learning"] if x["id"] == services.pid(p["lin"]))
    assert lin["needs"] == ["metadata-quality"] and lin["gap"] is True
    assert data["settings"]["period"] == ["2025-01-06", "2025-06-30"]


def test_run_from_the_web_stores_inputs_settings_result(coordinator_client, pairing_cohort):
    cohort, p = pairing_cohort
    response = coordinator_client.post(
        reverse("partnerships:run_create", args=[cohort.slug]), run_post()
    )
    run = MatchRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/runs/{run.pk}/")
    assert run.created_by is not None and run.settings["min_overlap_hours"] == 1.0
    assert run.stats["pairs"] == 2 and run.stats["gap_matched"] == 2
    pairs = {(x.experienced, x.learning) for x in run.partnerships.all()}
    assert pairs == {(p["eva"], p["lin"]), (p["ed"], p["leo"])}
    page = coordinator_client.get(reverse("partnerships:run", args=[cohort.slug, run.pk]))
    body = page.content.decode()
    assert "Eva Expert" in body and "covers 1 of 1 needs" in body
    assert run.alternatives[services.pid(p["lin"])][0]["id"] == services.pid(p["eva"])


def test_pinned_and_forbidden_pairs(coordinator_client, pairing_cohort):
    cohort, p = pairing_cohort
    coordinator_client.post(
        reverse("partnerships:run_create", args=[cohort.slug]),
        run_post(
            pin_0_e=p["ed"].pk, pin_0_l=p["lin"].pk, forbid_0_e=p["eva"].pk, forbid_0_l=p["leo"].pk
        ),
    )
    run = MatchRun.objects.get()
    pairs = {(x.experienced, x.learning): x for x in run.partnerships.all()}
    assert (p["ed"], p["lin"]) in pairs and pairs[(p["ed"], p["lin"])].pinned
    assert (p["eva"], p["leo"]) not in pairs
    assert run.settings["pinned"] == [[p["ed"].pk, p["lin"].pk]]


def test_half_filled_pin_is_a_form_error(coordinator_client, pairing_cohort):
    cohort, p = pairing_cohort
    response = coordinator_client.post(
        reverse("partnerships:run_create", args=[cohort.slug]), run_post(pin_0_e=p["ed"].pk)
    )
    assert response.status_code == 400 and not MatchRun.objects.exists()


def test_rerun_keeps_approved_pairs(pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    first = services.run_match(cohort, actor=coordinator)
    eva_lin = first.partnerships.get(experienced=p["eva"])
    services.approve(eva_lin, actor=coordinator)
    second = services.run_match(cohort, actor=coordinator)
    assert second.stats["kept"] == 1
    assert not second.partnerships.filter(learning=p["lin"]).exists()  # kept, not re-proposed
    assert second.partnerships.filter(experienced=p["ed"], learning=p["leo"]).exists()


def test_approval_respects_capacity_and_one_partner_per_learner(pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    extra = make_app(cohort, "Lou Learner", "learning", needs=["metadata-quality"])
    a = Partnership.objects.create(cohort=cohort, experienced=p["eva"], learning=p["lin"])
    b = Partnership.objects.create(cohort=cohort, experienced=p["eva"], learning=extra)
    c = Partnership.objects.create(cohort=cohort, experienced=p["ed"], learning=p["lin"])
    services.approve(a, actor=coordinator)
    with pytest.raises(services.PairingConflict, match="capacity 1"):
        services.approve(b, actor=coordinator)
    with pytest.raises(services.PairingConflict, match="already has an approved partner"):
        services.approve(c, actor=coordinator)
    assert Partnership.objects.filter(status="approved").count() == 1


def test_swap_and_remove(coordinator_client, pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    run = services.run_match(cohort, actor=coordinator)
    pair = run.partnerships.get(experienced=p["ed"])
    url = reverse("partnerships:pair_action", args=[cohort.slug, pair.pk, "swap"])
    coordinator_client.post(url, {"learning": p["lin"].pk})
    pair.refresh_from_db()
    assert pair.learning == p["lin"] and pair.reasons[0] == {"code": "swapped", "params": {}}
    # Lin's old proposal with Eva is gone: nobody is proposed twice.
    assert run.partnerships.filter(learning=p["lin"]).count() == 1
    coordinator_client.post(
        reverse("partnerships:pair_action", args=[cohort.slug, pair.pk, "remove"])
    )
    assert not Partnership.objects.filter(pk=pair.pk).exists()


def test_infeasible_swap_is_refused(pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    far = make_app(
        cohort,
        "Far Away",
        "learning",
        tz="Pacific/Auckland",
        availability=[["sat", "22:00", "23:00"]],
    )
    run = services.run_match(cohort, actor=coordinator)
    pair = run.partnerships.get(experienced=p["ed"])
    with pytest.raises(services.PairingConflict, match="cannot be paired"):
        services.swap(pair, far, actor=coordinator)


def test_nobody_but_coordinators_sees_unpublished_pairs(client, pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    run = services.run_match(cohort, actor=coordinator)
    services.approve_run(run, actor=coordinator)
    client.force_login(p["lin"].applicant)
    assert "Eva Expert" not in client.get(reverse("home")).content.decode()
    for url in [
        reverse("partnerships:home", args=[cohort.slug]),
        reverse("partnerships:run", args=[cohort.slug, run.pk]),
    ]:
        assert client.get(url).status_code == 403
    pair = Partnership.objects.get(learning=p["lin"])
    response = client.post(
        reverse("partnerships:end", args=[cohort.slug, pair.pk]), {"reason": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["home", "run_create", "publish"])
def test_participants_cannot_use_pairing_pages(participant_client, pairing_cohort, name):
    cohort, _ = pairing_cohort
    url = reverse(f"partnerships:{name}", args=[cohort.slug])
    assert participant_client.post(url).status_code in (403, 405)
    assert participant_client.get(url).status_code in (403, 405)


def test_publish_notifies_both_and_shows_partner_to_each(client, pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    run = services.run_match(cohort, actor=coordinator)
    services.approve_run(run, actor=coordinator)
    assert services.publish(cohort, actor=coordinator) == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(a.email for a in (p["eva"], p["lin"], p["ed"], p["leo"]))
    assert services.publish(cohort, actor=coordinator) == 0  # nothing twice
    client.force_login(p["lin"].applicant)
    body = client.get(reverse("home")).content.decode()
    assert "Your partner in" in body and "Eva Expert" in body
    assert "Why you were matched" in body and "Eva has experience in" in body
    assert "Ed Elder" not in body  # someone else's pair


def test_partner_profile_respects_consent(client, pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    p["eva"].consent_share_profile = False
    p["eva"].save()
    services.approve_run(services.run_match(cohort, actor=coordinator), actor=coordinator)
    services.publish(cohort, actor=coordinator)
    client.force_login(p["lin"].applicant)
    body = client.get(reverse("home")).content.decode()
    assert "chose not to share" in body and "Grow metadata quality" not in body


def test_participant_withdraws_and_partner_is_rematched_alone(client, pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    newcomer = make_app(
        cohort,
        "Nia Newcomer",
        "experienced",
        country="FR",
        years=9,
        tz="Europe/Paris",
        expertise=[("metadata-quality", 2)],
    )
    newcomer.status = "waitlisted"
    newcomer.save()
    services.approve_run(services.run_match(cohort, actor=coordinator), actor=coordinator)
    services.publish(cohort, actor=coordinator)
    eva_lin = Partnership.objects.get(experienced=p["eva"])
    client.force_login(p["eva"].applicant)
    client.post(
        reverse("partnerships:end", args=[cohort.slug, eva_lin.pk]),
        {"reason": "Moving to a new job"},
    )
    eva_lin.refresh_from_db()
    p["eva"].refresh_from_db()
    assert eva_lin.status == "ended" and eva_lin.end_reason == "Moving to a new job"
    assert p["eva"].status == Application.Status.WITHDRAWN
    newcomer.status = "accepted"
    newcomer.save()
    rerun = services.run_match(cohort, actor=coordinator)
    assert rerun.stats["kept"] == 1  # Ed & Leo undisturbed
    assert {(x.experienced, x.learning) for x in rerun.partnerships.all()} == {(newcomer, p["lin"])}


def test_other_participant_cannot_end_a_pair(client, pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    services.approve_run(services.run_match(cohort, actor=coordinator), actor=coordinator)
    services.publish(cohort, actor=coordinator)
    pair = Partnership.objects.get(experienced=p["eva"])
    client.force_login(UserFactory())
    assert (
        client.post(
            reverse("partnerships:end", args=[cohort.slug, pair.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(p["leo"].applicant)  # in the cohort, but not in this pair
    assert (
        client.post(
            reverse("partnerships:end", args=[cohort.slug, pair.pk]), {"reason": "x"}
        ).status_code
        == 403
    )


def test_pairing_home_renders_roles_runs_and_pairs(
    coordinator_client, pairing_cohort, coordinator, django_assert_max_num_queries
):
    cohort, p = pairing_cohort
    services.approve_run(services.run_match(cohort, actor=coordinator), actor=coordinator)
    response = coordinator_client.get(reverse("partnerships:home", args=[cohort.slug]))
    body = response.content.decode()
    assert "Publish 2 approved pairs" in body and "Eva Expert" in body and "#" in body
