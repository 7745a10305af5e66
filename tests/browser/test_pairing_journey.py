"""Journey: a coordinator matches the demo cohort, pins a pair, re-runs, approves and
publishes; a participant then sees their partner and why they were matched."""

import pytest

from tandem.demo import seed as demo
from tandem.partnerships.models import MatchRun, Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


def test_coordinator_matches_pins_publishes_and_participant_sees_partner(page):
    demo.seed(n_applicants=30, publish_match=False)
    sign_in(page, demo.COORDINATOR_EMAIL)
    page.goto("/cohorts/2024/")
    page.locator("main").get_by_role("button", name="Pairing").click()
    page.get_by_role("button", name="Run the matching engine").click()
    page.get_by_role("heading", name="Match run #").wait_for()
    first = MatchRun.objects.get()
    pin = first.partnerships.order_by("score").first()  # the weakest proposal

    # Pin that pair, forbid nothing, re-run.
    page.get_by_role("button", name="Adjust pins, weights and re-run").click()
    page.locator("select[name=pin_0_e]").select_option(str(pin.experienced_id))
    page.locator("select[name=pin_0_l]").select_option(str(pin.learning_id))
    page.get_by_role("button", name="Run the matching engine").click()
    page.wait_for_url(f"**/runs/{first.pk + 1}/")
    second = MatchRun.objects.get(pk=first.pk + 1)
    assert second.settings["pinned"] == [[pin.experienced_id, pin.learning_id]]
    assert page.locator("#proposals .badge", has_text="pinned").count() == 1
    assert page.locator("#runs tbody tr").count() == 2  # both runs compared side by side

    page.get_by_role("button", name="Approve all").click()
    page.locator("#publish").click()
    page.get_by_text("pair(s) published").wait_for()
    published = Partnership.objects.filter(status="published")
    assert published.filter(experienced_id=pin.experienced_id, learning_id=pin.learning_id).exists()
    assert published.count() == second.stats["pairs"]

    # The pinned learning lead signs in and meets the partner.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, pin.learning.applicant.email)
    card = page.locator("article.partner")
    card.get_by_text(f"Your partner in 2024 Cohort: {pin.experienced.full_name}").wait_for()
    card.get_by_text("Why you were matched").click()
    assert card.get_by_text("pinned by programme staff").is_visible()
