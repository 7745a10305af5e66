"""Issue 20, points 16 and 17: reading the text inside an upload is bounded work. A zip bomb
(bzip2 parts) is refused at upload; a deflated one is read only up to the budget of
decompressed bytes, a chunk at a time, stopping at the text limit; a PDF whose pages share one
huge content stream is read within the deadline, a page cap and a per-page content cap, in the
request only briefly (then by the task), and its owner sees how far it was indexed."""

import io
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tandem.demo import documents
from tandem.resources import extract, selectors
from tandem.resources.models import IndexState, Resource, Version
from tandem.resources.selectors import Filters
from tandem.resources.tasks import extract_text_task

from .factories import make_resource, upload

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MB = 1024 * 1024


def with_parts(package: bytes, parts: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of the ZIP ``package`` with ``parts`` added, compressed with ``method``."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for name, data in parts.items():
            target.writestr(name, data, compress_type=method, compresslevel=9)
    return buffer.getvalue()


def header(size: int) -> bytes:
    """A Word header part of ``size`` bytes of empty paragraphs: compresses to almost nothing."""
    start, end = b'<w:hdr xmlns:w="urn:w">', b"</w:hdr>"
    return start + b"<w:p/>" * ((size - len(start) - len(end)) // 6) + end


def docx_bomb(parts: int, size: int, method=zipfile.ZIP_DEFLATED) -> bytes:
    base = documents.docx("Bomb", ["The wombat clause."])
    return with_parts(
        base, {f"word/header{n}.xml": header(size) for n in range(1, parts + 1)}, method
    )


@pytest.fixture
def bytes_read(monkeypatch):
    """How many decompressed bytes were read from ZIP members."""
    counted = {"bytes": 0}
    read = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        data = read(self, n)
        counted["bytes"] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return counted


# --- Point 16: zip bombs ----------------------------------------------------------------------


def test_a_docx_of_bzip2_parts_is_refused_at_upload_with_a_clear_error(client, coordinator):
    bomb = docx_bomb(10, 2 * MB, zipfile.ZIP_BZIP2)
    assert len(bomb) < 20_000
    client.force_login(coordinator)
    response = client.post(
        reverse("resources:share"),
        {
            "title": "Agenda",
            "kind": "template",
            "language": "en",
            "licence": "CC-BY-4.0",
            "visibility": "public",
            "file": upload("agenda.docx", bomb),
        },
    )
    assert response.status_code == 400
    assert "compressed in a way office programs never use" in response.content.decode()
    assert not Resource.objects.exists()


def test_deflated_parts_are_read_only_up_to_the_budget_for_the_whole_file(
    settings, coordinator, bytes_read
):
    """Ten parts of 2 MB each: the budget (1 MB) is for all of them together."""
    settings.TANDEM_RESOURCE_EXTRACT_MAX_BYTES = MB
    bomb = docx_bomb(10, 2 * MB)
    assert len(bomb) < 200_000
    bytes_read["bytes"] = 0
    resource = make_resource(coordinator, title="Bombed agenda", file=upload("agenda.docx", bomb))
    version = resource.versions.get()
    assert bytes_read["bytes"] <= MB + extract.CHUNK_BYTES + 64 * 1024  # + the upload check
    assert version.index_state == IndexState.PARTIAL  # the main part was read before the budget
    assert "wombat" in version.text
    assert list(selectors.search(None, Filters(q="wombat"))) == [resource]


def test_hundreds_of_parts_stop_at_the_budget(bytes_read):
    bomb = docx_bomb(300, 256 * 1024)  # 75 MB in all
    bytes_read["bytes"] = 0
    result = extract.extract(bomb, "agenda.docx", extract.Limits(max_bytes=2 * MB))
    assert not result.complete and not result.timed_out
    assert "wombat" in result.text
    assert bytes_read["bytes"] <= 2 * MB + extract.CHUNK_BYTES


def test_a_part_is_read_in_chunks_in_bounded_memory():
    """Never a whole part in memory, nor its tree (90,000 elements in a 512 KB part)."""
    bomb = docx_bomb(4, 512 * 1024)
    tracemalloc.start()
    try:
        result = extract.extract(bomb, "agenda.docx", extract.Limits(max_bytes=MB))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not result.complete and "wombat" in result.text
    assert peak < 2 * MB


def test_a_part_is_read_only_until_the_text_is_long_enough(monkeypatch, bytes_read):
    monkeypatch.setattr(extract, "MAX_TEXT_CHARS", 1000)
    paragraphs = b"<w:p><w:r><w:t>capybara</w:t></w:r></w:p>" * 100_000  # 4 MB
    bomb = with_parts(
        documents.docx("Long", ["start"]),
        {"word/footer1.xml": b'<w:ftr xmlns:w="urn:w">' + paragraphs + b"</w:ftr>"},
    )
    bytes_read["bytes"] = 0
    result = extract.extract(bomb, "long.docx")
    assert result.complete and "capybara" in result.text and len(result.text) == 1000
    assert bytes_read["bytes"] < 4 * extract.CHUNK_BYTES


def test_an_odt_bomb_is_read_up_to_the_budget(bytes_read):
    body = b"<text:p>okapi</text:p>" + b"<text:p/>" * 500_000
    odt = documents.odt("Guide", ["start"])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(odt)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "content.xml":
                data = data.replace(b"</office:text>", body + b"</office:text>")
            target.writestr(info, data)
    bytes_read["bytes"] = 0
    result = extract.extract(buffer.getvalue(), "guide.odt", extract.Limits(max_bytes=MB))
    assert not result.complete and "okapi" in result.text
    assert bytes_read["bytes"] <= MB + extract.CHUNK_BYTES


def test_deeply_nested_elements_stop_at_the_depth_cap(bytes_read):
    """Open elements cannot be dropped: a part nesting 400,000 of them stops at the cap."""
    nested = b"<w:r>" * 400_000 + b"</w:r>" * 400_000
    bomb = with_parts(
        documents.docx("Deep", ["The numbat clause."]),
        {"word/footer1.xml": b'<w:ftr xmlns:w="urn:w">' + nested + b"</w:ftr>"},
    )
    bytes_read["bytes"] = 0
    result = extract.extract(bomb, "deep.docx")
    assert not result.complete and "numbat" in result.text
    assert bytes_read["bytes"] < 4 * extract.CHUNK_BYTES


# --- Point 17: PDFs that take long to read ----------------------------------------------------


def pdf_bomb(pages: int, operators: int, text: str = "quokka") -> bytes:
    """A PDF: a first page with ``text``, then ``pages`` pages sharing one compressed content
    stream of ``operators`` empty text operators (``() Tj``)."""
    font = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    first = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    shared = zlib.compress(b"BT /F1 12 Tf " + b"() Tj " * operators + b"ET", 9)
    kids = " ".join(f"{5 + n} 0 R" for n in range(pages + 1))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages + 1} >>".encode(),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(first), first),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(shared), shared),
    ]
    for n in range(pages + 1):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources %s /Contents %d 0 R >>" % (font, 3 if n == 0 else 4)
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_pages_sharing_a_stream_of_empty_operators_are_read_within_the_deadline(
    settings, coordinator
):
    """The task's deadline (1 s here) stops the reading between pages or operators; the text
    read so far (the first page) is kept and the version is marked partially indexed."""
    settings.TANDEM_RESOURCE_SYNC_EXTRACT_BYTES = 0  # read by the task
    settings.TANDEM_RESOURCE_EXTRACT_SECONDS = 1
    settings.TASKS = IMMEDIATE
    bomb = pdf_bomb(pages=200, operators=30_000)  # ~180 KB a page: several seconds each time
    assert len(bomb) < 50_000
    started = time.perf_counter()
    with TestCase.captureOnCommitCallbacks(execute=True):
        resource = make_resource(coordinator, title="Handbook", file=upload("handbook.pdf", bomb))
    assert time.perf_counter() - started < 10  # reading all 200 pages takes minutes
    version = resource.versions.get()
    assert version.index_state == IndexState.PARTIAL and version.extracted
    assert version.text == "quokka"
    assert list(selectors.search(None, Filters(q="quokka"))) == [resource]


