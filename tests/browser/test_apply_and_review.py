"""Journey: a lead signs up, applies and is confirmed; a coordinator finds and accepts them."""

import pytest
from django.core import mail

from tandem.applications.models import Application
from tandem.cohorts.models import Topic
from tandem.cohorts.vocabulary import ensure_seed_topics
from tests.accounts.factories import PASSWORD, CoordinatorFactory
from tests.cohorts.factories import CohortFactory
from tests.members.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_apply_then_coordinator_accepts(page):
    ensure_seed_topics(Topic)  # transactional tests flush data migrations' rows
    cohort = CohortFactory(name="2027 Cohort", slug="2027")
    OrganizationFactory(symbol="KRDC", name="Kenya Research Data Consortium", country="KE")
    coordinator = CoordinatorFactory(email="staff@example.org", name="Casey Staff")

    # A Consortium Lead signs up.
    page.goto("/")
    page.locator("header").get_by_role("button", name="Sign up").click()
    page.get_by_label("Name").fill("Amina Otieno")
    page.get_by_label("E-mail address").fill("amina@example.org")
    page.locator("#id_timezone").select_option("Africa/Nairobi")
    page.locator("#id_password1").fill("a-long-passphrase-42")
    page.locator("#id_password2").fill("a-long-passphrase-42")
    page.locator("main").get_by_role("button", name="Sign up").click()
    page.get_by_text("Your account is ready").wait_for()

    # ... applies to the open cohort.
    page.locator("main").get_by_role("button", name="Apply").first.click()
    page.get_by_label("DataCite member ID of your consortium").fill("KRDC")
    page.get_by_label("Year it became a Consortium Lead").fill("2021")
    page.get_by_label("Consortium organisations").fill("12")
    page.get_by_label("Repositories", exact=True).fill("20")
    page.get_by_label("Job title").fill("Consortium Manager")
    page.get_by_label("Your time zone").select_option("Africa/Nairobi")
    page.locator("select[name=lang-0-code]").select_option("en")
    page.locator("select[name=lang-0-level]").select_option("3")
    page.locator("select[name=avail-0-day]").select_option("mon")
    page.locator("input[name=avail-0-start]").fill("09:00")
    page.locator("input[name=avail-0-end]").fill("12:00")
    page.get_by_label("Preferred role").select_option("learning")
    page.get_by_label("Years leading a consortium").fill("2")
    page.get_by_label("Self-rated experience").select_option("2")
    page.locator("select[name='topics-challenge__fee-models-billing']").select_option("3")
    page.get_by_label("Your goals for the partnership").fill("Grow to 30 members.")
    page.get_by_label("Main challenges you face").fill("Designing a fee model.")
    page.get_by_label("I accept the participation guidelines").check()
    page.get_by_role("button", name="Submit application").click()
    page.get_by_text("Application submitted").wait_for()
    assert "Submitted" in page.content()
    assert Application.objects.get().status == "submitted"
    assert any("We received your application" in m.subject for m in mail.outbox)

    # A coordinator signs in, finds the GAP applicant and accepts.
    page.get_by_role("button", name="Sign out").click()
    page.locator("header").get_by_role("link", name="Sign in").click()
    page.locator("#id_username").fill(coordinator.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Review").first.click()
    # htmx must be loaded before the filter changes, or the change is not sent (a slow machine).
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
    page.locator("select[name=gap]").select_option("yes")
    page.wait_for_url("**gap=yes**")  # htmx swapped the table and pushed the filter URL
    page.locator("#review-table").get_by_text("Amina Otieno").wait_for()
    page.get_by_role("link", name="Amina Otieno").click()
    page.locator("select[name=decision]").select_option("accepted")
    page.get_by_label("Note").fill("Welcome!")
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Amina Otieno: Accepted").wait_for()
    assert Application.objects.get().status == "accepted"
    assert cohort.applications.get().decided_by == coordinator
