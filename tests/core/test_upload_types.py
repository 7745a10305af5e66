"""The resource library's types (issue 15): spreadsheets and presentations (OOXML, OpenDocument),
CSV and images are checked by content like documents; macro-enabled Office files, renamed
programs and mislabelled images are refused; the size limit says both sizes; a display name
never carries a path."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.core.uploads import display_name, validate_document, validate_size

from .test_uploads import EXE, zipped

pytestmark = pytest.mark.unit

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def ooxml(main: str, part: str) -> bytes:
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{part}" ContentType="{main}"/></Types>'
    )
    return zipped({"[Content_Types].xml": types, part: "<x/>"})


def odf(mimetype: str) -> bytes:
    return zipped({"mimetype": mimetype, "content.xml": "<office:document-content/>"})


def image(kind: str) -> bytes:
    return {
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32,
        "jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32,
        "gif": b"GIF89a\x01\x00\x01\x00" + b"\x00" * 32,
        "webp": b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32,
    }[kind]


ACCEPTED = [
    ("budget.xlsx", ooxml(XLSX_MAIN, "xl/workbook.xml")),
    ("slides.pptx", ooxml(PPTX_MAIN, "ppt/presentation.xml")),
    ("budget.ods", odf("application/vnd.oasis.opendocument.spreadsheet")),
    ("slides.odp", odf("application/vnd.oasis.opendocument.presentation")),
    ("members.csv", "name,country\nKRDC,Kenya\nÑandú,Perú\n".encode()),
    ("logo.png", image("png")),
    ("photo.jpg", image("jpg")),
    ("photo.jpeg", image("jpg")),
    ("anim.gif", image("gif")),
    ("pic.webp", image("webp")),
]
REFUSED = [
    ("budget.xlsx", ooxml(XLSX_MAIN.replace("sheet.main", "sheet.macroEnabled.main"), "x.xml")),
    ("budget.xlsx", zipped({"[Content_Types].xml": XLSX_MAIN, "xl/vbaProject.bin": b"\x00"})),
    ("slides.pptx", ooxml(XLSX_MAIN, "xl/workbook.xml")),  # a workbook named .pptx
    ("slides.odp", odf("application/vnd.oasis.opendocument.text")),
    ("members.csv", b"name\x00country\n"),
    ("members.csv", b"\xff\xfe n\x00a\x00"),
    ("logo.png", image("jpg")),
    ("logo.png", EXE),
    ("pic.webp", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32),
    ("setup.exe", EXE),
]


@pytest.mark.parametrize(("name", "data"), ACCEPTED)
def test_library_types_are_accepted_by_content(name, data):
    assert validate_document(SimpleUploadedFile(name, data))


@pytest.mark.parametrize(("name", "data"), REFUSED)
def test_library_types_whose_content_is_not_their_name_are_refused(name, data):
    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile(name, data))


def test_the_size_limit_names_both_sizes():
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * (3 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        validate_size(upload, 2 * 1024 * 1024)
    assert refused.value.messages == ["This file is 3.0\xa0MB; files may be at most 2.0\xa0MB."]
    validate_size(upload, 25 * 1024 * 1024)


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ana\\Plan de trabajo.docx", "Plan de trabajo.docx"),
        ("..", "file"),
        (".htaccess", "htaccess"),
        ("a\x00b\r\n.md", "ab.md"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ("Guía de mentoría.odt", "Guía de mentoría.odt"),
    ],
)
def test_display_names_carry_no_path_and_no_control_characters(given, shown):
    assert display_name(given) == shown


def test_a_zip_that_only_ends_in_a_workbook_is_refused():
    buffer = io.BytesIO()
    buffer.write(EXE)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("[Content_Types].xml", XLSX_MAIN)
    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile("budget.xlsx", buffer.getvalue()))
