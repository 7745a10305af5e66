"""Meetings, check-ins and reminders: the domain operations views, commands and tasks call."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from tandem.cohorts.models import Application, Cohort
from tandem.cohorts.services import email_applicant
from tandem.core.models import OutboxMessage
from tandem.core.services import log_activity, queue_mail, render_mail
from tandem.partnerships.models import Partnership

from .models import CheckIn, Meeting, ReminderOptOut

# --- Who takes part ---------------------------------------------------------------------------


def participant_cohort_ids(user) -> set[int]:
    """Cohorts where ``user`` is an accepted participant."""
    return set(
        Application.objects.filter(applicant=user, status=Application.Status.ACCEPTED).values_list(
            "cohort_id", flat=True
        )
    )


def cohort_participants(cohort: Cohort) -> QuerySet[Application]:
    return Application.objects.filter(
        cohort=cohort, status=Application.Status.ACCEPTED
    ).select_related("applicant", "organization")


def meetings_for(user) -> QuerySet[Meeting]:
    """Meetings a person may see: coordinators all, participants their cohorts'."""
    qs = Meeting.objects.select_related("cohort")
    if getattr(user, "is_coordinator", False):
        return qs
    return qs.filter(cohort_id__in=participant_cohort_ids(user))


def checkins_for(user) -> QuerySet[CheckIn]:
    """Check-ins of the person's published pairs."""
    return CheckIn.objects.filter(
        Q(partnership__experienced__applicant=user) | Q(partnership__learning__applicant=user),
        partnership__status=Partnership.Status.PUBLISHED,
    ).select_related("partnership__experienced", "partnership__learning", "partnership__cohort")


def can_see_meeting(user, meeting: Meeting) -> bool:
    return user.is_authenticated and meetings_for(user).filter(pk=meeting.pk).exists()


def upcoming(qs: QuerySet[Meeting], now: dt.datetime) -> QuerySet[Meeting]:
    return qs.filter(starts_at__gte=now - dt.timedelta(hours=3))


# --- Check-in rounds ------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def rounds(cohort: Cohort) -> list[tuple[int, dt.date, dt.date]]:
    """(round, window start, due date) every ``checkin_cadence_months`` of the program."""
    out, k = [], 1
    while True:
        start = add_months(cohort.program_start, (k - 1) * cohort.checkin_cadence_months)
        if start > cohort.program_end:
            return out
        end = add_months(cohort.program_start, k * cohort.checkin_cadence_months)
        out.append((k, start, min(end - dt.timedelta(days=1), cohort.program_end)))
        k += 1


def ensure_checkins(pair: Partnership) -> list[CheckIn]:
    """Create the pair's missing check-in rounds (idempotent); rounds already over when the
    pair was published are skipped."""
    published = (pair.published_at or timezone.now()).date()
    created = []
    for number, start, due in rounds(pair.cohort):
        if due < published:
            continue
        checkin, new = CheckIn.objects.get_or_create(
            partnership=pair, round=number, defaults={"window_start": start, "due_date": due}
        )
        if new:
            created.append(checkin)
    return created


def sync_checkins(cohort: Cohort) -> int:
    pairs = Partnership.objects.filter(
        cohort=cohort, status=Partnership.Status.PUBLISHED
    ).select_related("cohort")
    return sum(len(ensure_checkins(pair)) for pair in pairs)


def is_partner(user, checkin: CheckIn) -> bool:
    pair = checkin.partnership
    return user.is_authenticated and user.pk in (
        pair.experienced.applicant_id,
        pair.learning.applicant_id,
    )


class CheckInError(Exception):
    pass


def suggested_times(checkin: CheckIn, today: dt.date, limit: int = 8) -> list[dt.datetime]:
    """Starts of the pair's shared weekly windows inside the round, from ``today`` on."""
    from tandem.partnerships.services import shared_windows

    pair = checkin.partnership
    day = max(today, checkin.window_start)
    found: list[dt.datetime] = []
    while day <= checkin.due_date and len(found) < limit:
        for start, end in shared_windows(pair.experienced, pair.learning, day):
            if (
                start.date() >= max(today, checkin.window_start)
                and start.date() <= checkin.due_date
                and end - start >= dt.timedelta(minutes=30)
                and start not in found
            ):
                found.append(start)
        day += dt.timedelta(days=7)
    return sorted(found)[:limit]


