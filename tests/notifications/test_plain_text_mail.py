"""Plain-text e-mails are text, not HTML, and subjects are one line (issue 11, point 10)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from tandem.applications import services as cohort_services
from tandem.notifications.models import OutboxMessage
from tandem.notifications.services import queue_mail, render_mail
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory

NAME = 'Seán O\'Brien & Co <b>"Ltd"</b>'
ESCAPED = ["&amp;", "&#x27;", "&#39;", "&lt;", "&gt;", "&quot;"]
CRLF_NAME = "Evil\r\nBcc: victim@example.org\rX-Injected: 1\nEnd"

MAIL_DIR = Path(settings.BASE_DIR) / "tandem" / "templates" / "mail"
TEMPLATES = sorted(p.name.removesuffix("_subject.txt") for p in MAIL_DIR.glob("*_subject.txt"))


def hostile_context(text: str) -> dict:
    """Every value a mail template shows, set to ``text`` (dates and zones stay real)."""
    when = dt.datetime(2025, 3, 3, 14, 0, tzinfo=dt.UTC)
    person = {
        "name": text,
        "full_name": text,
        "zone": "Europe/Dublin",
        "timezone": "Europe/Dublin",
        "organization": {"label": text, "country": {"name": text}},
    }
    return {
        "application": {
            "full_name": text,
            "organization": text,
            "get_preferred_role_display": text,
            "zone": "Europe/Dublin",
        },
        "cohort": {"name": text, "closes_at": when, "timezone": "America/Los_Angeles"},
        "first": True,
        "url": "https://tandem.example.org/x/?a=1&b=2",
        "user": person,
        "me": person,
        "partner": person,
        "proposer": person,
        "checkin": {
            "round": 2,
            "due_date": when.date(),
            "proposed_at": when,
            "duration_minutes": 60,
        },
        "pair": {"reasons": [text]},
        "partners": text,
        "title": text,
        "starts_at": when,
        "day": "tomorrow",
        "left": True,
    }


def test_every_mail_template_is_found():
    assert {"application_submitted", "partner_published", "meeting_tomorrow"} <= set(TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES)
def test_mail_templates_render_names_as_typed(template):
    subject, body = render_mail(template, hostile_context(NAME))
    assert NAME in body, body
    assert (
        "https://tandem.example.org/x/?a=1&b=2" in body
        or "{{ url }}" not in (MAIL_DIR / f"{template}.txt").read_text()
    )
    for entity in ESCAPED:
        assert entity not in subject and entity not in body, (entity, subject, body)
    source = (MAIL_DIR / f"{template}_subject.txt").read_text()
    if any(var in source for var in ("name", "title")):
        assert NAME in subject


@pytest.mark.parametrize("template", TEMPLATES)
def test_subjects_are_one_line_whatever_the_names(template):
    subject, _ = render_mail(template, hostile_context(CRLF_NAME))
    assert "\r" not in subject and "\n" not in subject
    assert subject == " ".join(subject.split())


@pytest.mark.django_db
@pytest.mark.integration
def test_an_applicants_confirmation_arrives_as_typed_on_one_subject_line():
    application = ApplicationFactory(
        full_name="Seán O'Brien <sean@example.org>",
        cohort=CohortFactory(name="Tom & Jerry's\r\nBcc: victim@example.org cohort"),
    )
    cohort_services._send_confirmation(application, first=True)
    (sent,) = mail.outbox
    assert sent.subject == (
        "We received your application to Tom & Jerry's Bcc: victim@example.org cohort"
    )
    assert sent.body.startswith("Dear Seán O'Brien <sean@example.org>,")
    assert "Tom & Jerry's" in sent.body
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


@pytest.mark.django_db
@pytest.mark.integration
def test_a_subject_given_with_line_breaks_is_sent_on_one_line():
    message = queue_mail(kind="test", to="a@example.org", subject=CRLF_NAME, body="Hello")
    assert message.status == OutboxMessage.Status.SENT, message.error
    assert message.subject == "Evil Bcc: victim@example.org X-Injected: 1 End"
    assert mail.outbox[0].subject == message.subject
    assert "X-Injected" not in mail.outbox[0].message()


@pytest.mark.django_db
@pytest.mark.integration
def test_a_subject_longer_than_the_outbox_column_is_cut_not_refused():
    long = "Meet your partner: " + "Ω & " * 100
    message = queue_mail(kind="test", to="a@example.org", subject=long, body="Hello")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(message.subject) == 250 and message.subject.endswith("…")
    assert long.startswith(message.subject[:-1])
