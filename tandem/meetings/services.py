"""Meetings, check-ins and their reminders: the domain operations views, commands and tasks
call."""

from __future__ import annotations

import calendar
import datetime as dt
import operator
from collections.abc import Iterable
from functools import reduce
from typing import Any

import rules
from django.conf import settings
from django.db import models, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.applications.models import Application
from tandem.applications.services import email_applicant
from tandem.cohorts.models import Cohort
from tandem.core.services import log_activity
from tandem.core.timezones import local_date, person_zone
from tandem.notifications.reminders import Reminder, sent_before
from tandem.notifications.services import reminder
from tandem.partnerships.models import Partnership
from tandem.partnerships.services import shared_windows
from tandem.resources import services as library
from tandem.resources.models import Kind as ResourceKind
from tandem.resources.models import Visibility

from .models import CheckIn, CheckInLog, Meeting

# --- Who takes part ---------------------------------------------------------------------------


def cohort_participants(cohort: Cohort) -> QuerySet[Application]:
    return Application.objects.filter(
        cohort=cohort, status=Application.Status.ACCEPTED
    ).select_related("applicant", "organization")


def meetings_for(user) -> QuerySet[Meeting]:
    """Meetings a person may see: coordinators all, participants their cohorts'."""
    qs = Meeting.objects.select_related("cohort")
    if getattr(user, "is_coordinator", False):
        return qs
    accepted = Application.objects.filter(applicant=user, status=Application.Status.ACCEPTED)
    return qs.filter(cohort_id__in=accepted.values("cohort_id"))  # one query, not two


def checkins_for(user) -> QuerySet[CheckIn]:
    """Check-ins of the person's published pairs. The pairs are the union of two indexed
    lookups (the person as experienced lead, as learning lead), not an OR across a join, which
    would read every check-in of every pair."""
    published = Partnership.objects.filter(status=Partnership.Status.PUBLISHED)
    pairs = (
        published.filter(experienced__applicant=user)
        .values("pk")
        .union(published.filter(learning__applicant=user).values("pk"))
    )
    return CheckIn.objects.filter(partnership__in=pairs).select_related(
        "partnership__experienced", "partnership__learning", "partnership__cohort"
    )


def can_see_meeting(user, meeting: Meeting) -> bool:
    return user.is_authenticated and meetings_for(user).filter(pk=meeting.pk).exists()


def upcoming(qs: QuerySet[Meeting], now: dt.datetime) -> QuerySet[Meeting]:
    return qs.filter(starts_at__gte=now - dt.timedelta(hours=3))


# --- Check-in rounds ------------------------------------------------------------------------

ONE_DAY = dt.timedelta(days=1)
SUGGESTION_LEAD = dt.timedelta(hours=1)  # a suggested time leaves the partner an hour to confirm


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def rounds(cohort: Cohort) -> list[tuple[int, dt.date, dt.date]]:
    """(round, window start, due date) every ``checkin_cadence_months`` of the program.

    Rounds tile the program exactly, from ``program_start`` to ``program_end``. A tail shorter
    than half a cadence (a programme 2025-01-31 → 2025-04-30 would otherwise end with a round of
    one day) joins the round before it."""
    cadence = cohort.checkin_cadence_months
    out: list[tuple[int, dt.date, dt.date]] = []
    k = 1
    while True:
        start = add_months(cohort.program_start, (k - 1) * cadence)
        if start > cohort.program_end:
            return out
        end = min(add_months(cohort.program_start, k * cadence), cohort.program_end + ONE_DAY)
        full = add_months(start, cadence) - start
        if out and (end - start) * 2 < full:
            number, first, _ = out[-1]
            out[-1] = (number, first, cohort.program_end)
            return out
        out.append((k, start, end - ONE_DAY))
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
    """Participant actions on a check-in are its published pair's partners' alone (the rule
    itself, not ``user.has_perm``: Django's superuser shortcut must not apply)."""
    return rules.has_perm("meetings.act_on_checkin", user, checkin)


class CheckInError(Exception):
    pass


def partner_zones(checkin: CheckIn) -> tuple[str, str]:
    """The two partners' own zones (profile zones)."""
    pair = checkin.partnership
    return person_zone(pair.experienced.applicant), person_zone(pair.learning.applicant)


