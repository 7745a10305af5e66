"""Journey: a pair schedules and logs a check-in; the coordinator sees it done."""

import datetime as dt

import pytest
import time_machine

from tests.accounts.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


@pytest.fixture
def journey_clock():
    """A Wednesday 08:05 UTC (the hour a real run once failed at), ticking; the server thread
    shares the moved clock."""
    with time_machine.travel(dt.datetime(2026, 6, 3, 8, 5, tzinfo=dt.UTC), tick=True) as clock:
        yield clock


def test_pair_schedules_and_logs_a_checkin(journey_clock, page, published_pair, coordinator):
    cohort, people, pair = published_pair
    eva, lin = people["eva"].applicant, people["lin"].applicant

    sign_in(page, eva.email)
    page.locator("#my-checkins").get_by_role("link", name="Check-in 1").click()
    suggested = page.locator("select[name=suggested] option").nth(1).get_attribute("value")
    page.locator("select[name=suggested]").select_option(suggested)
    page.get_by_role("button", name="Propose").click()
    page.get_by_text("Time proposed").wait_for()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, lin.email)
    page.locator("#my-checkins").get_by_role("link", name="Check-in 1").click()
    page.get_by_role("button", name="Confirm this time").click()
    page.get_by_text("Check-in confirmed").wait_for()
    assert page.locator("#checkin-status").inner_text() == "scheduled"
    checkin = pair.checkins.get(round=1)
    journey_clock.move_to(checkin.ends_at + dt.timedelta(minutes=10))  # the pair has met
    page.reload()
    page.get_by_label("Progress on goals").fill("We drafted a fee model together.")
    page.get_by_label("Next steps").fill("Present it to the members in June.")
    page.get_by_label("How useful was it?").select_option("5")
    page.get_by_role("button", name="Log check-in").click()
    page.get_by_text("Check-in logged").wait_for()
    assert page.locator("#checkin-status").inner_text() == "done"

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, coordinator.email)
    page.goto(f"/cohorts/{cohort.slug}/")
    page.locator("main").get_by_role("button", name="Check-ins").click()
    row = page.locator("#checkin-overview tr", has_text="Eva Expert")
    assert "1: done" in row.inner_text()
