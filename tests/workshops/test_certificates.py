"""Certificates of attendance: what the PDF says (read back with pypdf), in whose zone, with
which fonts, and who may download it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from tandem.workshops import certificates
from tandem.workshops.models import Registration
from tests.accounts.factories import UserFactory
from tests.workshops.factories import RegistrationFactory, SessionFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 22, 30, tzinfo=dt.UTC)  # Monday 22:30 UTC: Tuesday in Nairobi


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def session():
    workshop = WorkshopFactory(title="Running a consortium: governance", cohort__name="2026 Cohort")
    return SessionFactory(workshop=workshop, starts_at=START, duration_minutes=90, label="EMEA")


def attendee(session, name="Zoë Ñúñez", tz="Africa/Nairobi", **kwargs):
    person = UserFactory(name=name, timezone=tz)
    return RegistrationFactory(session=session, person=person, attended=True, **kwargs)


def render_one(registration):
    registration = Registration.objects.select_related("session__workshop__cohort", "person").get(
        pk=registration.pk
    )
    return certificates.render([certificates.certificate_of(registration, ["Ada Facilitator"])])


def test_certificate_names_person_workshop_local_date_hours_cohort_and_id(session):
    reg = attendee(session)
    text = pdf_text(render_one(reg))[0]
    assert "Zoë Ñúñez" in text
    assert "Running a consortium: governance" in text
    assert "March 3, 2026" in text  # Tuesday already in Nairobi
    assert "1.5 hours" in text
    assert "2026 Cohort" in text
    assert "Consortia Partnership Program" in text
    assert "Ada Facilitator" in text
    assert certificates.verification_id(reg) in text.replace("\n", "")


def test_the_date_is_the_attendees_own(session):
    reg = attendee(session, name="Ana Lima", tz="America/Sao_Paulo")
    assert "March 2, 2026" in pdf_text(render_one(reg))[0]


def test_whole_hours_are_written_without_decimals(session):
    session.duration_minutes = 120
    session.save()
    assert "2 hours" in pdf_text(render_one(attendee(session)))[0]


@pytest.mark.parametrize("name", ["Miłosz Śmieszek", "Zoë Ñúñez", "Ngọc Nguyễn", "Şule Ağaoğlu"])
def test_latin_extended_names_render(session, name):
    assert name in pdf_text(render_one(attendee(session, name=name)))[0]


def test_a_cjk_name_never_fails(session):
    data = render_one(attendee(session, name="李明"))
    assert data.startswith(b"%PDF")
    if certificates.fallback_font():  # with a CJK font on the machine the name is written
        assert "李明" in pdf_text(data)[0]


def test_without_unicode_fonts_helvetica_writes_what_it_can(session, monkeypatch):
    monkeypatch.setattr(certificates, "main_font", lambda: None)
    text = pdf_text(render_one(attendee(session, name="Zoë Śmieszek 李明")))[0]
    assert "Zoë Smieszek ??" in text


def test_many_certificates_one_page_each(session):
    regs = [attendee(session, name=f"Person {i}") for i in range(3)]
    certs = [
        certificates.certificate_of(r)
        for r in Registration.objects.filter(pk__in=[r.pk for r in regs]).select_related(
            "session__workshop__cohort", "person"
        )
    ]
    pages = pdf_text(certificates.render(certs))
    assert len(pages) == 3
    assert all(any(f"Person {i}" in p for p in pages) for i in range(3))


def test_verification_ids_verify_and_forgeries_do_not(session):
    reg = attendee(session)
    code = certificates.verification_id(reg)
    assert certificates.verify(code) == reg
    assert certificates.verify(code[:-1] + ("0" if code[-1] != "0" else "1")) is None
    assert certificates.verify(f"W{reg.pk + 1}-{code.split('-')[1]}") is None
    assert certificates.verify("nonsense") is None
    reg.attended = False
    reg.save()
    assert certificates.verify(code) is None


# --- The public check (issue 20) ---------------------------------------------------------------


def test_the_certificate_prints_the_address_that_checks_it(session):
    reg = attendee(session)
    code = certificates.verification_id(reg)
    text = pdf_text(render_one(reg))[0].replace("\n", "")
    assert f"/certificates/verify/{code}/" in text


def test_anyone_checks_a_valid_id_and_sees_name_workshop_and_date_only(client, session):
    reg = attendee(session)
    reg.person.email = "zoe@example.org"
    reg.person.save()
    code = certificates.verification_id(reg)
    response = client.get(reverse("certificates:verified", args=[code]))  # not signed in
    assert response.status_code == 200
    body = response.content.decode()
    assert "Zoë Ñúñez" in body and "Running a consortium: governance" in body
    assert "March 3, 2026" in body  # the date on the certificate, in the attendee's zone
    assert "zoe@example.org" not in body and "2026 Cohort" not in body


def test_a_nameless_attendee_is_not_shown_by_e_mail(client, session):
    reg = attendee(session, name="")
    reg.person.email = "anon@example.org"
    reg.person.save()
    body = client.get(
        reverse("certificates:verified", args=[certificates.verification_id(reg)])
    ).content.decode()
    assert "anon@example.org" not in body and "no name on their profile" in body


@pytest.mark.parametrize("code", ["W999-0123456789", "nonsense", "W²-0123456789", "W1-²"])
def test_an_unknown_id_says_no_certificate_has_it(client, session, code):
    response = client.get(reverse("certificates:verified", args=[code]))
    assert response.status_code == 404
    assert "No certificate has the id" in response.content.decode()


def test_the_form_goes_to_the_ids_address_and_refuses_bad_input(client, session):
    code = certificates.verification_id(attendee(session))
    url = reverse("certificates:verify")
    assert client.get(url).status_code == 200
    response = client.get(url, {"code": f"  {code} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:verified", args=[code])
    refused = client.get(url, {"code": "W1/../x"})
    assert refused.status_code == 400 and refused.context["form"].errors["code"]


@override_settings(TANDEM_THROTTLES={"certificate-verification": {"client": (3, 3600)}})
def test_checks_are_throttled_per_client(client, session):
    code = certificates.verification_id(attendee(session))
    url = reverse("certificates:verified", args=[code])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429 and "Retry-After" in refused
    assert "Zoë" not in refused.content.decode()
    other = client.get(url, REMOTE_ADDR="203.0.113.9")  # another client is not held back
    assert other.status_code == 200