def round_position(checkin: CheckIn, instant: dt.datetime, zones: Iterable[str]) -> str:
    """``"early"`` if ``instant`` is before the round opens in any of ``zones`` (a local date
    before ``window_start``), ``"late"`` if it is after the due date in any of them, else
    ``"in"``. A round's dates are each partner's own calendar dates."""
    days = [local_date(instant, zone) for zone in zones]
    if min(days) < checkin.window_start:
        return "early"
    if max(days) > checkin.due_date:
        return "late"
    return "in"


def _ceil_quarter(instant: dt.datetime) -> dt.datetime:
    instant = instant.astimezone(dt.UTC).replace(second=0, microsecond=0) + dt.timedelta(
        minutes=14, seconds=59
    )
    return instant.replace(minute=instant.minute // 15 * 15, second=0)


def suggested_times(
    checkin: CheckIn, now: dt.datetime, limit: int = 8, min_minutes: int = 30
) -> list[dt.datetime]:
    """Start instants the pair could meet at: in their shared weekly windows, at least
    :data:`SUGGESTION_LEAD` after ``now`` (an instant: a window already under way today is
    offered from the next quarter hour on), and inside the round for both partners."""
    pair = checkin.partnership
    zones = partner_zones(checkin)
    earliest = _ceil_quarter(now + SUGGESTION_LEAD)
    need = dt.timedelta(minutes=min_minutes)
    day = max(earliest.date(), checkin.window_start) - ONE_DAY
    found: set[dt.datetime] = set()
    while day <= checkin.due_date + ONE_DAY and len(found) < limit:
        for start, end in shared_windows(pair.experienced, pair.learning, day):
            start = max(start, earliest)
            if end - start >= need and round_position(checkin, start, zones) == "in":
                found.add(start)
        day += dt.timedelta(days=7)
    return sorted(found)[:limit]


@transaction.atomic
def propose(
    checkin: CheckIn,
    user,
    start: dt.datetime,
    duration_minutes: int = 60,
    *,
    now: dt.datetime | None = None,
) -> CheckIn:
    """Propose ``start`` to the partner. Refused in the past and before the round opens (for
    either partner); a time after the due date is accepted and shown as late."""
    now = now or timezone.now()
    if not is_partner(user, checkin):
        raise CheckInError(_("Only the two partners schedule their check-in."))
    if checkin.logged_at:
        raise CheckInError(_("This check-in is already logged."))
    if start < now:
        raise CheckInError(_("Propose a time in the future."))
    if round_position(checkin, start, partner_zones(checkin)) == "early":
        raise CheckInError(
            _(
                "Check-in %(round)s opens on %(day)s: propose a time from then on "
                "(in both your time zones)."
            )
            % {"round": checkin.round, "day": formats.date_format(checkin.window_start)}
        )
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
            "late": is_late(checkin),
            "url": settings.TANDEM_BASE_URL
            + reverse("meetings:checkin", args=[checkin.partnership.cohort.slug, checkin.pk]),
        },
    )
    return checkin


def is_late(checkin: CheckIn) -> bool:
    """Whether the proposed time lies after the round's due date for either partner."""
    return bool(checkin.proposed_at) and (
        round_position(checkin, checkin.proposed_at, partner_zones(checkin)) == "late"
    )


def planned_day(checkin: CheckIn, tzname: str) -> dt.date | None:
    """The local date (in ``tzname``) of the confirmed time, if any."""
    if not (checkin.confirmed and checkin.proposed_at):
        return None
    return local_date(checkin.proposed_at, tzname)


def _application_of(user, checkin: CheckIn) -> Application:
    pair = checkin.partnership
    return pair.experienced if pair.experienced.applicant_id == user.pk else pair.learning


def held_as_planned(checkin: CheckIn, entry: CheckInLog) -> bool | None:
    """Whether an account's date is the day of the confirmed time (in its author's zone, whose
    date ``held_on`` is); ``None`` when there was no confirmed time to compare with."""
    if not (checkin.confirmed and checkin.proposed_at):
        return None
    return entry.held_on == local_date(checkin.proposed_at, person_zone(entry.author))


#: How far from the confirmed time a logged time may be without saying so.
FAR_FROM_CONFIRMED = dt.timedelta(hours=3)


