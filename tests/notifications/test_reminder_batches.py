"""The reminder job sends in batches (issue 13): one insert per batch that skips what the outbox
holds, one update per outcome, and mails rendered only when read."""

import pytest
from django.core import mail
from django.utils import timezone, translation

from tandem.notifications import reminders
from tandem.notifications import services as notify
from tandem.notifications.models import OutboxMessage
from tandem.notifications.reminders import Reminder, lazy_mail
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def only(monkeypatch):
    """Make ``plan`` return exactly the given reminders (no other provider)."""

    def install(planned):
        monkeypatch.setattr(reminders, "plan", lambda now: list(planned))

    return install


def survey(person, n=1, subject="A survey is open"):
    return Reminder("survey-open", person, person.email, subject, "Tell us.", f"s{n}:{person.pk}")


def test_every_reminder_is_sent_once_across_batches(only, monkeypatch):
    monkeypatch.setattr(notify, "SEND_BATCH", 3)
    people = UserFactory.create_batch(7)
    only([survey(p) for p in people])
    sent = notify.send_reminders(timezone.now())
    assert [r.to for r in sent] == [p.email for p in people]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    rows = OutboxMessage.objects.all()
    assert rows.count() == 7 and {m.status for m in rows} == {OutboxMessage.Status.SENT}
    assert all(m.sent_at and m.user_id for m in rows)
    assert notify.send_reminders(timezone.now()) == []  # run again: nothing new
    assert len(mail.outbox) == 7


def test_a_key_planned_twice_is_sent_once(only):
    person = UserFactory()
    only([survey(person), survey(person)])
    assert len(notify.send_reminders(timezone.now())) == 1
    assert len(mail.outbox) == 1 and OutboxMessage.objects.count() == 1


def test_what_another_run_queued_meanwhile_is_left_to_it(only, monkeypatch):
    """A run at the same time inserted one of the keys between this run's check and its insert:
    this run skips that one and sends the others."""
    first, second = UserFactory.create_batch(2)
    planned = [survey(first), survey(second)]
    only(planned)
    real = notify.due_reminders

    def due_then_race(now):
        due = real(now)
        OutboxMessage.objects.create(
            kind="survey-open", to=first.email, subject="x", body="y", dedupe_key=due[0].dedupe_key
        )
        return due

    monkeypatch.setattr(notify, "due_reminders", due_then_race)
    sent = notify.send_reminders(timezone.now())
    assert [r.to for r in sent] == [second.email]
    assert [m.to for m in mail.outbox] == [[second.email]]
    raced = OutboxMessage.objects.get(to=first.email)
    assert raced.status == OutboxMessage.Status.QUEUED and raced.subject == "x"


def test_failed_deliveries_are_recorded_per_message(only, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.failing_backend.EmailBackend"}}
    people = UserFactory.create_batch(3)
    only([survey(p) for p in people])
    sent = notify.send_reminders(timezone.now())
    assert len(sent) == 3  # queued, as queue_mail counts them; delivery failed
    for message in OutboxMessage.objects.all():
        assert message.status == OutboxMessage.Status.FAILED
        assert "SMTP server down" in message.error and message.sent_at is None


def test_subjects_are_one_line_and_cut_as_queue_mail_does(only):
    person = UserFactory()
    only([survey(person, subject="Two\nlines " + "x" * 400)])
    notify.send_reminders(timezone.now())
    subject = OutboxMessage.objects.get().subject
    assert "\n" not in subject and subject.startswith("Two lines") and subject.endswith("…")
    assert len(subject) == OutboxMessage._meta.get_field("subject").max_length


def test_lazy_mail_renders_once_when_read_in_the_language_of_the_plan():
    calls = []

    def render():
        calls.append(translation.get_language())
        return "Subject", "Body"

    with translation.override("de"):
        subject, body = lazy_mail(render)
    assert calls == []  # planned, not rendered
    with translation.override("fr"):
        assert (str(subject), str(body)) == ("Subject", "Body")
    assert calls == ["de"]


def test_the_preview_renders_only_the_shown_page(coordinator_client, only, monkeypatch):
    rendered = []
    people = UserFactory.create_batch(60)

    def reminder(p):
        subject, body = lazy_mail(lambda: rendered.append(p.pk) or (f"For #{p.pk}", "Hi"))
        return Reminder("survey-open", p, p.email, subject, body, f"s:{p.pk}")

    only([reminder(p) for p in people])
    page = coordinator_client.get("/outbox/?preview=1").content.decode()
    assert "60 reminders would be sent now" in page
    assert len(rendered) == 50 and f"For #{people[0].pk}<" in page
    page = coordinator_client.get("/outbox/?preview=1&preview_page=2").content.decode()
    assert f"For #{people[-1].pk}<" in page and f"For #{people[0].pk}<" not in page


def test_the_outbox_lists_every_message_a_page_at_a_time_keeping_the_status(coordinator_client):
    OutboxMessage.objects.bulk_create(
        OutboxMessage(kind="k", to=f"p{i}@example.org", subject=f"S{i}", body="b", status=status)
        for i in range(130)
        for status in [OutboxMessage.Status.SENT if i % 2 else OutboxMessage.Status.FAILED]
    )
    first = coordinator_client.get("/outbox/?status=sent").content.decode()
    assert "Page 1 of 2" in first and 'href="?status=sent&amp;page=2"' in first
    second = coordinator_client.get("/outbox/?status=sent&page=2").content.decode()
    assert second.count("<tr><td>") == 15 and "S1<" in second  # 65 sent: 50 + 15, newest first
    assert "Failed" not in second.split("<tbody>")[1]
    last = coordinator_client.get("/outbox/?page=99").content.decode()
    assert "Page 3 of 3" in last  # past the end: the last page, not an error
