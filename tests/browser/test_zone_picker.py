"""Issue 21, in a real browser set to Nepal's zone: sign-up proposes the device's zone (and says
so), the filter box narrows the zone list, and a zone already stored is never overridden."""

import pytest

from tandem.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory
from tests.cohorts.factories import CohortFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def nepal(browser, live_server):
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Kathmandu")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shown_values(page) -> list[str]:
    return page.locator("#id_timezone option").evaluate_all("os => os.map(o => o.value)")


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_sign_up_proposes_the_device_zone_and_the_filter_narrows_the_list(nepal):
    page = nepal
    page.goto("/accounts/signup/")
    zone = page.locator("#id_timezone")
    assert zone.input_value() == "Asia/Kathmandu"
    page.get_by_text("We chose your device's time zone: Asia / Kathmandu (UTC+05:45)").wait_for()

    search = page.get_by_label("Search time zones")
    search.fill("kolk")
    # Kolkata is the one match; the empty choice and the chosen zone stay (nothing changes).
    assert shown_values(page) == ["", "Asia/Kathmandu", "Asia/Kolkata"]
    assert zone.input_value() == "Asia/Kathmandu"
    search.fill("+05:45")
    assert shown_values(page) == ["", "Asia/Kathmandu"]
    search.fill("")
    assert len(shown_values(page)) > 400 and zone.input_value() == "Asia/Kathmandu"

    page.locator("#id_name").fill("Sita Sharma")
    page.locator("#id_email").fill("sita@example.org")
    page.locator("#id_password1").fill("a-long-passphrase-42")
    page.locator("#id_password2").fill("a-long-passphrase-42")
    page.locator("main").get_by_role("button", name="Sign up").click()
    page.get_by_text("Your account is ready").wait_for()
    assert User.objects.get(email="sita@example.org").timezone == "Asia/Kathmandu"


def test_the_filter_works_with_the_keyboard(nepal):
    page = nepal
    page.goto("/accounts/signup/")
    search = page.get_by_label("Search time zones")
    search.focus()
    page.keyboard.type("kolk")
    page.keyboard.press("Enter")  # chooses the one match, does not submit the form
    assert page.locator("#id_timezone").input_value() == "Asia/Kolkata"
    assert page.url.endswith("/accounts/signup/")
    assert page.get_by_text("We chose your device's time zone").count() == 0


@pytest.mark.parametrize(
    ("stored", "shown"), [("Europe/Berlin", "Europe/Berlin"), ("Asia/Calcutta", "Asia/Kolkata")]
)
def test_the_apply_form_keeps_the_stored_profile_zone(nepal, stored, shown):
    cohort = CohortFactory()
    user = UserFactory(email="lead@example.org", timezone=stored)
    sign_in(nepal, user.email)
    nepal.goto(f"/cohorts/{cohort.slug}/apply/")
    assert nepal.locator("#id_timezone").input_value() == shown
    assert nepal.get_by_text("We chose your device's time zone").count() == 0


def test_the_apply_form_proposes_the_device_zone_when_none_is_stored(nepal):
    cohort = CohortFactory()
    user = UserFactory(email="lead@example.org", timezone="")
    sign_in(nepal, user.email)
    nepal.goto(f"/cohorts/{cohort.slug}/apply/")
    assert nepal.locator("#id_timezone").input_value() == "Asia/Kathmandu"
    nepal.get_by_text("We chose your device's time zone").wait_for()