def held_at_planned_time(checkin: CheckIn, entry: CheckInLog) -> bool | None:
    """Whether an account's time is within ``FAR_FROM_CONFIRMED`` (3 hours) of the confirmed
    time; ``None`` without a confirmed time or a logged one."""
    if not (checkin.confirmed and checkin.proposed_at and entry.held_at):
        return None
    return abs(entry.held_at - checkin.proposed_at) <= FAR_FROM_CONFIRMED


def confirm(checkin: CheckIn, user) -> CheckIn:
    if not is_partner(user, checkin):
        raise CheckInError(_("Only the two partners schedule their check-in."))
    if not checkin.proposed_at:
        raise CheckInError(_("Nothing has been proposed yet."))
    if checkin.proposed_by_id == user.pk:
        raise CheckInError(_("Your partner confirms the time you proposed."))
    checkin.confirmed = True
    checkin.save(update_fields=["confirmed"])
    return checkin


@transaction.atomic
def log(
    checkin: CheckIn,
    user,
    *,
    held_on: dt.date,
    progress: str,
    challenges: str,
    next_steps: str,
    rating: int,
    held_at: dt.datetime | None = None,
) -> CheckInLog:
    """Record ``user``'s account of the check-in. Each partner keeps their own account; logging
    again adds a revision (the earlier one stays). The first log marks the check-in done."""
    if not is_partner(user, checkin):
        raise CheckInError(_("Only the two partners log their check-in."))
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    entry = CheckInLog.objects.create(
        checkin=checkin,
        author=user,
        held_on=held_on,
        held_at=held_at,
        progress=progress,
        challenges=challenges,
        next_steps=next_steps,
        rating=rating,
    )
    if checkin.logged_at is None:
        checkin.held_on, checkin.logged_by, checkin.logged_at = held_on, user, entry.created_at
        checkin.save(update_fields=["held_on", "logged_by", "logged_at"])
    return entry


def accounts(checkin: CheckIn) -> list[dict[str, Any]]:
    """Each author's current account (their latest log) with its earlier revisions."""
    by_author: dict[Any, list[CheckInLog]] = {}
    for entry in checkin.logs.select_related("author").order_by("created_at", "pk"):
        by_author.setdefault(entry.author_id, []).append(entry)
    return [
        {
            "current": entries[-1],
            "earlier": entries[-2::-1],
            "as_planned": held_as_planned(checkin, entries[-1]),
            "at_planned_time": held_at_planned_time(checkin, entries[-1]),
        }
        for entries in by_author.values()
    ]


#: What a check-in's status and badge need (``CheckIn.status()``), for lists that show many.
STATUS_COLUMNS = (
    "pk",
    "partnership_id",
    "round",
    "window_start",
    "due_date",
    "confirmed",
    "logged_at",
)


def overview_pairs(cohort: Cohort) -> QuerySet[Partnership]:
    """The cohort's published pairs as the check-ins overview lists them (a page at a time),
    with their check-ins (one more query per page)."""
    return (
        Partnership.objects.filter(cohort=cohort, status=Partnership.Status.PUBLISHED)
        .select_related("experienced", "learning")
        # Only what the overview shows: an application's answers (JSON, long texts) are not
        # read, nor a check-in's notes.
        .only("pk", "score", "experienced__full_name", "learning__full_name")
        .prefetch_related(
            Prefetch(
                "checkins",
                CheckIn.objects.only(*STATUS_COLUMNS).order_by("round", "pk"),
            )
        )
        .order_by("-score", "pk")
    )


def overview_totals(cohort: Cohort, today: dt.date) -> dict[str, int]:
    """The cohort's check-ins of published pairs counted by status on ``today`` (one query):
    ``done``, ``due`` (due or scheduled, as the overview's column) and ``overdue``."""
    open_ = Q(logged_at__isnull=True)
    return CheckIn.objects.filter(
        partnership__cohort=cohort, partnership__status=Partnership.Status.PUBLISHED
    ).aggregate(
        done=models.Count("pk", filter=Q(logged_at__isnull=False)),
        overdue=models.Count("pk", filter=open_ & Q(due_date__lt=today)),
        due=models.Count(
            "pk",
            filter=open_
            & Q(due_date__gte=today)
            & (Q(confirmed=True) | Q(window_start__lte=today)),
        ),
    )


