import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tandem.core.models import OutboxMessage
from tandem.meetings import services
from tandem.meetings.models import CheckIn, Meeting, ReminderOptOut
from tandem.meetings.tasks import send_reminders_task

# Every test here runs at each odd instant of tests/clocks.py (frozen): none may depend on the hour.
pytestmark = [pytest.mark.django_db, pytest.mark.integration, pytest.mark.usefixtures("clock")]


def make_due(pair, days: int) -> CheckIn:
    checkin = pair.checkins.get(round=1)
    checkin.due_date = timezone.now().date() + dt.timedelta(days=days)
    checkin.save()
    return checkin


def test_due_in_7_days_reminds_both_partners_once(published_pair):
    _, people, pair = published_pair
    make_due(pair, 5)
    sent = services.send_reminders()
    assert sorted(r.to for r in sent) == sorted([people["eva"].email, people["lin"].email])
    assert all(r.kind == "checkin-due" for r in sent)
    assert services.send_reminders() == []  # a second run sends nothing
    assert OutboxMessage.objects.filter(kind="checkin-due").count() == 2


def test_overdue_reminder(published_pair):
    _, people, pair = published_pair
    make_due(pair, -2)
    kinds = {r.kind for r in services.send_reminders()}
    assert kinds == {"checkin-overdue"}


def test_logged_checkins_are_not_reminded(published_pair):
    _, _, pair = published_pair
    checkin = make_due(pair, 3)
    checkin.logged_at = timezone.now()
    checkin.save()
    assert services.send_reminders() == []


def test_opt_out_per_kind(published_pair):
    _, people, pair = published_pair
    make_due(pair, 3)
    ReminderOptOut.objects.create(user=people["eva"].applicant, kind="checkin-due")
    assert [r.to for r in services.send_reminders()] == [people["lin"].email]


def test_meeting_tomorrow_in_recipients_zone(published_pair):
    cohort, people, _ = published_pair
    start = (timezone.now() + dt.timedelta(hours=20)).replace(minute=0, second=0, microsecond=0)
    Meeting.objects.create(cohort=cohort, title="Orientation", starts_at=start)
    sent = [r for r in services.send_reminders() if r.kind == "meeting-tomorrow"]
    assert {r.to for r in sent} == {a.email for a in services.cohort_participants(cohort)}
    lin = next(r for r in sent if r.to == people["lin"].email)
    local = start.astimezone(dt.timezone(dt.timedelta(hours=3)))
    assert f"{local:%H:%M} Africa/Nairobi (UTC+03:00)" in lin.body


def test_dry_run_sends_nothing(published_pair):
    _, _, pair = published_pair
    make_due(pair, 1)
    planned = services.send_reminders(dry_run=True)
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
    from django_tasks_db.models import DBTaskResult

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
