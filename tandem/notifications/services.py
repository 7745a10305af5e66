"""E-mail through the outbox (render, queue, deliver) and the periodic reminder job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from . import reminders
from .models import OutboxMessage, ReminderOptOut
from .reminders import Reminder


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


# --- Reminders --------------------------------------------------------------------------------


def due_reminders(now: dt.datetime) -> list[Reminder]:
    """What every provider plans at ``now``, less what its recipient turned off and what the
    outbox already holds (by ``dedupe_key``)."""
    muted = set(ReminderOptOut.objects.values_list("user_id", "kind"))
    planned = [r for r in reminders.plan(now) if (getattr(r.user, "pk", None), r.kind) not in muted]
    sent_before = set(
        OutboxMessage.objects.filter(dedupe_key__in=[r.dedupe_key for r in planned]).values_list(
            "dedupe_key", flat=True
        )
    )
    return [r for r in planned if r.dedupe_key not in sent_before]


def send_reminders(now: dt.datetime | None = None, *, dry_run: bool = False) -> list[Reminder]:
    """Send what is due and not sent before; returns what was (or, dry, would be) sent.
    Safe to run twice or at once: the outbox's ``dedupe_key`` sends each reminder once."""
    planned = due_reminders(now or timezone.now())
    if dry_run:
        return planned
    sent = []
    for r in planned:
        if (
            queue_mail(
                kind=r.kind,
                to=r.to,
                subject=r.subject,
                body=r.body,
                user=r.user,
                cohort=r.cohort,
                dedupe_key=r.dedupe_key,
            )
            is not None
        ):
            sent.append(r)
    return sent
