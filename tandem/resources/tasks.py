"""Background jobs of the library (Django's tasks framework; ``manage.py db_worker`` runs
them): the text of a large upload is read by a task, not in the web request."""

from __future__ import annotations

from django.tasks import task

from .indexing import extract_version
from .models import Version


@task
def extract_text_task(version_id: int) -> int:
    """Extract and index the text of a version's file; returns its length in characters."""
    version = Version.objects.select_related("resource").filter(pk=version_id).first()
    if version is None or not version.blob:
        return 0
    extract_version(version)
    return len(version.text)
