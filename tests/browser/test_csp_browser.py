"""Issue 11, point 15, in a real browser: under the Content-Security-Policy the API docs render
(from this site's own copy of Swagger UI), htmx filtering and the page scripts work, and the
browser reports no violation."""

import pytest

from tandem.applications.models import Application
from tests.accounts.factories import PASSWORD, CoordinatorFactory, UserFactory
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_violations(page) -> list[str]:
    """Collect CSP violations (console errors and securitypolicyviolation events)."""
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + ' '"
        " + e.blockedURI));"
    )
    return seen


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_api_docs_render_offline_under_the_policy(page, live_server):
    violations = watch_violations(page)
    external: list[str] = []
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto("/api/docs")
    page.locator(".swagger-ui .info .title").get_by_text("Tandem API").wait_for()
    page.locator(".opblock").first.wait_for()
    assert violations == []
    assert [url for url in external if not url.startswith(("data:", "blob:"))] == []


def test_page_scripts_and_htmx_work_under_the_policy(page, live_server):
    violations = watch_violations(page)
    cohort = CohortFactory(slug="c1")
    coordinator = CoordinatorFactory(email="staff@example.org")
    ApplicationFactory(cohort=cohort, full_name="Amina Otieno")
    ApplicationFactory(cohort=cohort, full_name="Bruno Silva")
    lead = UserFactory(email="lead@example.org")
    mine = ApplicationFactory(cohort=cohort, applicant=lead, full_name="Lead Person")

    # htmx: the review filters replace the table in place.
    sign_in(page, coordinator.email)
    page.goto(f"/cohorts/{cohort.slug}/applications/")
    page.get_by_text("Bruno Silva").wait_for()
    page.locator("input[name=q]").press_sequentially("Amina")  # keyup → htmx request
    page.get_by_text("Bruno Silva").wait_for(state="detached")
    page.wait_for_url("**q=Amina**")  # htmx swapped the table and pushed the filter URL
    assert page.get_by_text("Amina Otieno").is_visible()
    page.get_by_role("button", name="Sign out").click()

    # tandem.js: the calendar link selects itself; withdrawing asks first.
    sign_in(page, lead.email)
    page.goto("/accounts/profile/")
    page.locator("#feed-url").focus()
    selected = page.evaluate(
        "() => { const i = document.getElementById('feed-url');"
        " return i.selectionEnd - i.selectionStart === i.value.length && i.value.length > 0; }"
    )
    assert selected
    page.goto(mine.get_absolute_url())
    questions: list[str] = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Withdraw").click()
    page.wait_for_timeout(300)
    assert questions == ["Withdraw your application?"]
    mine.refresh_from_db()
    assert mine.status == Application.Status.SUBMITTED  # cancelled: nothing happened
    assert violations == []
