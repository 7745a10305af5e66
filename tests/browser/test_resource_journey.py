"""Journey: a participant shares a template (a Word document with a made-up word inside), finds
it by that word, and downloads it — the same bytes come back."""

from pathlib import Path

import pytest

from tandem.demo import documents
from tests.accounts.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "flibbertigibbet"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


def test_share_find_and_download_a_template(page, published_pair, tmp_path):
    _cohort, people, _pair = published_pair
    lin = people["lin"].applicant
    template = tmp_path / "Partnership agreement.docx"
    template.write_bytes(
        documents.docx("Partnership agreement", [f"Both partners agree to the {WORD} rule."])
    )

    sign_in(page, lin.email)
    page.locator("header").get_by_role("link", name="Library").click()
    page.get_by_role("button", name="Share a resource").click()
    page.get_by_label("Title").fill("Partnership agreement template")
    page.get_by_label("File", exact=True).set_input_files(str(template))
    page.get_by_label("Description").fill("A one-page agreement for a new pair.")
    page.get_by_label("Visible to").select_option("pair")
    page.get_by_role("button", name="Share").click()
    page.get_by_text("is in the library").wait_for()

    page.locator("header").get_by_role("link", name="Library").click()
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
    page.locator("input[name=q]").fill(WORD)
    page.locator("input[name=q]").press("Enter")
    result = page.locator("#results .resource-row", has_text="Partnership agreement template")
    result.wait_for()
    assert WORD in result.locator("mark").first.inner_text().lower()
    result.get_by_role("link", name="Partnership agreement template").click()

    with page.expect_download() as download_info:
        page.locator("#download-latest").click()
    download = download_info.value
    assert download.suggested_filename == "Partnership agreement.docx"
    assert Path(download.path()).read_bytes() == template.read_bytes()
