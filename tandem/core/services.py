"""The activity log, written by every other app (e-mail is tandem.notifications.services)."""

from __future__ import annotations

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
