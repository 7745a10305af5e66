"""Outbox and activity-log operations used by every other app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import ActivityLog, OutboxMessage


def render_mail(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """Render ``mail/<template>_subject.txt`` and ``mail/<template>.txt``."""
    base = {
        "program_name": settings.TANDEM_PROGRAM_NAME,
        "contact_email": settings.TANDEM_CONTACT_EMAIL,
        **context,
    }
    subject = render_to_string(f"mail/{template}_subject.txt", base).strip()
    body = render_to_string(f"mail/{template}.txt", base)
    return " ".join(subject.split()), body


def queue_mail(
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    user=None,
    cohort=None,
    dedupe_key: str | None = None,
    send: bool = True,
) -> OutboxMessage | None:
    """Put a message in the outbox and (by default) send it at once.

    With a ``dedupe_key`` the call is idempotent: a second call with the same key returns
    ``None`` and sends nothing.
    """
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                kind=kind,
                to=to,
                subject=subject,
                body=body,
                user=user,
                cohort=cohort,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        if dedupe_key and OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    if send:
        deliver(message)
    return message


def deliver(message: OutboxMessage) -> OutboxMessage:
    """Send one queued (or failed) message through Django's e-mail backend, recording the result."""
    if message.status == OutboxMessage.Status.SENT:
        return message
    try:
        EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
        ).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any backend failure is recorded, not raised
        message.status = OutboxMessage.Status.FAILED
        message.error = f"{type(exc).__name__}: {exc}"
    else:
        message.status = OutboxMessage.Status.SENT
        message.error = ""
        message.sent_at = timezone.now()
    message.save(update_fields=["status", "error", "sent_at"])
    return message


def log_activity(actor, action: str, summary: str, *, cohort=None, **data: Any) -> ActivityLog:
    return ActivityLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        cohort=cohort,
        action=action,
        summary=summary[:300],
        data=data,
    )
