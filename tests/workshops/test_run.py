"""Running a workshop: the roster (facilitators of *that* workshop and coordinators only),
marking attendance in place (htmx) or by a plain form post, ratings by attendees, materials
served through a permission check, certificates for attendees only."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from tandem.core.models import ActivityLog
from tandem.resources.models import Resource
from tandem.workshops import attendance
from tandem.workshops.models import Material, Registration
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.cohorts.factories import CohortFactory
from tests.pairing_fixtures import make_app
from tests.workshops.factories import RegistrationFactory, SessionFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 4, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():
    cohort = CohortFactory(slug="c26")
    facilitator = UserFactory(name="Fay Facilitator")
    other_facilitator = UserFactory(name="Otto Other")
    workshop = WorkshopFactory(cohort=cohort, title="Governance", facilitators=[facilitator])
    other = WorkshopFactory(cohort=cohort, title="Fees", facilitators=[other_facilitator])
    session = SessionFactory(workshop=workshop, starts_at=NOW - dt.timedelta(hours=2))
    other_session = SessionFactory(workshop=other, starts_at=NOW - dt.timedelta(hours=2))
    apps = [
        make_app(cohort, "Ana", "learning", country="KE"),
        make_app(cohort, "Bo", "learning", country="BR", tz="America/Sao_Paulo"),
        make_app(cohort, "Cy", "experienced", country="DE", tz="Europe/Berlin"),
    ]
    regs = [
        RegistrationFactory(session=session, person=a.applicant, gap=i == 0)
        for i, a in enumerate(apps)
    ]
    other_reg = RegistrationFactory(session=other_session, person=apps[0].applicant)
    return {
        "cohort": cohort,
        "workshop": workshop,
        "session": session,
        "regs": regs,
        "people": [a.applicant for a in apps],
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "other_session": other_session,
        "other_reg": other_reg,
        "coordinator": CoordinatorFactory(),
    }


def url(name, *args):
    return reverse(f"workshops:{name}", args=["c26", *args])


# --- Roster and attendance -----------------------------------------------------------------------


def test_roster_shows_seated_people_with_gap_region_and_languages(client, world):
    client.force_login(world["facilitator"])
    response = client.get(url("roster", world["session"].pk))
    assert response.status_code == 200
    body = response.content.decode()
    for person in world["people"]:
        assert person.name in body
    assert "GAP" in body and "EMEA" in body and "AMER" in body
    assert 'name="attended" value="present"' in body


def test_facilitator_rights_are_limited_to_their_workshop(client, world):
    # Otto facilitates "Fees" and is no participant: "Governance" does not exist for him.
    client.force_login(world["other_facilitator"])
    assert client.get(url("roster", world["session"].pk)).status_code == 404
    assert client.get(url("run", world["workshop"].pk)).status_code == 404
    reg = world["regs"][0]
    response = client.post(url("mark_attendance", reg.pk), {"attended": "present"})
    assert response.status_code == 404
    reg.refresh_from_db()
    assert reg.attended is None
    assert client.get(url("session_certificates", world["session"].pk)).status_code == 404
    # A participant of the cohort who facilitates "Fees" sees "Governance" but may not run it.
    world["workshop"].facilitators.clear()
    world["other_session"].workshop.facilitators.add(world["people"][2])
    client.force_login(world["people"][2])
    assert client.get(url("roster", world["session"].pk)).status_code == 403
    assert client.post(url("mark_attendance", reg.pk), {"attended": "present"}).status_code == 403
    assert client.get(url("roster", world["other_session"].pk)).status_code == 200
    client.force_login(world["other_facilitator"])
    # … and they run their own.
    assert client.get(url("roster", world["other_session"].pk)).status_code == 200


def test_participants_cannot_take_attendance(client, world):
    client.force_login(world["people"][1])
    response = client.post(url("mark_attendance", world["regs"][0].pk), {"attended": "present"})
    assert response.status_code == 403


def test_a_session_under_another_cohorts_address_is_not_found(client, world):
    CohortFactory(slug="elsewhere")
    client.force_login(world["coordinator"])
    other = reverse("workshops:roster", args=["elsewhere", world["session"].pk])
    assert client.get(other).status_code == 404
    mark = reverse("workshops:mark_attendance", args=["elsewhere", world["regs"][0].pk])
    assert client.post(mark, {"attended": "present"}).status_code == 404


def test_htmx_marks_one_row_in_place_and_logs_it(client, world):
    client.force_login(world["facilitator"])
    reg = world["regs"][1]
    response = client.post(
        url("mark_attendance", reg.pk), {"attended": "present"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<li") and f'id="registration-{reg.pk}"' in body
    assert 'aria-pressed="true"' in body
    reg.refresh_from_db()
    assert reg.attended is True and reg.attendance_marked_by == world["facilitator"]
    log = ActivityLog.objects.get(action="workshops.attendance")
    assert log.actor == world["facilitator"] and log.data["registration"] == reg.pk


def test_without_javascript_the_form_post_redirects_to_the_roster(client, world):
    client.force_login(world["coordinator"])
    reg = world["regs"][2]
    response = client.post(url("mark_attendance", reg.pk), {"attended": "absent", "page": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(url("roster", world["session"].pk) + "?page=1")
    reg.refresh_from_db()
    assert reg.attended is False


def test_bad_attendance_value_is_a_400(client, world):
    client.force_login(world["coordinator"])
    response = client.post(url("mark_attendance", world["regs"][0].pk), {"attended": "maybe"})
    assert response.status_code == 400


def test_attendance_is_not_taken_long_before_the_session(client, world):
    future = SessionFactory(workshop=world["workshop"], starts_at=NOW + dt.timedelta(days=2))
    reg = RegistrationFactory(session=future, person=UserFactory())
    client.force_login(world["coordinator"])
    response = client.post(
        url("mark_attendance", reg.pk), {"attended": "present"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    reg.refresh_from_db()
    assert reg.attended is None


def test_roster_costs_the_same_queries_for_3_and_30_people(client, world):
    client.force_login(world["facilitator"])
    with CaptureQueriesContext(connection) as small:
        client.get(url("roster", world["session"].pk))
    for i in range(27):
        make = make_app(world["cohort"], f"P{i}", "learning")
        RegistrationFactory(session=world["session"], person=make.applicant)
    with CaptureQueriesContext(connection) as large:
        client.get(url("roster", world["session"].pk))
    assert len(large) == len(small)


# --- Ratings -------------------------------------------------------------------------------------


def test_an_attendee_rates_and_edits_their_rating(client, world):
    reg = world["regs"][0]
    reg.attended = True
    reg.save()
    client.force_login(world["people"][0])
    assert client.get(url("rate", world["session"].pk)).status_code == 200
    response = client.post(url("rate", world["session"].pk), {"rating": "4", "comment": "Good"})
    assert response.status_code == 302
    client.post(url("rate", world["session"].pk), {"rating": "5", "comment": " Great "})
    reg.refresh_from_db()
    assert (reg.rating, reg.comment, reg.rated_at) == (5, "Great", NOW)
    actions = list(ActivityLog.objects.values_list("action", flat=True).order_by("pk"))
    assert actions == ["workshops.rated", "workshops.rating_changed"]


@pytest.mark.parametrize("rating", ["0", "6", "x", ""])
def test_a_rating_outside_1_to_5_is_a_form_error(client, world, rating):
    reg = world["regs"][0]
    reg.attended = True
    reg.save()
    client.force_login(world["people"][0])
    response = client.post(url("rate", world["session"].pk), {"rating": rating})
    assert response.status_code == 400
    reg.refresh_from_db()
    assert reg.rating is None


def test_only_attendees_rate(client, world):
    absent = world["regs"][1]
    absent.attended = False
    absent.save()
    client.force_login(world["people"][1])  # marked absent
    assert client.post(url("rate", world["session"].pk), {"rating": "1"}).status_code == 403
    client.force_login(world["people"][2])  # not marked
    assert client.post(url("rate", world["session"].pk), {"rating": "1"}).status_code == 403
    client.force_login(UserFactory())  # not registered
    assert client.get(url("rate", world["session"].pk)).status_code == 404


def test_ratings_are_shown_aggregated_without_names(client, world):
    for reg, stars in zip(world["regs"], (5, 4, 3), strict=True):
        reg.attended, reg.rating, reg.comment, reg.rated_at = True, stars, f"Note {stars}", NOW
        reg.save()
    ratings = attendance.ratings_of(attendance.workshop_registrations(world["workshop"]))
    assert (ratings.count, ratings.average, ratings.distribution[4]) == (3, 4.0, 1)
    client.force_login(world["facilitator"])
    body = client.get(url("run", world["workshop"].pk)).content.decode()
    assert "Note 3" in body and "4.0" in body
    assert not any(p.name in body for p in world["people"])
    # Participants see neither the comments nor the follow-up page.
    client.force_login(world["people"][0])
    assert client.get(url("run", world["workshop"].pk)).status_code == 403


# --- Materials -----------------------------------------------------------------------------------


def test_facilitator_adds_slides_checked_by_content_and_participants_download(client, world):
    client.force_login(world["facilitator"])
    pdf = SimpleUploadedFile("slides.pdf", b"%PDF-1.4\n" + b"x" * 200, "application/pdf")
    response = client.post(
        url("materials", world["workshop"].pk), {"kind": "slides", "title": "Deck", "file": pdf}
    )
    assert response.status_code == 302, response.content
    material = Material.objects.get()
    client.force_login(world["people"][1])
    listing = client.get(url("materials", world["workshop"].pk)).content.decode()
    assert url("material_file", material.pk) in listing
    assert "/media/" not in listing
    download = client.get(url("material_file", material.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    client.force_login(UserFactory())  # not in the cohort
    assert client.get(url("material_file", material.pk)).status_code == 404


def test_a_renamed_program_is_refused(client, world):
    client.force_login(world["coordinator"])
    exe = SimpleUploadedFile("slides.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = client.post(
        url("materials", world["workshop"].pk), {"kind": "slides", "title": "Deck", "file": exe}
    )
    assert response.status_code == 400
    assert not Material.objects.exists()


def test_recording_needs_an_https_link(client, world):
    client.force_login(world["coordinator"])
    post = {"kind": "recording", "title": "Recording"}
    bad = client.post(url("materials", world["workshop"].pk), {**post, "url": "http://x.org/v"})
    assert bad.status_code == 400
    ok = client.post(url("materials", world["workshop"].pk), {**post, "url": "https://x.org/v"})
    assert ok.status_code == 302
    assert Material.objects.get().url == "https://x.org/v"


def test_participants_may_not_add_or_remove_materials(client, world):
    material = Material.objects.create(workshop=world["workshop"], title="L", url="https://a.b")
    client.force_login(world["people"][0])
    post = {"kind": "other", "title": "Mine", "url": "https://x.org"}
    assert client.post(url("materials", world["workshop"].pk), post).status_code == 403
    assert client.post(url("material_delete", material.pk)).status_code == 403
    client.force_login(world["other_facilitator"])  # facilitates another workshop only
    assert client.post(url("material_delete", material.pk)).status_code == 404
    client.force_login(world["facilitator"])
    assert client.post(url("material_delete", material.pk)).status_code == 302
    assert not Material.objects.exists()


# --- Certificates --------------------------------------------------------------------------------


def test_an_attendee_downloads_their_certificate_others_do_not(client, world):
    reg = world["regs"][0]
    reg.attended = True
    reg.save()
    client.force_login(world["people"][0])
    response = client.get(url("certificate", world["session"].pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert world["people"][0].name in text and "Governance" in text
    assert "Fay Facilitator" in text
    client.force_login(world["people"][1])  # registered, not marked present
    assert client.get(url("certificate", world["session"].pk)).status_code == 403
    client.force_login(world["coordinator"])  # no registration of their own
    assert client.get(url("certificate", world["session"].pk)).status_code == 404


def test_coordinators_download_all_certificates_of_a_session_at_once(client, world):
    for reg in world["regs"][:2]:
        reg.attended = True
        reg.save()
    Registration.objects.filter(pk=world["regs"][2].pk).update(attended=False)
    client.force_login(world["coordinator"])
    response = client.get(url("session_certificates", world["session"].pk))
    assert response.status_code == 200
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) == 2
    names = {p.name for p in world["people"][:2]}
    assert all(any(n in page for page in pages) for n in names)
    assert not any(world["people"][2].name in page for page in pages)


def test_no_attendees_no_certificates(client, world):
    client.force_login(world["facilitator"])
    response = client.get(url("session_certificates", world["session"].pk))
    assert response.status_code == 302


def test_materials_are_filed_in_the_resource_library_for_the_cohort(client, world):
    client.force_login(world["coordinator"])
    pdf = SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n" + b"x" * 200, "application/pdf")
    client.post(
        url("materials", world["workshop"].pk), {"kind": "slides", "title": "Deck", "file": pdf}
    )
    client.post(
        url("materials", world["workshop"].pk),
        {"kind": "recording", "title": "Recording", "url": "https://video.example.org/r/1"},
    )
    filed = {r.title: r for r in Resource.objects.all()}
    assert set(filed) == {"Deck", "Recording"}
    assert all(r.cohort == world["cohort"] and r.visibility == "cohort" for r in filed.values())
    assert (filed["Deck"].kind, filed["Recording"].kind) == ("slides", "recording")


def test_a_facilitator_outside_the_cohort_keeps_the_material_on_the_workshop(client, world):
    client.force_login(world["facilitator"])  # facilitates, but takes part in no cohort
    response = client.post(
        url("materials", world["workshop"].pk),
        {"kind": "other", "title": "Reading list", "url": "https://example.org/list"},
        follow=True,
    )
    assert Material.objects.filter(title="Reading list").exists()
    assert not Resource.objects.exists()
    assert "not filed in the library" in response.content.decode()


def test_pptx_slides_are_accepted_by_content(client, world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as pptx:
        pptx.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/ppt/presentation.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>',
        )
        pptx.writestr("ppt/presentation.xml", "<p:presentation/>")
    client.force_login(world["coordinator"])
    upload = SimpleUploadedFile("deck.pptx", buffer.getvalue())
    response = client.post(
        url("materials", world["workshop"].pk), {"kind": "slides", "title": "D", "file": upload}
    )
    assert response.status_code == 302
    assert Material.objects.get().file.name.endswith(".pptx")


def test_the_workshop_page_links_rating_certificate_and_follow_up(client, world):
    reg = world["regs"][0]
    reg.attended = True
    reg.save()
    detail = reverse("workshops:detail", args=["c26", world["workshop"].pk])
    client.force_login(world["people"][0])
    body = client.get(detail).content.decode()
    assert url("certificate", world["session"].pk) in body
    assert url("rate", world["session"].pk) in body
    assert url("run", world["workshop"].pk) not in body
    client.force_login(world["people"][1])  # not marked present
    assert url("certificate", world["session"].pk) not in client.get(detail).content.decode()
    client.force_login(world["coordinator"])
    body = client.get(detail).content.decode()
    assert (
        url("run", world["workshop"].pk) in body and url("materials", world["workshop"].pk) in body
    )
