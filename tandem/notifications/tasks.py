"""Background jobs (Django's tasks framework; `manage.py db_worker` runs them)."""

from django.tasks import task
from django.utils import timezone

from . import services


@task
def send_reminders_task() -> int:
    """Send every due reminder of every app not sent before; safe to run twice or retry."""
    return len(services.send_reminders(timezone.now()))