def overview(
    cohort: Cohort, today: dt.date, pairs: Iterable[Partnership] | None = None
) -> list[dict]:
    """Per published pair: its rounds with status, for coordinators. ``pairs`` is a page of
    :func:`overview_pairs` (all of them by default)."""
    pairs = overview_pairs(cohort) if pairs is None else pairs
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


class ReminderKind(models.TextChoices):
    """The reminders this app sends (registered with tandem.notifications in ``apps.py``); the
    labels follow "E-mail me when:" on the profile page."""

    CHECKIN_DUE = "checkin-due", gettext_lazy("check-in due in 7 days")
    CHECKIN_OVERDUE = "checkin-overdue", gettext_lazy("check-in overdue")
    MEETING_TOMORROW = "meeting-tomorrow", gettext_lazy("meeting tomorrow")


#: What a check-in reminder reads of each partner (``partnership__<side>__…``).
_PERSON_COLUMNS = (
    "full_name",
    "applicant_id",
    "applicant__name",
    "applicant__email",
    "applicant__timezone",
)
SIDES = ("experienced", "learning")


def _loaded(model: type[models.Model], **values: Any) -> Any:
    """An instance of ``model`` as ``only(*values)`` would load it (the other fields deferred)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(model.objects.db, names, [values[name] for name in names])


def _day_word(starts_at: dt.datetime, now: dt.datetime, tzname: str) -> str:
    """ "today" or "tomorrow" as the recipient's own calendar says (``starts_at`` is within the
    next 24 hours, so it is one of the two)."""
    same = local_date(starts_at, tzname) == local_date(now, tzname)
    return "today" if same else "tomorrow"


def _round_key(cohort_id: int, round_: int) -> str:
    """What a check-in due/overdue reminder is about: a round of a cohort, not one pair's
    check-in, so a person with two partners has one mail a round naming both."""
    return f"cohort{cohort_id}-round{round_}"


def _reminded(kind: str) -> Q:
    """Check-ins whose round's ``kind`` reminder is in the outbox for both partners."""
    key = ("cohort", "partnership__cohort_id", "-round", "round")
    return Q(
        *(
            sent_before(kind, key, f"partnership__{side}__applicant_id")
            for side in ("experienced", "learning")
        )
    )


def _names(names: Iterable[str]) -> str:
    """``Ana Pérez``, ``Ana Pérez and Lin Wu``, ``Ana Pérez, Ed Elder and Lin Wu``."""
    *first, last = sorted(names)
    if not first:
        return last
    return _("%(names)s and %(last)s") % {"names": ", ".join(first), "last": last}


