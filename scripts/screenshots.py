"""Take the README screenshots from a running demo (`make demo`), with Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
DOCS = Path(__file__).resolve().parent.parent / "docs"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def login(page, email):
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "tandem-demo")
    page.locator("main").get_by_role("button", name="Sign in").click()


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        login(page, "coordinator@example.org")
        page.goto(f"{BASE}/cohorts/2024/applications/")
        page.screenshot(path=str(DOCS / "review.png"))
        for name, path in getattr(sys.modules[__name__], "EXTRA", []):
            page.goto(BASE + path)
            page.screenshot(path=str(DOCS / name), full_page=False)
        page.context.clear_cookies()
        login(page, "lead05@example.org")
        page.goto(f"{BASE}/")
        open_cohort = page.locator("main").get_by_role("button", name="Apply").first
        open_cohort.click()
        page.screenshot(path=str(DOCS / "apply.png"))
        browser.close()


EXTRA: list[tuple[str, str]] = []

if __name__ == "__main__":
    main()
