"""The one periodic job: it asks every registered reminder provider, drops what people turned
off and what was sent before, and sends the rest once (command, task and outbox page alike)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.notifications import reminders
from tandem.notifications.models import OutboxMessage, ReminderOptOut
from tandem.notifications.reminders import Reminder
from tandem.notifications.services import send_reminders
from tandem.notifications.tasks import send_reminders_task
from tests.accounts.factories import UserFactory

# Every test here runs at each odd instant of tests/clocks.py (frozen): none may depend on the hour.
pytestmark = [pytest.mark.django_db, pytest.mark.integration, pytest.mark.usefixtures("clock")]


def make_due(pair, days: int):
    checkin = pair.checkins.get(round=1)
    checkin.due_date = timezone.now().date() + dt.timedelta(days=days)
    checkin.save()
    return checkin


@pytest.fixture
def registry(monkeypatch):
    """The reminder registry as the apps filled it, restored after the test."""
    monkeypatch.setattr(reminders, "_sources", dict(reminders._sources))
    return reminders


def survey_provider(people):
    """A stand-in for a new app ("surveys"): one reminder per person, every time it is asked."""

    def provider(now):
        return [
            Reminder("survey-open", p, p.email, "A survey is open", "Tell us.", f"survey:1:{p.pk}")
            for p in people
        ]

    return provider


def test_the_meetings_app_registered_its_kinds():
    assert reminders.kinds() == {
        "checkin-due": "check-in due in 7 days",
        "checkin-overdue": "check-in overdue",
        "meeting-tomorrow": "meeting tomorrow",
        # and the workshops app's
        "workshop-tomorrow": "workshop session tomorrow",
        "workshop-offer-expiring": "offered workshop seat expiring",
    }


def test_opt_out_per_kind(published_pair):
    _, people, pair = published_pair
    make_due(pair, 3)
    ReminderOptOut.objects.create(user=people["eva"].applicant, kind="checkin-due")
    assert [r.to for r in send_reminders()] == [people["lin"].email]


def test_a_new_apps_provider_is_sent_once_and_its_kind_can_be_turned_off(registry):
    ada, bob = UserFactory(), UserFactory()
    registry.register(
        "surveys", survey_provider([ada, bob]), kinds={"survey-open": "a survey opens"}
    )
    assert registry.kinds()["survey-open"] == "a survey opens"
    ReminderOptOut.objects.create(user=bob, kind="survey-open")
    assert [r.to for r in send_reminders()] == [ada.email]
    assert send_reminders() == []  # sent once
    assert OutboxMessage.objects.get().kind == "survey-open"
    assert [m.to for m in mail.outbox] == [[ada.email]]


def test_a_reminder_of_an_unregistered_kind_is_refused(registry):
    ada = UserFactory()
    registry.register("surveys", survey_provider([ada]), kinds={"survey-closed": "a survey closes"})
    with pytest.raises(ValueError, match="unregistered kind 'survey-open'"):
        send_reminders()
    assert not OutboxMessage.objects.exists()


def test_a_kind_belongs_to_one_provider(registry):
    with pytest.raises(ValueError, match="already registered by 'meetings'"):
        registry.register("surveys", lambda now: [], kinds={"checkin-due": "twice"})
    with pytest.raises(ValueError, match="1 to 60 characters"):
        registry.register("surveys", lambda now: [], kinds={"x" * 61: "too long"})


def test_dry_run_sends_nothing(published_pair):
    _, _, pair = published_pair
    make_due(pair, 1)
    planned = send_reminders(dry_run=True)
    assert len(planned) == 2 and not mail.outbox and not OutboxMessage.objects.exists()
    call_command("send_reminders", "--dry-run")
    assert not OutboxMessage.objects.exists()


def test_task_through_the_tasks_framework_is_idempotent(published_pair, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    _, _, pair = published_pair
    make_due(pair, 2)
    first = send_reminders_task.enqueue()
    second = send_reminders_task.enqueue()  # retried / run twice
    assert first.return_value == 2 and second.return_value == 0
    assert len(mail.outbox) == 2


def test_database_backend_enqueues_for_the_worker(published_pair, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _, _, pair = published_pair
    make_due(pair, 2)
    call_command("send_reminders", "--enqueue")
    assert DBTaskResult.objects.count() == 1 and not mail.outbox
    # The worker recycles DB connections between jobs; inside the test transaction it must not.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert len(mail.outbox) == 2


def test_outbox_page_previews_and_sends_what_is_due(coordinator_client, published_pair):
    _, people, pair = published_pair
    make_due(pair, 2)
    page = coordinator_client.get(reverse("outbox:index") + "?preview=1")
    assert page.status_code == 200
    assert {r.to for r in page.context["preview"]} == {people["eva"].email, people["lin"].email}
    assert "2 reminders would be sent now" in page.content.decode()
    response = coordinator_client.post(reverse("outbox:send"), follow=True)
    assert response.redirect_chain == [(reverse("outbox:index"), 302)]
    assert "2 reminders sent." in response.content.decode()
    assert OutboxMessage.objects.filter(kind="checkin-due").count() == 2


def test_a_large_programme_sends_from_the_outbox_in_the_background(
    coordinator_client, published_pair, settings, monkeypatch
):
    """Above TANDEM_SYNC_MATCH_LIMIT accounts the button enqueues the job (the database backend:
    nothing is sent in the request), and the worker sends it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TANDEM_SYNC_MATCH_LIMIT = 2  # the fixture has more people than this
    _, _, pair = published_pair
    make_due(pair, 2)
    response = coordinator_client.post(reverse("outbox:send"), follow=True)
    assert "being sent in the background" in response.content.decode()
    assert DBTaskResult.objects.count() == 1 and not mail.outbox
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.filter(kind="checkin-due").count() == 2
