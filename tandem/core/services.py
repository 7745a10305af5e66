"""Outbox and activity-log operations used by every other app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from .models import ActivityLog, OutboxMessage


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """Render a plain-text template *without* HTML escaping.

    E-mails are text, not HTML: ``Seán O'Brien & Co`` must arrive as typed, not as
    ``Seán O&#x27;Brien &amp; Co``. Every text e-mail template is rendered here, so no template
    needs (or can forget) ``{% autoescape off %}``."""
    template = get_template(template_name).template  # the engine's own Template
    return template.render(Context(context, autoescape=False))


def one_line(text: str) -> str:
    """``text`` on one line: CR, LF and every other line or paragraph separator (and runs of
    whitespace) become one space, so a name cannot add a header line to a subject."""
    return " ".join(text.split())


def mail_subject(text: str) -> str:
    """A subject as stored and sent: one line, cut (with an ellipsis) to the outbox's length."""
    text = one_line(text)
    limit = OutboxMessage._meta.get_field("subject").max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_mail(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """Render ``mail/<template>_subject.txt`` (one line) and ``mail/<template>.txt``, as text."""
    base = {
        "program_name": settings.TANDEM_PROGRAM_NAME,
        "contact_email": settings.TANDEM_CONTACT_EMAIL,
        **context,
    }
    subject = render_text(f"mail/{template}_subject.txt", base)
    body = render_text(f"mail/{template}.txt", base)
    return mail_subject(subject), body


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
                subject=mail_subject(subject),
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