def plan_reminders(now: dt.datetime) -> list[Reminder]:
    """Every reminder of check-ins and meetings due at ``now``: this app's reminder provider.
    tandem.notifications sends them, less what people turned off, once each (``dedupe_key``).

    Each person's own calendar date decides (their profile zone), not the UTC date:
    - check-in due in 7 days: an unlogged round whose due date is at most 7 of *their* days away;
    - check-in overdue: an unlogged round whose due date is over where *they* are;
    - meeting today/tomorrow: a meeting or confirmed check-in starting in the next 24 hours,
      called "today" or "tomorrow" by the recipient's own date.
    Times in the e-mails are in each recipient's own zone."""
    planned: list[Reminder] = []

    def remind(people, kind: str, key: str, template: str, context, cohort) -> None:
        """Plan ``kind`` for each person; ``context`` may be a function of the person."""
        for person in people:
            extra = context(person) if callable(context) else context
            planned.append(reminder(kind, person, key, template, extra, cohort))

    # The earliest date on Earth now is at UTC−12: cohorts that ended before it are not chased.
    earliest_today = (now - dt.timedelta(hours=12)).date()
    # ... and the latest is at UTC+14: a round that opens after it, or is due over a week
    # after it, is nobody's reminder yet, unless its confirmed time is within the day.
    latest_today = (now + dt.timedelta(hours=14)).date()
    no_meeting_soon = (
        Q(confirmed=False)
        | Q(proposed_at__isnull=True)
        | Q(proposed_at__lt=now)
        | Q(proposed_at__gt=now + dt.timedelta(hours=24))
    )
    checkins = (
        CheckIn.objects.filter(
            logged_at__isnull=True,
            partnership__status=Partnership.Status.PUBLISHED,
            partnership__cohort__program_end__gte=earliest_today,
        )
        .filter(
            Q(window_start__lte=latest_today, due_date__lte=latest_today + 7 * ONE_DAY)
            | Q(
                confirmed=True,
                proposed_at__gte=now,
                proposed_at__lte=now + dt.timedelta(hours=24),
            )
        )
        # Left out in SQL: what is reminded already and will need nothing more (the job would
        # drop it by its outbox key), so the plan follows what is new, not every open round.
        .exclude(_reminded(ReminderKind.CHECKIN_OVERDUE) & no_meeting_soon)
        # (due reminded to both, and overdue for nobody yet)
        .exclude(
            _reminded(ReminderKind.CHECKIN_DUE) & Q(due_date__gte=latest_today) & no_meeting_soon
        )
        # Rows, not model instances: thousands of check-ins are planned at once, and only the
        # mails someone reads or the job sends are rendered (with a check-in built for them).
        .values_list(
            "pk",
            "round",
            "window_start",
            "due_date",
            "proposed_at",
            "confirmed",
            "partnership__cohort_id",
            "partnership__cohort__program_end",
            *(f"partnership__{side}__{name}" for side in SIDES for name in _PERSON_COLUMNS),
        )
    )
    rows = list(checkins)
    cohorts = Cohort.objects.in_bulk({row[6] for row in rows})
    # (person, kind, cohort, round) → (person, kind, cohort, round, due date, partners' names):
    # one due/overdue mail a person and round, naming every partner it is about.
    rounds_due: dict[tuple, tuple] = {}
    people_by_pk: dict[int, User] = {}

    def person(user_pk: int, name: str, email: str, zone: str) -> User:
        """One user instance per person (as ``only("name", "email", "timezone")`` loads it)."""
        if user_pk not in people_by_pk:
            people_by_pk[user_pk] = _loaded(User, id=user_pk, name=name, email=email, timezone=zone)
        return people_by_pk[user_pk]

    for pk, round_, window_start, due_date, starts, confirmed, cohort_id, end, *sides in rows:
        cohort = cohorts[cohort_id]
        width = len(_PERSON_COLUMNS)
        experienced, learning = sides[:width], sides[width:]
        # (person, their partner's name) for both partners
        partners = [
            (person(*experienced[1:]), learning[0]),
            (person(*learning[1:]), experienced[0]),
        ]

        for user, partner in partners:
            today = local_date(now, person_zone(user))
            if today > end:
                continue  # the programme is over where this person is
            if due_date < today:
                kind = ReminderKind.CHECKIN_OVERDUE
            elif window_start <= today and due_date <= today + 7 * ONE_DAY:
                kind = ReminderKind.CHECKIN_DUE
            else:
                continue
            group = rounds_due.setdefault(
                (user.pk, kind, cohort_id, round_), (user, kind, cohort, round_, due_date, [])
            )
            group[5].append(partner)
        if confirmed and starts and now <= starts <= now + dt.timedelta(hours=24):
            for user, partner in partners:
                context = {
                    "title": _("Check-in %(round)s with %(name)s")
                    % {"round": round_, "name": partner},
                    "starts_at": starts,
                    "day": _day_word(starts, now, person_zone(user)),
                    "url": "",
                }
                planned.append(
                    reminder(
                        ReminderKind.MEETING_TOMORROW,
                        user,
                        f"checkin{pk}-{starts:%Y%m%d%H%M}",
                        "meeting_tomorrow",
                        context,
                        cohort,
                    )
                )
    for user, kind, cohort, round_, due_date, partner_names in rounds_due.values():

        def checkin_context(round_=round_, due_date=due_date, partner_names=partner_names):
            return {
                "checkin": _loaded(CheckIn, round=round_, due_date=due_date),
                "partners": _names(partner_names),
            }

        planned.append(
            reminder(
                kind,
                user,
                _round_key(cohort.pk, round_),
                kind.replace("-", "_"),
                checkin_context,
                cohort,
            )
        )
    meetings = list(
        Meeting.objects.filter(
            starts_at__gte=now, starts_at__lte=now + dt.timedelta(hours=24)
        ).select_related("cohort")
    )
    keys = {m.pk: f"meeting{m.pk}-{m.starts_at:%Y%m%d%H%M}" for m in meetings}
    # Every participant of these meetings' cohorts not reminded yet, in one query (not one per
    # meeting): ``sent<pk>`` tells whether the person has meeting <pk>'s reminder already.
    sent = {
        f"sent{m.pk}": sent_before(ReminderKind.MEETING_TOMORROW, keys[m.pk], "applicant_id")
        for m in meetings
    }
    # cohort id → (person, {"sent<pk>": bool}): rows, and one user instance per person shared
    # with the check-ins above (a meeting of a cohort of 2,000 is 2,000 reminders at once).
    participants: dict[int, list[tuple[User, dict[str, bool]]]] = {}
    if meetings:
        rows = (
            Application.objects.filter(status=Application.Status.ACCEPTED)
            .annotate(**sent)
            .filter(
                reduce(
                    operator.or_,
                    (Q(cohort_id=m.cohort_id, **{f"sent{m.pk}": False}) for m in meetings),
                )
            )
            .values_list(
                "cohort_id",
                "applicant_id",
                "applicant__name",
                "applicant__email",
                "applicant__timezone",
                *sent,
            )
        )
        for cohort_id, user_pk, name, email, zone, *flags in rows:
            participants.setdefault(cohort_id, []).append(
                (person(user_pk, name, email, zone), dict(zip(sent, flags, strict=True)))
            )
    for meeting in meetings:
        remind(
            [
                user
                for user, flags in participants.get(meeting.cohort_id, [])
                if not flags[f"sent{meeting.pk}"]
            ],
            ReminderKind.MEETING_TOMORROW,
            keys[meeting.pk],
            "meeting_tomorrow",
            lambda person, m=meeting: {
                "title": m.title,
                "starts_at": m.starts_at,
                "day": _day_word(m.starts_at, now, person_zone(person)),
                "url": m.video_url,
            },
            meeting.cohort,
        )
    return planned


