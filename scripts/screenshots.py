"""Take the README screenshots from a freshly seeded demo (`make demo`), with Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
The match review page is shown for a fresh run, so this script first runs one (as a coordinator).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
DOCS = Path(__file__).resolve().parent.parent / "docs"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def login(page, email):
    page.context.clear_cookies()
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "tandem-demo")
    page.locator("main").get_by_role("button", name="Sign in").click()


def shot(page, name, full=False):
    page.screenshot(path=str(DOCS / name), full_page=full)


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # The participant's partner and the check-in due this week, in the current cohort
        # (seeded relative to the day: its slug is read from the page).
        login(page, "participant@example.org")
        page.goto(f"{BASE}/")
        shot(page, "partner.png")
        current = page.locator("#my-checkins a").first.get_attribute("href").split("/")[2]
        login(page, "coordinator@example.org")
        page.goto(f"{BASE}/cohorts/2024/applications/")
        shot(page, "review.png")
        page.goto(
            f"{BASE}/cohorts/2024/meetings/find-time/?start=2024-06-03&end=2024-06-09"
            "&duration=60&sessions=1"
        )
        shot(page, "find-time.png")
        page.goto(f"{BASE}/cohorts/{current}/checkins/")
        shot(page, "checkins.png")
        page.goto(f"{BASE}/cohorts/2024/pairing/")
        page.locator("#pairs").scroll_into_view_if_needed()
        shot(page, "pairing.png")
        page.set_viewport_size({"width": 1280, "height": 1300})
        page.goto(f"{BASE}/cohorts/2024/pairing/runs/1/")
        shot(page, "match-run.png")
        page.set_viewport_size({"width": 1280, "height": 900})
        login(page, "lead05@example.org")
        page.goto(f"{BASE}/")
        page.locator("main").get_by_role("button", name="Apply").first.click()
        shot(page, "apply.png")
        browser.close()


if __name__ == "__main__":
    main()
