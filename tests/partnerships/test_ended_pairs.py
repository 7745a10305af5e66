"""An ended pair is never proposed again in the cohort, until staff allow it with a note."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tandem.core.models import ActivityLog
from tandem.partnerships import services
from tandem.partnerships.models import MatchRun, Partnership
from tests.partnerships.test_pairing import run_post

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

ENDED_AT = dt.datetime(2025, 2, 10, 12, 0, tzinfo=dt.UTC)
REASON = "Time zones did not work out"


def _pairs(run):
    return {(x.experienced_id, x.learning_id) for x in run.partnerships.all()}


@pytest.fixture
def ended(coordinator_client, pairing_cohort, coordinator):
    """Eva & Lin and Ed & Leo published; Eva & Lin ended with both staying, on 10 Feb 2025."""
    cohort, p = pairing_cohort
    run = services.run_match(cohort, actor=coordinator)
    assert (p["eva"].pk, p["lin"].pk) in _pairs(run)  # their best match
    services.approve_run(run, actor=coordinator)
    services.publish(cohort, actor=coordinator, notify=False)
    pair = cohort.partnerships.get(experienced=p["eva"], learning=p["lin"])
    with time_machine.travel(ENDED_AT, tick=False):
        response = coordinator_client.post(
            reverse("partnerships:end", args=[cohort.slug, pair.pk]),
            {"reason": REASON, "leaving": ""},  # "Both stay in the program"
        )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == "ended" and pair.end_reason == REASON
    return cohort, p, pair


def test_an_ended_pair_is_not_proposed_again(ended, coordinator):
    cohort, p, pair = ended
    run = services.run_match(cohort, actor=coordinator)
    assert (p["eva"].pk, p["lin"].pk) not in _pairs(run)
    assert run.settings["ended"] == [pair.pk]
    assert services.pid(p["lin"]) in {u["id"] for u in run.unmatched}


def test_the_run_review_shows_it_and_staff_lift_it_with_a_logged_note(
    coordinator_client, ended, coordinator
):
    cohort, p, pair = ended
    coordinator_client.post(reverse("partnerships:run_create", args=[cohort.slug]), run_post())
    run = MatchRun.objects.first()
    page = coordinator_client.get(reverse("partnerships:run", args=[cohort.slug, run.pk]))
    body = page.content.decode()
    section = body[body.index('id="forbidden"') :]
    section = section[: section.index("</ul>")]
    assert "Eva Expert ↔ Lin Learner: ended on 10 Feb 2025: Time zones did not work out" in section
    lift = reverse("partnerships:pair_action", args=[cohort.slug, pair.pk, "allow_rematch"])
    assert lift in section

    # a lift without a note is refused, and nothing changes
    response = coordinator_client.post(lift, {"note": "  ", "run": run.pk})
    assert response.status_code == 302 and response["Location"].endswith(f"/runs/{run.pk}/")
    assert not Partnership.objects.get(pk=pair.pk).rematch_allowed_at
    assert (p["eva"].pk, p["lin"].pk) not in _pairs(services.run_match(cohort, actor=coordinator))

    note = "They found a time that works after all."
    with time_machine.travel(ENDED_AT + dt.timedelta(days=2), tick=False):
        response = coordinator_client.post(lift, {"note": note, "run": run.pk})
    assert response.status_code == 302 and response["Location"].endswith(f"/runs/{run.pk}/")
    log = ActivityLog.objects.get(action="pairing.rematch_allowed")
    assert note in log.summary and log.data["note"] == note and log.actor == coordinator
    again = services.run_match(cohort, actor=coordinator)
    assert (p["eva"].pk, p["lin"].pk) in _pairs(again)
    assert again.settings["ended"] == []
    body = coordinator_client.get(reverse("partnerships:run", args=[cohort.slug, run.pk]))
    assert f"allowed again on 12 Feb 2025: {note}" in body.content.decode()


def test_a_pin_of_an_ended_pair_says_to_allow_it_first(ended, coordinator):
    cohort, p, pair = ended
    with pytest.raises(services.CannotMatch, match="allow them to be paired again"):
        services.run_match(cohort, actor=coordinator, pinned=[(p["eva"].pk, p["lin"].pk)])
