"""Uploads to the library: type by content, size limit, safe names, and downloads served as
attachments with the checked type from the library's storage (never a public URL)."""

import io
import zipfile

import pytest
from django.test import override_settings
from django.urls import reverse

from tandem.resources import services
from tandem.resources.models import Resource, Version, Visibility
from tests.accounts.factories import UserFactory
from tests.core.test_uploads import EXE, PDF

from .factories import docx_file, make_resource, pdf_file, upload

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def share_form(**overrides):
    data = {
        "title": "Kick-off checklist",
        "description": "What to agree in the first call.",
        "kind": "template",
        "language": "en",
        "licence": "CC-BY-4.0",
        "visibility": "pair",
    }
    data.update(overrides)
    return data


@pytest.fixture
def lin_client(client, published_pair):
    _cohort, people, _pair = published_pair
    client.force_login(people["lin"].applicant)
    return client


def test_an_executable_renamed_pdf_is_refused(lin_client):
    response = lin_client.post(
        reverse("resources:share"), share_form(file=upload("checklist.pdf", EXE))
    )
    assert response.status_code == 400
    assert "not a real PDF document" in response.content.decode()
    assert not Resource.objects.exists()


def test_a_macro_enabled_workbook_is_refused(lin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.'
            'sheet.macroEnabled.main+xml"/></Types>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
    response = lin_client.post(
        reverse("resources:share"), share_form(file=upload("budget.xlsx", buffer.getvalue()))
    )
    assert response.status_code == 400
    assert not Resource.objects.exists()


@override_settings(TANDEM_RESOURCE_MAX_BYTES=1024 * 1024)
def test_an_oversized_file_is_refused_with_its_size_and_the_limit(lin_client):
    big = upload("slides.pdf", PDF + b"%" + b"x" * (2 * 1024 * 1024))
    response = lin_client.post(reverse("resources:share"), share_form(file=big))
    assert response.status_code == 400
    assert "This file is 2.0\xa0MB; files may be at most 1.0\xa0MB." in response.content.decode()


def test_a_path_in_the_name_is_dropped_and_never_used_on_disk(lin_client):
    response = lin_client.post(
        reverse("resources:share"),
        share_form(file=upload("../../etc/..\\passwd<x>.md", b"# Hello\n")),
    )
    assert response.status_code == 302
    version = Version.objects.get()
    assert version.filename == "passwdx.md"
    assert "passwd" not in version.blob and ".." not in version.blob
    assert services.storage().exists(version.blob)
    download = lin_client.get(reverse("resources:download", args=[version.resource_id]))
    assert download["Content-Disposition"] == 'attachment; filename="passwdx.md"'


def test_download_is_an_attachment_with_the_checked_type_and_nosniff(lin_client, coordinator):
    resource = make_resource(coordinator, file=docx_file("Agenda"), visibility=Visibility.PUBLIC)
    response = lin_client.get(reverse("resources:download", args=[resource.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == 'attachment; filename="template.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"PK")
    resource.refresh_from_db()
    assert resource.download_count == 1


def test_links_are_shared_and_opened_through_the_counted_redirect(lin_client):
    response = lin_client.post(
        reverse("resources:share"),
        share_form(url="https://example.org/recording", kind="recording"),
    )
    resource = Resource.objects.get()
    assert response.status_code == 302
    opened = lin_client.get(reverse("resources:download", args=[resource.pk]))
    assert opened.status_code == 302 and opened["Location"] == "https://example.org/recording"


def test_a_file_and_a_link_together_or_neither_are_refused(lin_client):
    both = lin_client.post(
        reverse("resources:share"),
        share_form(url="https://example.org/x", file=pdf_file("words")),
    )
    neither = lin_client.post(reverse("resources:share"), share_form())
    assert both.status_code == neither.status_code == 400
    assert not Resource.objects.exists()


def test_a_javascript_link_is_refused(lin_client):
    response = lin_client.post(reverse("resources:share"), share_form(url="javascript:alert(1)"))
    assert response.status_code == 400


def test_a_newcomer_cannot_share(client):
    client.force_login(UserFactory())
    assert client.get(reverse("resources:share")).status_code == 403
