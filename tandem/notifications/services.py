"""E-mail through the outbox (render, queue, deliver) and the periodic reminder job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from itertools import groupby
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, connections, router, transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from tandem.core.timezones import person_zone

from . import digests, reminders, unsubscribe
from .models import DigestChoice, OutboxMessage, ReminderOptOut
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


def reminder(
    kind: str,
    user,
    key: str,
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
    cohort=None,
) -> Reminder:
    """A reminder of ``kind`` about ``key`` for ``user`` (its outbox key
    :func:`reminders.dedupe_key`), whose mail ``template`` is rendered with ``user`` and
    ``context`` only when read (:func:`reminders.lazy_mail`): the job and the outbox preview
    render only what they use. ``context`` may be a function, called then."""

    def render() -> tuple[str, str]:
        extra = context() if callable(context) else context
        return render_mail(template, {"user": user, **extra})

    subject, body = reminders.lazy_mail(render)
    key = reminders.dedupe_key(kind, key, user.pk)
    return Reminder(kind, user, user.email, subject, body, key, cohort)


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
    concerns: str = "program",
) -> OutboxMessage | None:
    """Put a message in the outbox and (by default) send it at once.

    With a ``dedupe_key`` the call is idempotent: a second call with the same key returns
    ``None`` and sends nothing. The body gets its footer (:func:`unsubscribe.footer`): the
    unsubscribe link of an optional kind, or, for an essential mail, why it cannot be turned
    off — ``concerns`` says what it is about: ``"account"``, ``"application"`` or
    ``"program"``.
    """
    body = body + unsubscribe.footer(kind, getattr(user, "pk", None), concerns)
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
    _transmit(message)
    message.save(update_fields=["status", "error", "sent_at"])
    return message


def _transmit(message: OutboxMessage) -> None:
    """Hand ``message`` to the e-mail backend; its status, error and time say how it went (not
    saved)."""
    try:
        EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers=unsubscribe.headers(message.kind, message.user_id),
        ).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any backend failure is recorded, not raised
        message.status = OutboxMessage.Status.FAILED
        message.error = f"{type(exc).__name__}: {exc}"
    else:
        message.status = OutboxMessage.Status.SENT
        message.error = ""
        message.sent_at = timezone.now()


def turn_off(user, kind: str) -> None:
    """``user`` receives no more mails of ``kind`` (a one-click unsubscribe; the profile's
    reminder settings turn it back on); for a digest, of every kind they receive in it.
    Idempotent."""
    if kind in unsubscribe.DIGEST_KINDS:
        period = kind.removeprefix("digest-")
        off = list(
            DigestChoice.objects.filter(user=user, period=period).values_list("kind", flat=True)
        )
    else:
        off = [kind]
    ReminderOptOut.objects.bulk_create(
        [ReminderOptOut(user=user, kind=k) for k in off], ignore_conflicts=True
    )


# --- Reminders --------------------------------------------------------------------------------

#: Reminders queued and sent per batch: each batch costs the same few queries.
SEND_BATCH = 1000
#: Keys looked up per query when checking what the outbox already holds.
KEY_CHUNK = 5000


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def send_in_background() -> bool:
    """Whether "Send due reminders now" should run as a task: when more people have an account
    than ``TANDEM_SYNC_MATCH_LIMIT`` (the size up to which Tandem does a cohort's work in the
    request), since each may be owed several reminders."""
    people = get_user_model().objects.filter(is_active=True)
    return people[: settings.TANDEM_SYNC_MATCH_LIMIT + 1].count() > settings.TANDEM_SYNC_MATCH_LIMIT


def due_reminders(now: dt.datetime) -> list[Reminder]:
    """What every provider plans at ``now``, less what its recipient turned off and what the
    outbox already holds (by ``dedupe_key``). A constant number of queries besides the
    providers' own: one for the opt-outs, one per :data:`KEY_CHUNK` keys for the outbox."""
    muted = set(ReminderOptOut.objects.values_list("user_id", "kind"))
    planned = [r for r in reminders.plan(now) if (getattr(r.user, "pk", None), r.kind) not in muted]
    sent_before = keys_in_outbox({r.dedupe_key for r in planned})
    return [r for r in planned if r.dedupe_key not in sent_before]


def keys_in_outbox(keys: set[str]) -> set[str]:
    """Which of ``keys`` the outbox holds. On PostgreSQL one query with the keys as one array
    parameter (``= ANY(%s)``): thousands of ``IN (%s, …)`` placeholders cost more to send and
    plan than the lookup itself (95 → 15 ms for 6,100 keys); elsewhere, chunks of
    :data:`KEY_CHUNK`."""
    if not keys:
        return set()
    connection = connections[router.db_for_read(OutboxMessage)]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(OutboxMessage._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT dedupe_key FROM {table} WHERE dedupe_key = ANY(%s)",  # noqa: S608
                [sorted(keys)],
            )
            return {key for (key,) in cursor.fetchall()}
    found: set[str] = set()
    for chunk in _chunks(sorted(keys), KEY_CHUNK):
        found.update(
            OutboxMessage.objects.filter(dedupe_key__in=chunk).values_list("dedupe_key", flat=True)
        )
    return found


def send_reminders(now: dt.datetime | None = None, *, dry_run: bool = False) -> list[Reminder]:
    """Send what is due and not sent before; returns what was (or, dry, would be) sent.
    Safe to run twice or at once: the outbox's ``dedupe_key`` sends each reminder once.

    Reminders are queued and sent in batches of :data:`SEND_BATCH` (:func:`_send_batch`), so
    the job's queries do not grow with the number of reminders. A reminder its person chose to
    receive in a digest is held in the outbox instead, and the digests whose period has begun
    are sent (:func:`send_digests`)."""
    now = now or timezone.now()
    planned = due_reminders(now)
    if dry_run:
        return planned
    once: dict[str, Reminder] = {}
    for r in planned:
        once.setdefault(r.dedupe_key, r)  # a key planned twice is sent once
    held = digests.choices({r.kind for r in once.values()})
    sent: list[Reminder] = []
    for batch in _chunks(list(once.values()), SEND_BATCH):
        sent += _send_batch(batch, held)
    send_digests(now)
    return sent


