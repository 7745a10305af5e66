"""Journey: a coordinator matches the demo cohort, pins a pair, re-runs, approves and
publishes; a participant then sees their partner and why they were matched."""

import pytest
from django.core.management import call_command

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
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
    first = MatchRun.objects.get()
    pin = first.partnerships.order_by("score").first()  # the weakest proposal

    # A swap is searched: opening "Swap" lists the lead's best free learning leads.
    row = page.locator("#proposals tbody tr").first
    row.locator("details.swap summary").click()
    row.locator(".swap-options li").first.wait_for()
    assert row.locator(".swap-options li").count() <= 10

    # Pin that pair, forbid nothing, re-run.
    page.get_by_role("button", name="Adjust pins, weights and re-run").click()
    page.wait_for_url("**/pairing/")
    # htmx must listen before typing (a loaded machine may let the test type first).
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
    # Pins are searched by name (no select of everyone): type, then pick from the matches.
    for slot, person in (("pin_0_e", pin.experienced), ("pin_0_l", pin.learning)):
        page.locator(f"input[name={slot}_q]").fill(person.full_name)
        page.locator(f"select[name={slot}] option[value='{person.pk}']").wait_for(state="attached")
        page.locator(f"select[name={slot}]").select_option(str(person.pk))
    page.get_by_role("button", name="Run the matching engine").click()
    page.wait_for_url(f"**/runs/{first.pk + 1}/")
    second = MatchRun.objects.get(pk=first.pk + 1)
    assert second.settings["pinned"] == [[pin.experienced_id, pin.learning_id]]
    assert page.locator("#proposals .badge", has_text="pinned").count() == 1
    assert page.locator("#runs tbody tr").count() == 2  # both runs compared side by side

    page.get_by_role("button", name="Approve all").click()
    page.locator("#publish").click()
    page.get_by_text("published; both partners were notified").wait_for()
    published = Partnership.objects.filter(status="published")
    assert published.filter(experienced_id=pin.experienced_id, learning_id=pin.learning_id).exists()
    assert published.count() == second.stats["pairs"]

    # The pinned learning lead signs in and meets the partner.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, pin.learning.applicant.email)
    card = page.locator("article.partner")
    card.get_by_text(f"Your partner in 2024 Cohort: {pin.experienced.full_name}").wait_for()
    card.get_by_text("Why you were matched").click()
    assert card.get_by_text("The programme team chose this partnership for you.").is_visible()


def test_a_large_match_shows_its_progress_then_its_pairs(page, settings):
    """Above TANDEM_SYNC_MATCH_LIMIT the run is queued for the worker; the page polls its
    progress and shows the pairs once the worker is done, without a reload by hand."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TANDEM_SYNC_MATCH_LIMIT = 5
    demo.seed(n_applicants=30, publish_match=False)
    sign_in(page, demo.COORDINATOR_EMAIL)
    page.goto("/cohorts/2024/pairing/")
    page.get_by_role("button", name="Run the matching engine").click()
    page.get_by_text("running in the background").wait_for()
    page.locator("#run-status progress").wait_for()
    assert page.locator("#proposals").count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay")
    page.locator("#proposals tbody tr").first.wait_for()  # polled, then reloaded
    assert MatchRun.objects.get().status == "done"