def test_the_page_cap_and_the_content_cap_skip_pages_unparsed(settings, coordinator):
    settings.TANDEM_RESOURCE_EXTRACT_MAX_PAGE_BYTES = 50_000
    bomb = pdf_bomb(pages=50, operators=30_000)
    started = time.perf_counter()
    resource = make_resource(coordinator, file=upload("handbook.pdf", bomb))
    assert time.perf_counter() - started < 10  # parsing the 50 pages: about a minute
    version = resource.versions.get()
    assert version.index_state == IndexState.PARTIAL and version.text == "quokka"

    capped = extract.extract(bomb, "handbook.pdf", extract.Limits(max_pages=1))
    assert capped.text == "quokka" and not capped.complete
    whole = extract.extract(documents.pdf("Guide", ["Every word."]), "guide.pdf")
    assert whole.complete and "Every word." in whole.text


def test_a_pdf_not_read_in_the_requests_time_goes_to_the_task(
    client, settings, coordinator, monkeypatch
):
    """In the request the deadline is short: the upload returns, the resource is usable and
    found by its title, its owner sees "Being indexed…"; the task reads it later."""
    monkeypatch.setattr(  # the worker recycles connections; inside the test transaction it must not
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    settings.TANDEM_RESOURCE_SYNC_EXTRACT_SECONDS = 0.1
    settings.TANDEM_RESOURCE_EXTRACT_SECONDS = 0.3
    settings.TASKS = DATABASE
    client.force_login(coordinator)
    started = time.perf_counter()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("resources:share"),
            {
                "title": "Handbook",
                "kind": "guide",
                "language": "en",
                "licence": "CC-BY-4.0",
                "visibility": "public",
                "file": upload("handbook.pdf", pdf_bomb(pages=200, operators=30_000)),
            },
        )
    assert response.status_code == 302
    assert time.perf_counter() - started < 10  # reading all 200 pages takes minutes
    version = Version.objects.get()
    assert version.index_state == IndexState.PENDING and not version.extracted
    assert DBTaskResult.objects.count() == 1
    assert list(selectors.search(None, Filters(q="handbook"))) == [version.resource]
    page = client.get(version.resource.get_absolute_url()).content.decode()
    assert "Being indexed…" in page

    call_command("db_worker", "--batch", "--no-startup-delay")
    version.refresh_from_db()
    assert version.index_state == IndexState.PARTIAL and version.text == "quokka"
    page = client.get(version.resource.get_absolute_url()).content.decode()
    assert "Only part of the text could be read in time" in page