def _send_batch(
    batch: list[Reminder], held: dict[tuple[int, str], str] | None = None
) -> list[Reminder]:
    """Queue ``batch`` (distinct keys) in the outbox and send it: one insert of the messages
    whose keys are not in the outbox yet (:func:`_insert_new`), the e-mails, then one update
    per outcome (sent, or each distinct error). What a run at the same time queued first is
    left to it, as :func:`queue_mail` does one message at a time; no transaction is held while
    the e-mails go out. Each body gets its footer (:func:`unsubscribe.footer`). A reminder
    whose (person, kind) is in ``held`` (a digest was chosen) is queued *held*, not sent."""
    kinds = reminders.kinds()
    held = held or {}

    def holds(r: Reminder) -> bool:
        return (getattr(r.user, "pk", None), r.kind) in held

    messages = {
        r.dedupe_key: OutboxMessage(
            kind=r.kind,
            to=r.to,
            subject=mail_subject(str(r.subject)),
            body=str(r.body) + unsubscribe.footer(r.kind, getattr(r.user, "pk", None), kinds=kinds),
            user=r.user,
            cohort=r.cohort,
            dedupe_key=r.dedupe_key,
            status=OutboxMessage.Status.HELD if holds(r) else OutboxMessage.Status.QUEUED,
        )
        for r in batch
    }
    ours = _insert_new(list(messages.values()))
    sent = [r for r in batch if r.dedupe_key in ours and not holds(r)]
    outcomes: dict[tuple[str, str], list[int]] = {}
    for r in sent:
        message = messages[r.dedupe_key]
        _transmit(message)
        outcomes.setdefault((message.status, message.error), []).append(message.pk)
    finished = timezone.now()
    for (status, error), pks in outcomes.items():
        OutboxMessage.objects.filter(pk__in=pks).update(
            status=status,
            error=error,
            sent_at=finished if status == OutboxMessage.Status.SENT else None,
        )
    return sent


def _insert_new(messages: list[OutboxMessage]) -> set[str]:
    """Insert ``messages`` in one statement, skipping any whose ``dedupe_key`` the outbox holds
    already, and return the keys inserted (the inserted messages get their ids).

    ``INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key`` (PostgreSQL, and
    SQLite ≥ 3.35): the only way to learn in one query which rows *this* call inserted — the
    ORM's ``bulk_create(ignore_conflicts=True)`` returns no ids, and a row that another run
    inserted must not be sent twice."""
    if not messages:
        return set()
    meta = OutboxMessage._meta
    connection = connections[router.db_for_write(OutboxMessage)]
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    params: list[Any] = []
    for message in messages:
        params += [f.get_db_prep_save(f.pre_save(message, True), connection) for f in fields]
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    key, pk = quote(meta.get_field("dedupe_key").column), quote(meta.pk.column)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * len(messages))} "
        f"ON CONFLICT ({key}) DO NOTHING RETURNING {pk}, {key}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = {dedupe_key: id_ for id_, dedupe_key in cursor.fetchall()}
    for message in messages:
        if message.dedupe_key in inserted:
            message.pk = inserted[message.dedupe_key]
            message._state.adding = False
    return set(inserted)


# --- Digests ---------------------------------------------------------------------------------


def send_digests(now: dt.datetime | None = None) -> list[OutboxMessage]:
    """Send every digest whose period has begun where its person is, once (a key per person and
    period); returns the digests sent now (:mod:`tandem.notifications.digests`). A held
    reminder of a kind its person turned off since is cancelled (deleted, never sent)."""
    now = now or timezone.now()
    held = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD)
        .select_related("user")
        .order_by("user_id", "created_at", "pk")
    )
    kinds = {m.kind for m in held}
    periods = digests.choices(kinds)
    # What was turned off since (or whose account is gone) is not sent: cancelled.
    muted = set(ReminderOptOut.objects.filter(kind__in=kinds).values_list("user_id", "kind"))
    cancelled = [m.pk for m in held if m.user_id is None or (m.user_id, m.kind) in muted]
    if cancelled:
        OutboxMessage.objects.filter(pk__in=cancelled).delete()
    held = [m for m in held if m.pk not in set(cancelled)]
    sent: list[OutboxMessage] = []
    for user_id, messages in groupby(held, key=lambda m: m.user_id):
        messages = list(messages)
        user = messages[0].user
        by_period: dict[str, list[OutboxMessage]] = {}
        for message in messages:
            # A kind switched back to "at once" meanwhile goes out with the next daily digest.
            period = periods.get((user_id, message.kind), DigestChoice.Period.DAILY)
            by_period.setdefault(period, []).append(message)
        for period, items in by_period.items():
            day, start = digests.period_start(now, person_zone(user), period)
            items = [m for m in items if m.created_at < start]
            if not items:
                continue
            with transaction.atomic():
                digest = queue_mail(
                    kind=f"digest-{period}",
                    to=user.email,
                    subject=digests.subject(period, len(items)),
                    body=digests.body(items),
                    user=user,
                    dedupe_key=f"digest-{period}:{day.isoformat()}:{user_id}",
                    send=False,
                )
                if digest is None:
                    continue
                OutboxMessage.objects.filter(pk__in=[m.pk for m in items]).update(
                    status=OutboxMessage.Status.SENT, sent_at=now
                )
            sent.append(deliver(digest))
    return sent