# --- Meetings ---------------------------------------------------------------------------------


@transaction.atomic
def save_meeting(meeting: Meeting, *, actor, guidelines_file=None) -> Meeting:
    """Save ``meeting``; a ``guidelines_file`` is shared in the resource library for the
    meeting's cohort (:func:`share_guidelines`) and becomes its guidelines. Raises
    ``ValidationError`` if the library refuses the file (nothing is saved then)."""
    created = meeting.pk is None
    if not created:
        meeting.sequence += 1
    meeting.created_by = meeting.created_by or actor
    meeting.save()
    if guidelines_file:
        meeting.guidelines = share_guidelines(meeting, guidelines_file, actor=actor)
        meeting.save(update_fields=["guidelines"])
    log_activity(
        actor,
        "meeting.created" if created else "meeting.updated",
        f"{'Scheduled' if created else 'Updated'} {meeting.title}",
        cohort=meeting.cohort,
        meeting=meeting.pk,
    )
    return meeting


def share_guidelines(meeting: Meeting, upload, *, actor):
    """File a meeting's guidelines in the resource library: a guide for the meeting's cohort,
    published (a coordinator shares it), downloaded under the library's permission rules."""
    upload.seek(0)
    return library.share(
        actor,
        title=(_("Guidelines – %(title)s") % {"title": meeting.title})[:200],
        file=upload,
        kind=ResourceKind.GUIDE,
        visibility=Visibility.COHORT,
        cohort=meeting.cohort,
        language=(get_language() or "en").split("-")[0],
        description=_("The guidelines of the meeting “%(title)s”.") % {"title": meeting.title},
    )


def scheduling_input(
    cohort: Cohort,
    *,
    start: dt.date,
    end: dt.date,
    duration: int,
    sessions: int = 1,
    meetings: int | None = None,
    people_ids: Iterable[int] | None = None,
) -> dict:
    """The scheduling engine's document for the cohort's accepted participants, or for the
    accepted participants among ``people_ids`` (user ids, of any cohort: e.g. the people
    registered for a workshop open to several cohorts; each once, by their latest
    application)."""
    if people_ids is None:
        applications = cohort_participants(cohort)
    else:
        latest = {}
        for app in (
            Application.objects.filter(
                applicant_id__in=list(people_ids), status=Application.Status.ACCEPTED
            )
            .select_related("organization")
            .order_by("applicant_id", "submitted_at", "pk")
        ):
            latest[app.applicant_id] = app
        applications = list(latest.values())
    people = []
    for app in applications:
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