def test_a_large_upload_returns_at_once_and_the_task_indexes_it(
    client, settings, coordinator, monkeypatch
):
    settings.TANDEM_RESOURCE_SYNC_EXTRACT_BYTES = 1000
    settings.TASKS = DATABASE
    monkeypatch.setattr(  # the worker recycles connections; inside the test transaction it must not
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    big = documents.pdf("Annual report", ["The pangolin section."] + ["Filler text."] * 400)
    assert len(big) > 1000
    with TestCase.captureOnCommitCallbacks(execute=True):
        resource = make_resource(coordinator, title="Report", file=upload("report.pdf", big))
    version = resource.versions.get()
    assert version.index_state == IndexState.PENDING and version.text == ""
    assert DBTaskResult.objects.get().task_path.endswith("extract_text_task")
    assert not list(selectors.search(None, Filters(q="pangolin")))

    call_command("db_worker", "--batch", "--no-startup-delay")
    version.refresh_from_db()
    assert version.index_state == IndexState.INDEXED and "pangolin" in version.text
    assert list(selectors.search(None, Filters(q="pangolin"))) == [resource]
    client.force_login(coordinator)
    assert "Search: Indexed" in client.get(resource.get_absolute_url()).content.decode()
    client.logout()  # a reader of the public resource is not told
    assert "Search:" not in client.get(resource.get_absolute_url()).content.decode()


def test_a_file_with_no_text_read_in_time_is_searchable_by_title_only(
    client, coordinator, monkeypatch
):
    version = make_resource(coordinator, file=upload("x.pdf", pdf_bomb(1, 10))).versions.get()
    assert version.index_state == IndexState.INDEXED and version.text == "quokka"

    def out_of_time(budget):
        raise extract.OutOfBudget(timed_out=True)

    monkeypatch.setattr(extract._Budget, "check_time", out_of_time)
    assert extract_text_task.call(version.pk) == 0  # the task: out of time before any page
    version.refresh_from_db()
    assert version.index_state == IndexState.UNREAD and version.text == ""
    client.force_login(coordinator)
    page = client.get(version.resource.get_absolute_url()).content.decode()
    assert "Text could not be read in time: searchable by title and description only" in page