@transaction.atomic
def propose(checkin: CheckIn, user, start: dt.datetime, duration_minutes: int = 60) -> CheckIn:
    if checkin.logged_at:
        raise CheckInError("This check-in is already logged.")
    if checkin.proposed_at is not None:
        checkin.sequence += 1  # a new time: calendars replace the earlier one
    checkin.proposed_at, checkin.proposed_by = start, user
    checkin.duration_minutes, checkin.confirmed = duration_minutes, False
    checkin.save()
    partner = checkin.partnership.partner_of(_application_of(user, checkin))
    email_applicant(
        partner,
        kind="checkin-proposed",
        template="checkin_proposed",
        context={
            "checkin": checkin,
            "partner": partner,
            "proposer": user,
            "url": settings.TANDEM_BASE_URL
            + reverse("meetings:checkin", args=[checkin.partnership.cohort.slug, checkin.pk]),
        },
    )
    return checkin


def _application_of(user, checkin: CheckIn) -> Application:
    pair = checkin.partnership
    return pair.experienced if pair.experienced.applicant_id == user.pk else pair.learning


def confirm(checkin: CheckIn, user) -> CheckIn:
    if not checkin.proposed_at:
        raise CheckInError("Nothing has been proposed yet.")
    if checkin.proposed_by_id == user.pk:
        raise CheckInError("Your partner confirms the time you proposed.")
    checkin.confirmed = True
    checkin.save(update_fields=["confirmed"])
    return checkin


def log(
    checkin: CheckIn,
    user,
    *,
    held_on: dt.date,
    progress: str,
    challenges: str,
    next_steps: str,
    rating: int,
) -> CheckIn:
    checkin.held_on, checkin.progress, checkin.challenges = held_on, progress, challenges
    checkin.next_steps, checkin.rating = next_steps, rating
    checkin.logged_by, checkin.logged_at = user, timezone.now()
    checkin.save()
    return checkin


def overview(cohort: Cohort, today: dt.date) -> list[dict]:
    """Per published pair: its rounds with status, for coordinators."""
    pairs = (
        Partnership.objects.filter(cohort=cohort, status=Partnership.Status.PUBLISHED)
        .select_related("experienced", "learning")
        .prefetch_related("checkins")
    )
    rows = []
    for pair in pairs:
        checkins = list(pair.checkins.all())
        statuses = [c.status(today) for c in checkins]
        rows.append(
            {
                "pair": pair,
                "checkins": [(c, c.status(today)) for c in checkins],
                "done": statuses.count("done"),
                "overdue": statuses.count("overdue"),
                "due": statuses.count("due") + statuses.count("scheduled"),
            }
        )
    return rows


# --- Reminders --------------------------------------------------------------------------------


@dataclass
class Reminder:
    kind: str
    user: Any
    to: str
    subject: str
    body: str
    dedupe_key: str
    cohort: Cohort | None = None


def _reminder(kind: str, user, key: str, template: str, context: dict, cohort=None) -> Reminder:
    subject, body = render_mail(template, {"user": user, **context})
    return Reminder(kind, user, user.email, subject, body, f"{kind}:{key}:{user.pk}", cohort)


