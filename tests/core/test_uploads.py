"""Issue 11, point 14: uploads are checked by content, and served only through the
permission-checked view (attachment, the checked type, nosniff); /media/ serves nothing."""

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse

from tandem.meetings.models import Meeting
from tests.accounts.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]

# A Windows program: "MZ", the DOS stub and NULs, like any .exe.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8"
    + b"\x00" * 45
    + b"\x80\x00\x00\x00\x0e\x1f\xba\x0e\x00\xb4\t\xcd!\xb8\x01L\xcd!"
    + b"This program cannot be run in DOS mode.\r\r\n$"
    + b"\x00" * 64
)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ODT_MIME = "application/vnd.oasis.opendocument.text"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def validate_document(*args, **kwargs):
    from tandem.core.uploads import validate_document

    return validate_document(*args, **kwargs)


def zipped(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compress)
    return buffer.getvalue()


def docx(main: str = DOCX_MAIN, extra: dict | None = None) -> bytes:
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Override PartName="/word/document.xml" '
        f'ContentType="{main}"/></Types>'
    )
    return zipped(
        {"[Content_Types].xml": types, "word/document.xml": "<w:document/>", **(extra or {})}
    )


def odt(mimetype: str = ODT_MIME) -> bytes:
    return zipped({"mimetype": mimetype, "content.xml": "<office:document-content/>"})


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


ACCEPTED = [
    ("guidelines.pdf", PDF, "application/pdf"),
    ("Guidelines.PDF", PDF, "application/pdf"),
    (
        "guidelines.docx",
        docx(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("guidelines.odt", odt(), ODT_MIME),
    ("guidelines.txt", "Grüße, karibu — 参加者\n".encode(), "text/plain; charset=utf-8"),
    ("guidelines.md", b"# Guidelines\n\n* Be kind.\n", "text/markdown; charset=utf-8"),
    ("empty.txt", b"", "text/plain; charset=utf-8"),
]

REFUSED = [
    ("setup.pdf", EXE),  # the case: a program renamed
    ("setup.docx", EXE),
    ("setup.odt", EXE),
    ("setup.txt", EXE),
    ("setup.md", EXE),
    ("self-extracting.docx", EXE + docx()),  # a program with a real .docx appended
    ("archive.docx", zipped({"payload.exe": EXE})),  # any ZIP is not a Word document
    (
        "macros.docx",
        docx(
            main="application/vnd.ms-word.document.macroEnabled.main+xml",
            extra={"word/vbaProject.bin": b"\x00macro"},
        ),
    ),
    ("macros-hidden.docx", docx(extra={"word/vbaProject.bin": b"\x00macro"})),
    ("spreadsheet.odt", odt("application/vnd.oasis.opendocument.spreadsheet")),
    ("words.odt", docx()),  # a Word file is not OpenDocument
    ("odt.docx", odt()),
    ("latin1.txt", "café".encode("latin-1")),
    ("nul.md", b"# title\x00\n"),
    ("image.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),
    ("fake.pdf", b"PDF-1.4 not really"),
    ("truncated.docx", docx()[:40]),
    ("run.exe", EXE),
    ("noext", PDF),
]


@pytest.mark.unit
@pytest.mark.parametrize(("name", "data", "content_type"), ACCEPTED)
def test_real_documents_are_accepted(name, data, content_type):
    assert validate_document(upload(name, data)) == content_type


@pytest.mark.unit
@pytest.mark.parametrize(("name", "data"), REFUSED)
def test_documents_whose_content_is_not_their_type_are_refused(name, data):
    with pytest.raises(ValidationError):
        validate_document(upload(name, data))


@pytest.mark.unit
def test_the_check_leaves_the_file_readable_from_the_start():
    document = upload("guidelines.docx", docx())
    validate_document(document)
    assert document.read(2) == b"PK"


# --- Through the meeting form and the download view ---------------------------------------


def meeting_post(**extra):
    return {
        "kind": "orientation",
        "title": "Orientation",
        "starts_local": "2025-03-31T16:00",
        "timezone": "Europe/Berlin",
        "duration_minutes": "90",
        "video_url": "https://meet.example.org/x",
        "agenda": "Welcome",
        **extra,
    }


@pytest.mark.django_db
@pytest.mark.integration
def test_a_program_renamed_pdf_is_refused_with_a_message(coordinator_client, pairing_cohort):
    cohort, _ = pairing_cohort
    response = coordinator_client.post(
        reverse("meetings:create", args=[cohort.slug]),
        meeting_post(guidelines_file=upload("setup.pdf", EXE)),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["guidelines_file"]
    assert "not a real PDF document" in errors[0]
    assert not Meeting.objects.exists()


@pytest.mark.django_db
@pytest.mark.integration
@pytest.mark.parametrize(("name", "data", "content_type"), ACCEPTED[2:6])
def test_documents_are_downloaded_as_attachments_of_their_type(
    coordinator_client, pairing_cohort, name, data, content_type
):
    cohort, people = pairing_cohort
    response = coordinator_client.post(
        reverse("meetings:create", args=[cohort.slug]),
        meeting_post(guidelines_file=upload(name, data)),
    )
    assert response.status_code == 302, response.context["form"].errors
    meeting = Meeting.objects.get()
    # The guidelines are a library resource: downloaded under the library's rules.
    url = reverse("resources:download", args=[meeting.guidelines_id])
    coordinator_client.force_login(people["lin"].applicant)  # a participant of the cohort
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == data
    coordinator_client.force_login(UserFactory())  # not in the cohort
    assert coordinator_client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.integration
def test_media_url_serves_nothing(client, pairing_cohort, settings):
    name = default_storage.save("meetings/guidelines.pdf", ContentFile(PDF))
    path = settings.MEDIA_URL + name
    with pytest.raises(Resolver404):
        resolve(path)
    assert client.get(path).status_code == 404


DEV_MEDIA_CHECK = """
import django, pathlib, os
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
assert settings.DEBUG, "dev settings run with DEBUG on"
stored = pathlib.Path(settings.MEDIA_ROOT) / "meetings" / "guidelines.pdf"
stored.parent.mkdir(parents=True, exist_ok=True)
stored.write_bytes(b"%PDF-1.4 secret")
try:
    resolve(settings.MEDIA_URL + "meetings/guidelines.pdf")
    raise SystemExit("a URL pattern serves MEDIA_URL")
except Resolver404:
    pass
response = Client().get(settings.MEDIA_URL + "meetings/guidelines.pdf")
print("status", response.status_code)
"""


@pytest.mark.integration
def test_media_url_serves_nothing_with_the_dev_settings_of_make_demo(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "tandem.settings.dev",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", DEV_MEDIA_CHECK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "status 404" in result.stdout
