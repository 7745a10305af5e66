"""Issue 21: every page of the journeys fits a 390 px phone. One browser session at 390 × 844
visits the main pages of the demo data set (seeded once, at a fixed instant) as a visitor, a
participant and a coordinator, and fails on any page wider than the window, naming the page
and its width. On the way, the keyboard's first stop is a visible "Skip to content"."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from tandem.accounts.models import User
from tandem.applications.models import Application
from tandem.demo import seed as demo
from tandem.meetings.models import CheckIn
from tandem.partnerships.models import MatchRun
from tandem.resources import selectors as library
from tandem.workshops.models import Workshop
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
#: A Wednesday morning, UTC: the demo's current cohort has check-ins due and workshops ahead.
NOW = dt.datetime(2026, 6, 3, 8, 5, tzinfo=dt.UTC)
#: axe-core (vendored, see tests/browser/vendor/README.md) and the pages it audits.
AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()
AUDITED = {"sign-in", "apply form", "participant home", "application detail", "pairing home"}
SERIOUS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => `${v.id} (${v.impact}): ${v.help} at `
    + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def demo_data():
    """The demo (24 applicants a cohort) seeded at NOW; the clock ticks on from there and the
    live server's thread shares it."""
    with time_machine.travel(NOW, tick=True):
        yield demo.seed(n_applicants=24)


def participant_pages(summary) -> dict[str, str]:
    current, opened = summary["current"], summary["open"]
    me = User.objects.get(email=demo.PARTICIPANT_EMAIL)
    application = Application.objects.get(cohort__slug=current, applicant=me)
    checkin = CheckIn.objects.filter(partnership__learning=application).order_by("round").last()
    workshop = Workshop.objects.filter(cohort__slug=current).order_by("pk").first()
    resource = library.visible_to(me).order_by("pk").first()
    return {
        "participant home": reverse("home"),
        "cohort page": reverse("cohorts:detail", args=[current]),
        "apply form": reverse("applications:apply", args=[opened]),
        "my application": reverse("applications:detail", args=[current, application.pk]),
        "my check-in": reverse("meetings:checkin", args=[current, checkin.pk]),
        "meetings": reverse("meetings:list", args=[current]),
        "workshops list": reverse("workshops:list", args=[current]),
        "workshop page": reverse("workshops:detail", args=[current, workshop.pk]),
        "workshop topics": reverse("workshops:topics", args=[current]),
        "library list": reverse("resources:library"),
        "library detail": reverse("resources:detail", args=[resource.pk]),
        "library share": reverse("resources:share"),
        "profile": reverse("accounts:profile"),
    }


def coordinator_pages(summary) -> dict[str, str]:
    current = summary["current"]
    application = Application.objects.filter(cohort__slug=current).order_by("pk").first()
    run = MatchRun.objects.filter(cohort__slug=current).order_by("pk").last()
    checkin = CheckIn.objects.filter(partnership__cohort__slug=current).order_by("pk").first()
    workshop = Workshop.objects.filter(cohort__slug=current).order_by("pk").first()
    return {
        "coordinator home": reverse("home"),
        "new cohort form": reverse("cohorts:create"),
        "cohort page (coordinator)": reverse("cohorts:detail", args=[current]),
        "application review list": reverse("applications:review", args=[current]),
        "application detail": reverse("applications:detail", args=[current, application.pk]),
        "pairing home": reverse("partnerships:home", args=[current]),
        "run review": reverse("partnerships:run", args=[current, run.pk]),
        "check-ins overview": reverse("meetings:checkins", args=[current]),
        "a check-in (coordinator)": reverse("meetings:checkin", args=[current, checkin.pk]),
        "meetings (coordinator)": reverse("meetings:list", args=[current]),
        "find a time": reverse("meetings:find_time", args=[current]),
        "workshops list (coordinator)": reverse("workshops:list", args=[current]),
        "workshop page (coordinator)": reverse("workshops:detail", args=[current, workshop.pk]),
        "workshops report": reverse("workshops:report", args=[current]),
        "library review queue": reverse("resources:review_queue"),
        "outbox": reverse("outbox:index"),
    }


def sign_in(page, email):
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", email)
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def skip_link_problems(page) -> list[str]:
    """The first Tab reaches "Skip to content", shown on the phone with a visible outline; it
    moves the focus to the page's main content."""
    page.keyboard.press("Tab")
    text, on_screen, outline_style, outline_width = page.evaluate(
        "() => { const e = document.activeElement, r = e.getBoundingClientRect(),"
        " s = getComputedStyle(e); return [e.textContent.trim(), r.top >= 0 && r.bottom > 0,"
        " s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    problems = []
    if outline_style == "none" or outline_width < 2:
        problems.append(f"the focused link's outline is {outline_style} {outline_width}px")
    if text != "Skip to content" or not on_screen:
        return [*problems, f"the first Tab reaches {text!r} (on screen: {on_screen})"]
    page.keyboard.press("Enter")
    if page.evaluate("() => document.activeElement.id") != "content":
        problems.append("Skip to content does not move the focus to the main content")
    return problems


def test_every_page_fits_a_390px_phone_and_the_keyboard_and_axe(browser, live_server, demo_data):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, timezone_id="Africa/Nairobi"
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    too_wide: list[str] = []
    inaccessible: list[str] = []
    visited: list[str] = []

    def visit(pages: dict[str, str]) -> None:
        for name, url in pages.items():
            response = page.goto(url)
            assert response.status == 200, f"{name} ({url}): {response.status}"
            width, window = page.evaluate(WIDTH)
            visited.append(name)
            if name in AUDITED:
                page.evaluate(AXE)
                inaccessible.extend(f"{name} ({url}): {v}" for v in page.evaluate(SERIOUS))
            if width > window:
                too_wide.append(f"{name} ({url}): {width} px wide in a {window} px window")
                ARTIFACTS.mkdir(exist_ok=True)
                shot = ARTIFACTS / f"phone-{len(visited):02}.png"
                page.screenshot(path=str(shot), full_page=True)

    try:
        visit({"sign-in": reverse("accounts:login"), "sign-up": reverse("accounts:signup")})
        inaccessible.extend(skip_link_problems(page))
        sign_in(page, demo.PARTICIPANT_EMAIL)
        visit(participant_pages(demo_data))
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, demo.COORDINATOR_EMAIL)
        visit(coordinator_pages(demo_data))
    finally:
        context.close()
    assert too_wide + inaccessible == [], "\n".join(too_wide + inaccessible)
    assert len(visited) > 30