def plan_reminders(now: dt.datetime) -> list[Reminder]:
    """Every reminder due at ``now``; sending them is idempotent by ``dedupe_key``.

    - check-in due in 7 days: an unlogged round whose due date is within 7 days;
    - check-in overdue: an unlogged round past its due date;
    - meeting tomorrow: a meeting or confirmed check-in starting in the next 24 hours.
    Times in the e-mails are in each recipient's own zone."""
    today = now.date()
    planned: list[Reminder] = []
    muted = set(ReminderOptOut.objects.values_list("user_id", "kind"))

    def remind(people, kind: str, key: str, template: str, context, cohort) -> None:
        """Plan ``kind`` for each person who has not turned it off; ``context`` may be a
        function of the person."""
        for person in people:
            if (person.pk, kind) not in muted:
                extra = context(person) if callable(context) else context
                planned.append(_reminder(kind, person, key, template, extra, cohort))

    checkins = CheckIn.objects.filter(
        logged_at__isnull=True,
        partnership__status=Partnership.Status.PUBLISHED,
        partnership__cohort__program_end__gte=today,  # finished cohorts are not chased
    ).select_related(
        "partnership__cohort",
        "partnership__experienced__applicant",
        "partnership__learning__applicant",
    )
    for checkin in checkins:
        pair = checkin.partnership
        people = [pair.experienced.applicant, pair.learning.applicant]
        if checkin.due_date < today:
            kind = ReminderOptOut.Kind.CHECKIN_OVERDUE
        elif checkin.due_date <= today + dt.timedelta(days=7):
            kind = ReminderOptOut.Kind.CHECKIN_DUE
        else:
            kind = None
        if kind:
            remind(
                people,
                kind,
                f"checkin{checkin.pk}",
                kind.replace("-", "_"),
                {"checkin": checkin, "pair": pair},
                pair.cohort,
            )
        starts = checkin.proposed_at
        if checkin.confirmed and starts and now <= starts <= now + dt.timedelta(hours=24):
            remind(
                people,
                ReminderOptOut.Kind.MEETING_TOMORROW,
                f"checkin{checkin.pk}-{starts:%Y%m%d%H%M}",
                "meeting_tomorrow",
                lambda person, c=checkin, p=pair: {
                    "title": f"Check-in {c.round} with "
                    f"{p.partner_of(_application_of(person, c)).full_name}",
                    "starts_at": c.proposed_at,
                    "url": "",
                },
                pair.cohort,
            )
    meetings = Meeting.objects.filter(
        starts_at__gte=now, starts_at__lte=now + dt.timedelta(hours=24)
    ).select_related("cohort")
    for meeting in meetings:
        remind(
            [a.applicant for a in cohort_participants(meeting.cohort)],
            ReminderOptOut.Kind.MEETING_TOMORROW,
            f"meeting{meeting.pk}-{meeting.starts_at:%Y%m%d%H%M}",
            "meeting_tomorrow",
            {"title": meeting.title, "starts_at": meeting.starts_at, "url": meeting.video_url},
            meeting.cohort,
        )
    return planned


def send_reminders(now: dt.datetime | None = None, *, dry_run: bool = False) -> list[Reminder]:
    """Send what is due and not sent before; returns what was (or, dry, would be) sent."""
    now = now or timezone.now()
    planned = [
        r
        for r in plan_reminders(now)
        if not OutboxMessage.objects.filter(dedupe_key=r.dedupe_key).exists()
    ]
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


# --- Meetings ---------------------------------------------------------------------------------


def save_meeting(meeting: Meeting, *, actor) -> Meeting:
    created = meeting.pk is None
    if not created:
        meeting.sequence += 1
    meeting.created_by = meeting.created_by or actor
    meeting.save()
    log_activity(
        actor,
        "meeting.created" if created else "meeting.updated",
        f"{'Scheduled' if created else 'Updated'} {meeting.title}",
        cohort=meeting.cohort,
        meeting=meeting.pk,
    )
    return meeting


def scheduling_input(
    cohort: Cohort,
    *,
    start: dt.date,
    end: dt.date,
    duration: int,
    sessions: int = 1,
    meetings: int | None = None,
) -> dict:
    """The scheduling engine's document for the cohort's accepted participants."""
    people = []
    for app in cohort_participants(cohort):
        person = {
            "id": f"a{app.pk}",
            "name": app.full_name,
            "timezone": app.timezone or "UTC",
            "availability": app.availability or None,
        }
        if app.organization and app.organization.region:
            person["region"] = app.organization.region
        people.append(person)
    settings_ = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "duration_minutes": duration,
        "sessions": sessions,
        "top": 5,
    }
    if meetings:
        settings_["meetings"] = meetings
    return {"participants": people, "settings": settings_}
