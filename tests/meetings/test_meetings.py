import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.meetings.models import Meeting
from tests.accounts.factories import UserFactory
from tests.pairing_fixtures import make_app

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def meeting_post(**extra):
    data = {
        "kind": "orientation",
        "title": "Orientation",
        "starts_local": "2025-03-31T16:00",
        "timezone": "Europe/Berlin",
        "duration_minutes": "90",
        "video_url": "https://meet.example.org/x",
        "agenda": "Welcome",
    }
    data.update(extra)
    return data


def test_coordinator_schedules_in_a_zone_stored_utc(coordinator_client, pairing_cohort):
    cohort, _ = pairing_cohort
    doc = SimpleUploadedFile("guidelines.pdf", PDF, content_type="application/pdf")
    response = coordinator_client.post(
        reverse("meetings:create", args=[cohort.slug]),
        {**meeting_post(), "guidelines_file": doc},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.starts_at == dt.datetime(2025, 3, 31, 14, 0, tzinfo=dt.UTC)  # CEST
    # The guidelines file is a library resource, downloaded under the library's rules.
    assert meeting.guidelines.versions.get().filename == "guidelines.pdf"
    url = reverse("resources:download", args=[meeting.guidelines_id])
    response = coordinator_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    coordinator_client.force_login(UserFactory())  # not in the cohort
    assert coordinator_client.get(url).status_code == 404


def test_upload_type_and_size_are_checked(coordinator_client, pairing_cohort, settings):
    cohort, _ = pairing_cohort
    exe = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = coordinator_client.post(
        reverse("meetings:create", args=[cohort.slug]),
        {**meeting_post(), "guidelines_file": exe},
    )
    assert response.status_code == 200
    assert "guidelines_file" in response.context["form"].errors
    settings.TANDEM_RESOURCE_MAX_BYTES = 5  # the library's limit
    big = SimpleUploadedFile("big.pdf", PDF, content_type="application/pdf")
    response = coordinator_client.post(
        reverse("meetings:create", args=[cohort.slug]),
        {**meeting_post(), "guidelines_file": big},
    )
    assert "guidelines_file" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_nonexistent_local_time_is_refused(coordinator_client, pairing_cohort):
    cohort, _ = pairing_cohort
    response = coordinator_client.post(
        reverse("meetings:create", args=[cohort.slug]),
        meeting_post(starts_local="2025-03-30T02:30"),
    )
    assert "does not exist" in str(response.context["form"].errors)


def test_participants_see_their_cohorts_meetings_in_their_zone(client, pairing_cohort):
    cohort, people = pairing_cohort
    meeting = Meeting.objects.create(
        cohort=cohort, title="Orientation", starts_at=dt.datetime(2025, 3, 31, 14, tzinfo=dt.UTC)
    )
    client.force_login(people["lin"].applicant)  # Nairobi
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "31 Mar 2025, 17:00" in body
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get(reverse("meetings:list", args=[cohort.slug])).status_code == 403
    assert client.get(reverse("meetings:create", args=[cohort.slug])).status_code == 403


def test_find_time_ranks_slots_for_the_cohort(coordinator_client, pairing_cohort):
    cohort, _ = pairing_cohort
    response = coordinator_client.get(
        reverse("meetings:find_time", args=[cohort.slug]),
        {"start": "2025-03-03", "end": "2025-03-09", "duration": "60", "sessions": "1"},
    )
    result = response.context["result"]
    best = result["slots"][0]
    assert best["attending"] == 4  # Mon/Wed mornings fit Berlin, London, Nairobi, Sao Paulo
    assert "Schedule this" in response.content.decode()


def test_find_time_two_sessions_and_rotation(coordinator_client, pairing_cohort):
    cohort, _ = pairing_cohort
    make_app(
        cohort,
        "Tom Tokyo",
        "learning",
        country="JP",
        tz="Asia/Tokyo",
        availability=[["tue", "09:00", "11:00"]],
    )
    response = coordinator_client.get(
        reverse("meetings:find_time", args=[cohort.slug]),
        {
            "start": "2025-03-03",
            "end": "2025-03-09",
            "duration": "60",
            "sessions": "2",
            "meetings": "3",
        },
    )
    result = response.context["result"]
    assert result["slots"][0]["attending"] == 4
    assert result["pairs"][0]["covered"] == 5  # two sessions reach Tokyo too
    assert response.context["rotation"]["rows"]
    # Asking for one session still proposes two when no single time serves everyone.
    response = coordinator_client.get(
        reverse("meetings:find_time", args=[cohort.slug]),
        {"start": "2025-03-03", "end": "2025-03-09", "duration": "60", "sessions": "1"},
    )
    assert response.context["result"]["pairs"][0]["covered"] == 5
    assert "Best two sessions" in response.content.decode()


def test_find_time_validates_the_range(coordinator_client, pairing_cohort):
    cohort, _ = pairing_cohort
    response = coordinator_client.get(
        reverse("meetings:find_time", args=[cohort.slug]),
        {"start": "2025-03-09", "end": "2025-03-01", "duration": "60", "sessions": "1"},
    )
    assert "end after it starts" in str(response.context["form"].errors)
