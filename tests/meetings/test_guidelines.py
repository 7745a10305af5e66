"""Issue 15: a meeting's guidelines are a library resource — uploaded through the library's
checks or picked from the library, linked from the meeting page and downloaded under the
library's permission rules; the former guidelines files are moved into the library by the
meetings migration 0008."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tandem.meetings.models import Meeting
from tandem.resources.indexing import storage
from tandem.resources.models import Kind, Resource, Status, Visibility
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.cohorts.factories import CohortFactory
from tests.pairing_fixtures import make_app
from tests.resources.factories import make_resource, pdf_file, text_file

from .test_meetings import PDF, meeting_post

pytestmark = pytest.mark.integration

# A Windows program named like a PDF.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def create(client, cohort, **extra):
    return client.post(reverse("meetings:create", args=[cohort.slug]), meeting_post(**extra))


@pytest.mark.django_db
def test_an_uploaded_file_becomes_a_library_resource_for_the_cohort(
    coordinator_client, coordinator, pairing_cohort
):
    cohort, _ = pairing_cohort
    response = create(
        coordinator_client, cohort, guidelines_file=pdf_file("Cameras on.", "rules.pdf")
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    resource = meeting.guidelines
    assert resource.title == "Guidelines – Orientation"
    assert (resource.kind, resource.visibility, resource.cohort, resource.status) == (
        Kind.GUIDE,
        Visibility.COHORT,
        cohort,
        Status.PUBLISHED,
    )
    assert resource.owner == coordinator
    version = resource.versions.get()
    assert version.filename == "rules.pdf" and version.content_type == "application/pdf"
    assert version.blob != "rules.pdf" and storage().exists(version.blob)
    assert "Cameras on." in version.text  # indexed like any library file


@pytest.mark.django_db
def test_a_program_renamed_pdf_is_refused_with_a_field_error(coordinator_client, pairing_cohort):
    cohort, _ = pairing_cohort
    response = create(coordinator_client, cohort, guidelines_file=SimpleUploadedFile("a.pdf", EXE))
    assert response.status_code == 200
    errors = response.context["form"].errors["guidelines_file"]
    assert "not a real PDF document" in errors[0]
    assert not Meeting.objects.exists() and not Resource.objects.exists()


@pytest.mark.django_db
def test_the_library_size_limit_applies(coordinator_client, pairing_cohort, settings):
    cohort, _ = pairing_cohort
    settings.TANDEM_RESOURCE_MAX_BYTES = 10
    response = create(coordinator_client, cohort, guidelines_file=SimpleUploadedFile("g.pdf", PDF))
    assert response.status_code == 200
    assert "at most" in response.context["form"].errors["guidelines_file"][0]
    assert not Resource.objects.exists()


@pytest.fixture
def meeting_with_guidelines(published_pair, coordinator):
    cohort, people, pair = published_pair
    resource = make_resource(
        coordinator,
        title="How we meet",
        visibility=Visibility.COHORT,
        cohort=cohort,
        file=text_file("Cameras optional.", "how-we-meet.md"),
    )
    meeting = Meeting.objects.create(
        cohort=cohort,
        title="Orientation",
        starts_at=dt.datetime(2025, 3, 31, 14, tzinfo=dt.UTC),
        guidelines=resource,
    )
    return meeting, resource, people


@pytest.mark.django_db
def test_the_meeting_page_links_the_resource_and_the_cohort_downloads_it(
    client, meeting_with_guidelines
):
    meeting, resource, people = meeting_with_guidelines
    download = reverse("resources:download", args=[resource.pk])
    client.force_login(people["lin"].applicant)  # a participant of the cohort
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("resources:detail", args=[resource.pk]) in body and download in body
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Cameras optional."
    # Someone outside the cohort: neither the meeting nor the file.
    olga = make_app(CohortFactory(), "Olga Other", "learning").applicant
    client.force_login(olga)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get(download).status_code == 404
    client.force_login(UserFactory())
    assert client.get(download).status_code == 404


@pytest.mark.django_db
def test_no_link_when_the_library_hides_the_resource(client, meeting_with_guidelines):
    meeting, resource, people = meeting_with_guidelines
    Resource.objects.filter(pk=resource.pk).update(status=Status.REMOVED)
    client.force_login(people["lin"].applicant)
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("resources:download", args=[resource.pk]) not in body
    assert client.get(reverse("resources:download", args=[resource.pk])).status_code == 404


# --- The picker --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_picker_finds_published_resources_by_title(
    coordinator_client, coordinator, published_pair
):
    cohort, people, _ = published_pair
    make_resource(coordinator, title="Guidelines for calls", cohort=cohort)
    make_resource(
        people["lin"].applicant,
        title="Guidelines draft",
        visibility=Visibility.COHORT,
        cohort=cohort,
    )  # waiting for review: not offered
    url = reverse("meetings:guidelines_search", args=[cohort.slug])
    body = coordinator_client.get(url, {"guidelines_q": "guidelines"}).content.decode()
    assert "Guidelines for calls" in body and "Guidelines draft" not in body
    assert (
        "No library resource matches"
        in coordinator_client.get(url, {"guidelines_q": "zebra"}).content.decode()
    )
    assert coordinator_client.get(url).content.decode().strip() == ""
    pk = Resource.objects.get(title="Guidelines for calls").pk
    chosen = coordinator_client.get(url, {"add": pk}).content.decode()
    assert f'name="guidelines" value="{pk}" checked' in chosen
    assert coordinator_client.get(url, {"add": "x"}).status_code == 404


@pytest.mark.django_db
def test_a_picked_resource_is_linked_and_unticking_unlinks(
    coordinator_client, coordinator, pairing_cohort
):
    cohort, _ = pairing_cohort
    resource = make_resource(coordinator, title="Call etiquette", cohort=cohort)
    assert create(coordinator_client, cohort, guidelines=resource.pk).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.guidelines == resource
    edit = reverse("meetings:edit", args=[cohort.slug, meeting.pk])
    page = coordinator_client.get(edit).content.decode()
    assert f'name="guidelines" value="{resource.pk}" checked' in page
    assert "<select" not in page.split('id="guidelines-chosen"')[1].split("</fieldset>")[0]
    assert coordinator_client.post(edit, meeting_post()).status_code == 302
    meeting.refresh_from_db()
    assert meeting.guidelines is None
    assert Resource.objects.filter(pk=resource.pk).exists()  # still in the library


@pytest.mark.django_db
def test_an_upload_replaces_the_picked_resource(coordinator_client, coordinator, pairing_cohort):
    cohort, _ = pairing_cohort
    picked = make_resource(coordinator, title="Call etiquette", cohort=cohort)
    response = create(
        coordinator_client, cohort, guidelines=picked.pk, guidelines_file=text_file("New.")
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.guidelines != picked and meeting.guidelines.title.startswith("Guidelines")


@pytest.mark.django_db
def test_an_unknown_or_removed_resource_is_a_field_error(
    coordinator_client, coordinator, pairing_cohort
):
    cohort, _ = pairing_cohort
    removed = make_resource(coordinator, title="Old", cohort=cohort, status=Status.REMOVED)
    for value in (removed.pk, 999999, "x"):
        response = create(coordinator_client, cohort, guidelines=value)
        assert response.status_code == 200
        assert "guidelines" in response.context["form"].errors
    assert not Meeting.objects.exists()


# --- The migration -----------------------------------------------------------------------------

BEFORE = [("meetings", "0006_workshop_kind_retired")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_guidelines_files_into_the_library():
    """From the schema with ``guidelines_document`` (0006) to the latest: each file becomes a
    guide for the meeting's cohort, a missing file is skipped; the reverse keeps them."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        OldMeeting = old.get_model("meetings", "Meeting")
        cohort, creator = CohortFactory(), CoordinatorFactory()
        name = default_storage.save("meetings/orientation rules.md", ContentFile(b"# Be kind"))
        moved = OldMeeting.objects.create(
            cohort_id=cohort.pk,
            title="Orientation",
            starts_at=dt.datetime(2025, 3, 31, 14, tzinfo=dt.UTC),
            guidelines_document=name,
            created_by_id=creator.pk,
        )
        missing = OldMeeting.objects.create(
            cohort_id=cohort.pk,
            title="Kick-off",
            starts_at=dt.datetime(2025, 4, 1, 14, tzinfo=dt.UTC),
            guidelines_document="meetings/gone.pdf",
        )
        plain = OldMeeting.objects.create(
            cohort_id=cohort.pk, title="Plain", starts_at=dt.datetime(2025, 4, 2, tzinfo=dt.UTC)
        )

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

        resource = Meeting.objects.get(pk=moved.pk).guidelines
        assert resource.title == "Guidelines – Orientation"
        assert (resource.kind, resource.visibility, resource.cohort_id, resource.status) == (
            "guide",
            "cohort",
            cohort.pk,
            "published",
        )
        assert (resource.owner_id, resource.language, resource.licence) == (
            creator.pk,
            "en",
            "CC-BY-4.0",
        )
        version = resource.versions.get()
        assert version.number == 1 and resource.version_count == 1
        assert version.filename == name.rsplit("/", 1)[1]
        assert version.content_type == "text/markdown; charset=utf-8"
        assert version.blob != name and version.blob.endswith(".md")
        with storage().open(version.blob, "rb") as handle:
            assert handle.read() == b"# Be kind"
        assert version.text == "# Be kind" and version.extracted
        assert "Be kind" in resource.search_document
        if connection.vendor == "postgresql":
            assert resource.search_vector
        assert Meeting.objects.get(pk=missing.pk).guidelines is None
        assert Meeting.objects.get(pk=plain.pk).guidelines is None
        assert Resource.objects.count() == 1

        # Reverse: the resource stays in the library, the meeting loses the link.
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        assert Resource.objects.filter(pk=resource.pk).exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
