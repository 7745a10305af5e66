"""The activity log, written by every other app (e-mail is tandem.notifications.services)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models import ActivityLog


def log_activity(actor, action: str, summary: str, *, cohort=None, **data: Any) -> ActivityLog:
    return ActivityLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        cohort=cohort,
        action=action,
        summary=summary[:300],
        data=data,
    )


def log_activities(
    actor, action: str, entries: Iterable[tuple[str, dict[str, Any]]], *, cohort=None
) -> list[ActivityLog]:
    """Many entries of one action at once (one INSERT): ``(summary, data)`` each, as
    :func:`log_activity` writes them."""
    who = actor if getattr(actor, "is_authenticated", False) else None
    return ActivityLog.objects.bulk_create(
        ActivityLog(actor=who, cohort=cohort, action=action, summary=summary[:300], data=data)
        for summary, data in entries
    )
