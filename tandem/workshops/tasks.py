"""Background jobs (Django's tasks framework; `manage.py db_worker` runs them)."""

from django.tasks import task
from django.utils import timezone

from . import services


@task
def expire_offers_task() -> int:
    """Expire lapsed offers of workshop seats and pass them on; safe to run twice or retry.
    Pages settle a session's waitlist as they show it too: nothing depends on this job."""
    return services.expire_offers(timezone.now())
