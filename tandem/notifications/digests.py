"""Daily and weekly digests: reminders a person chose to receive bundled.

The reminder job holds such a reminder in the outbox (status *held*, its ``dedupe_key`` taken,
so it is planned once) instead of sending it; :func:`send_digests`, run by the same job, sends
each person one mail per period with what was held before the period began — daily at 08:00
and weekly on Monday 08:00 by the person's own clock — idempotent by a key per person and
period."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext, ngettext

from tandem.core.timezones import zone

from .models import DigestChoice, OutboxMessage

SEND_AT = dt.time(8, 0)


def period_start(now: dt.datetime, tzname: str, period: str) -> tuple[dt.date, dt.datetime]:
    """The latest start of a ``period`` at or before ``now`` where the person is: its local
    date and its instant (08:00 local of that day; for a week, of its Monday)."""
    tz = zone(tzname)
    local = now.astimezone(tz)
    day = local.date() if local.time() >= SEND_AT else local.date() - dt.timedelta(days=1)
    if period == DigestChoice.Period.WEEKLY:
        day -= dt.timedelta(days=day.weekday())
    return day, dt.datetime.combine(day, SEND_AT, tzinfo=tz)


def choices(kinds) -> dict[tuple[int, str], str]:
    """(user id, kind) → period, of the people who chose a digest for any of ``kinds``."""
    rows = DigestChoice.objects.filter(kind__in=list(kinds))
    return {
        (user, kind): period for user, kind, period in rows.values_list("user_id", "kind", "period")
    }


def subject(period: str, count: int) -> str:
    if period == DigestChoice.Period.WEEKLY:
        return ngettext(
            "Your weekly digest: %(count)d reminder",
            "Your weekly digest: %(count)d reminders",
            count,
        ) % {"count": count}
    return ngettext(
        "Your daily digest: %(count)d reminder", "Your daily digest: %(count)d reminders", count
    ) % {"count": count}


def body(items: list[OutboxMessage]) -> str:
    parts = [gettext("The reminders you chose to receive in this digest:")]
    for message in items:
        parts.append(
            f"{message.subject}\n{'=' * min(len(message.subject), 70)}\n\n{message.body.strip()}"
        )
    return "\n\n\n".join(parts) + "\n"
