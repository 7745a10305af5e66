"""Training workshops: planning, registration, the waitlist and its offers, reminders.

Seat accounting of a session is serialised by locking the session's row
(``SELECT … FOR UPDATE``) in every write that takes, frees or offers a seat: two cancellations
at the same instant free two seats, offered to the first two in the queue, never one seat twice
and never skipping anyone.

A session of capacity *C* with a GAP share *g* % holds ``ceil(C·g/100)`` seats for registrants
from GAP-region organisations until it starts: somebody not from a GAP region takes a seat only
while fewer than ``C − held`` non-GAP people hold one; past that they queue, and a seat that frees
goes to the first in the queue who may take it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import rules
from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.applications.models import Application
from tandem.cohorts.models import Cohort
from tandem.core.services import log_activity
from tandem.core.timezones import local_date, person_zone
from tandem.notifications.reminders import Reminder
from tandem.notifications.services import queue_mail, reminder, render_mail

from .models import Registration, Session, Workshop
from .rules import open_cohort_ids

Status = Registration.Status
ACTIVE = (Status.REGISTERED, Status.WAITLISTED, Status.OFFERED)
HOLDS_SEAT = (Status.REGISTERED, Status.OFFERED)


class WorkshopError(Exception):
    """A refused registration, cancellation or offer, with the reason to show."""


# --- Who sees what ----------------------------------------------------------------------------


def visible_in(cohort: Cohort) -> QuerySet[Workshop]:
    """Workshops listed under ``cohort``: its own and those also open to it."""
    guest = Workshop.also_open_to.through.objects.filter(
        workshop_id=OuterRef("pk"), cohort_id=cohort.pk
    )
    return Workshop.objects.filter(Q(cohort=cohort) | Exists(guest))


def person_is_gap(person, workshop: Workshop) -> bool:
    """Whether ``person`` registers as a GAP participant: their accepted application (in a
    cohort the workshop is open to) is from a GAP-eligible organisation (the application's
    snapshot of it, ``is_gap``)."""
    return Application.objects.filter(
        applicant=person,
        status=Application.Status.ACCEPTED,
        cohort_id__in=open_cohort_ids(workshop),
        is_gap=True,
    ).exists()


def held_seats(workshop: Workshop) -> int:
    """Seats of each session held for GAP registrants."""
    return math.ceil(workshop.capacity * workshop.gap_share / 100)


def with_counts(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions with ``taken`` (seats held: registered or offered), ``gap_taken`` and
    ``waiting`` (the queue's length), in the same query."""
    return sessions.annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=HOLDS_SEAT)),
        gap_taken=Count(
            "registrations",
            filter=Q(registrations__status__in=HOLDS_SEAT, registrations__gap=True),
        ),
        waiting=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
    )


@dataclass(frozen=True)
class Seats:
    capacity: int
    held: int
    taken: int
    gap_taken: int

    def free_for(self, gap: bool) -> bool:
        """Whether a seat is free for a GAP (``gap``) or other registrant."""
        if self.taken >= self.capacity:
            return False
        return gap or (self.taken - self.gap_taken) < self.capacity - self.held

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)


def seats_of(session: Session) -> Seats:
    """A session's seats (from :func:`with_counts`' annotations when present)."""
    if not hasattr(session, "taken"):
        counts = session.registrations.aggregate(
            taken=Count("pk", filter=Q(status__in=HOLDS_SEAT)),
            gap_taken=Count("pk", filter=Q(status__in=HOLDS_SEAT, gap=True)),
        )
        taken, gap_taken = counts["taken"], counts["gap_taken"]
    else:
        taken, gap_taken = session.taken, session.gap_taken
    workshop = session.workshop
    return Seats(workshop.capacity, held_seats(workshop), taken, gap_taken)


# --- The waitlist -------------------------------------------------------------------------------


def _lock(session: Session) -> Session:
    """The session's row, locked until the transaction ends (serialises its seats)."""
    return Session.objects.select_for_update().select_related("workshop__cohort").get(pk=session.pk)


def _url(registration: Registration) -> str:
    workshop = registration.session.workshop
    return settings.TANDEM_BASE_URL + reverse(
        "workshops:detail", args=[workshop.cohort.slug, workshop.pk]
    )


def _settle(session: Session, now: dt.datetime) -> list[Registration]:
    """Expire lapsed offers and offer every free seat to the first in the queue who may take
    it (the session's row must be locked). Idempotent; returns the new offers."""
    workshop = session.workshop
    lapsed = list(
        session.registrations.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .select_related("person")
        .order_by("offer_expires_at", "pk")
    )
    for registration in lapsed:
        registration.status = Status.EXPIRED
        registration.save(update_fields=["status"])
        log_activity(
            None,
            "workshop.offer_expired",
            f"Offer of a seat in {workshop.title} to {registration.person} expired",
            cohort=workshop.cohort,
            workshop=workshop.pk,
            session=session.pk,
            registration=registration.pk,
        )
    if now >= session.starts_at:
        return []  # no offers once the session has begun
    regs = session.registrations.filter(status__in=HOLDS_SEAT)
    seats = Seats(
        workshop.capacity,
        held_seats(workshop),
        regs.count(),
        regs.filter(gap=True).count(),
    )
    offers: list[Registration] = []
    if seats.taken >= seats.capacity:
        return offers
    expires = min(now + dt.timedelta(hours=workshop.offer_hours), session.starts_at)
    queue = session.registrations.filter(status=Status.WAITLISTED).select_related("person")
    for registration in queue.order_by("queued_at", "pk"):
        if not seats.free_for(registration.gap):
            if seats.taken >= seats.capacity:
                break
            continue  # only held seats are left: the next GAP registrant in the queue
        registration.status = Status.OFFERED
        registration.offered_at, registration.offer_expires_at = now, expires
        registration.save(update_fields=["status", "offered_at", "offer_expires_at"])
        seats = Seats(
            seats.capacity,
            seats.held,
            seats.taken + 1,
            seats.gap_taken + (1 if registration.gap else 0),
        )
        offers.append(registration)
        log_activity(
            None,
            "workshop.offered",
            f"Seat in {workshop.title} offered to {registration.person}",
            cohort=workshop.cohort,
            workshop=workshop.pk,
            session=session.pk,
            registration=registration.pk,
        )
    for registration in offers:
        registration.session = session
        _mail_offer(registration)
    return offers


def _mail_offer(registration: Registration) -> None:
    person = registration.person
    subject, body = render_mail(
        "workshop_offer",
        {
            "user": person,
            "registration": registration,
            "session": registration.session,
            "workshop": registration.session.workshop,
            "url": _url(registration),
        },
    )
    queue_mail(
        kind="workshop-offer",
        to=person.email,
        subject=subject,
        body=body,
        user=person,
        cohort=registration.session.workshop.cohort,
        dedupe_key=f"workshop-offer:{registration.pk}:{registration.offered_at:%Y%m%dT%H%M%S}",
    )


def settle(session: Session, now: dt.datetime | None = None) -> list[Registration]:
    """Bring a session's waitlist up to date (lapsed offers expire and pass on)."""
    now = now or timezone.now()
    with transaction.atomic():
        return _settle(_lock(session), now)


def needs_settling(sessions: Iterable[Session], now: dt.datetime) -> list[Session]:
    """Of annotated sessions (:func:`with_counts` plus ``lapsed``), those whose waitlist is
    behind: an offer has lapsed, or someone waits while a seat is free."""
    return [
        s
        for s in sessions
        if now < s.starts_at
        and (getattr(s, "lapsed", 0) or (s.waiting and s.taken < s.workshop.capacity))
    ]


def with_lapsed(sessions: QuerySet[Session], now: dt.datetime) -> QuerySet[Session]:
    return sessions.annotate(
        lapsed=Count(
            "registrations",
            filter=Q(
                registrations__status=Status.OFFERED, registrations__offer_expires_at__lte=now
            ),
        )
    )


def settle_workshop(workshop: Workshop, now: dt.datetime | None = None) -> int:
    """Settle the workshop's sessions that need it (the pages call this: correctness never
    depends on the periodic job having run). Returns the offers made."""
    now = now or timezone.now()
    sessions = with_lapsed(with_counts(workshop.sessions.select_related("workshop")), now)
    return sum(len(settle(s, now)) for s in needs_settling(sessions, now))


def expire_offers(now: dt.datetime | None = None) -> int:
    """The periodic job: settle every upcoming session with an offer lapsed or a queue behind
    a free seat. Idempotent; returns the offers made."""
    now = now or timezone.now()
    sessions = with_lapsed(
        with_counts(Session.objects.filter(starts_at__gt=now).select_related("workshop")), now
    ).filter(Q(lapsed__gt=0) | Q(waiting__gt=0))
    return sum(len(settle(s, now)) for s in needs_settling(sessions, now))


# --- Registering ------------------------------------------------------------------------------


def may_register(user, workshop: Workshop) -> bool:
    """The rule itself, not ``user.has_perm``: a superuser is no participant."""
    return rules.has_perm("workshops.register", user, workshop)


def register(session: Session, person, *, now: dt.datetime | None = None) -> Registration:
    """A seat for ``person`` if one is free for them, else a place on the waitlist.

    Refused after the session starts, for someone not allowed to register, and for someone
    already registered, queued or offered a seat in another session of the workshop."""
    now = now or timezone.now()
    settle(session, now)  # committed even when the registration is refused
    with transaction.atomic():
        return _register(_lock(session), person, now)


def _register(session: Session, person, now: dt.datetime) -> Registration:
    workshop = session.workshop
    if not may_register(person, workshop):
        raise WorkshopError(_("Only participants of the cohorts it is open to can register."))
    if now >= session.starts_at:
        raise WorkshopError(_("This session has started: registration is closed."))
    _settle(session, now)
    mine = {
        r.session_id: r
        for r in Registration.objects.filter(
            session__workshop=workshop, person=person, status__in=ACTIVE
        )
    }
    if session.pk in mine:
        raise WorkshopError(_("You are already registered for this session."))
    if mine:
        raise WorkshopError(
            _("You are registered for another session of this workshop: cancel it first.")
        )
    gap = person_is_gap(person, workshop)
    regs = session.registrations.filter(status__in=HOLDS_SEAT)
    seats = Seats(
        workshop.capacity, held_seats(workshop), regs.count(), regs.filter(gap=True).count()
    )
    # A free seat goes to the newcomer only if nobody queued before them may take it (after
    # settling, anyone waiting who could take a free seat has been offered it).
    status = Status.REGISTERED if seats.free_for(gap) else Status.WAITLISTED
    registration, _created = Registration.objects.update_or_create(
        session=session,
        person=person,
        defaults={
            "status": status,
            "gap": gap,
            "queued_at": now,
            "offered_at": None,
            "offer_expires_at": None,
            "cancelled_at": None,
        },
    )
    log_activity(
        person,
        "workshop.registered" if status == Status.REGISTERED else "workshop.waitlisted",
        f"{'Registered for' if status == Status.REGISTERED else 'Waitlisted for'} "
        f"{workshop.title} ({session.label or f'{session.starts_at:%Y-%m-%d %H:%M} UTC'})",
        cohort=workshop.cohort,
        workshop=workshop.pk,
        session=session.pk,
        registration=registration.pk,
    )
    return registration


def _locked_registration(registration: Registration) -> tuple[Session, Registration]:
    session = _lock(registration.session)
    return session, Registration.objects.select_related("person").get(pk=registration.pk)


def cancel(registration: Registration, *, actor, now: dt.datetime | None = None) -> Registration:
    """Give up a seat, an offered seat or a place in the queue, until the session starts. A
    freed seat is offered to the first in the queue who may take it."""
    now = now or timezone.now()
    settle(registration.session, now)  # committed even when the cancellation is refused
    with transaction.atomic():
        return _cancel(registration, actor, now)


def _cancel(registration: Registration, actor, now: dt.datetime) -> Registration:
    session, registration = _locked_registration(registration)
    if registration.person_id != actor.pk:
        raise WorkshopError(_("Only the person registered can cancel."))
    _settle(session, now)
    registration.refresh_from_db()
    if registration.status not in ACTIVE:
        raise WorkshopError(_("This registration is no longer active."))
    if now >= session.starts_at:
        raise WorkshopError(_("The session has started: it can no longer be cancelled."))
    was = registration.status
    registration.status, registration.cancelled_at = Status.CANCELLED, now
    registration.save(update_fields=["status", "cancelled_at"])
    workshop = session.workshop
    log_activity(
        actor,
        "workshop.declined" if was == Status.OFFERED else "workshop.cancelled",
        f"{'Declined a seat in' if was == Status.OFFERED else 'Cancelled'} {workshop.title}",
        cohort=workshop.cohort,
        workshop=workshop.pk,
        session=session.pk,
        registration=registration.pk,
    )
    _settle(session, now)
    return registration


def accept_offer(
    registration: Registration, *, actor, now: dt.datetime | None = None
) -> Registration:
    """Take an offered seat before the offer expires (a lapsed offer has passed on)."""
    now = now or timezone.now()
    settle(registration.session, now)  # committed even when taking the seat is refused
    with transaction.atomic():
        return _accept(registration, actor, now)


def _accept(registration: Registration, actor, now: dt.datetime) -> Registration:
    session, registration = _locked_registration(registration)
    if registration.person_id != actor.pk:
        raise WorkshopError(_("Only the person offered the seat can take it."))
    _settle(session, now)
    registration.refresh_from_db()
    if registration.status == Status.EXPIRED:
        raise WorkshopError(_("The offer expired and passed on to the next person in the queue."))
    if registration.status != Status.OFFERED:
        raise WorkshopError(_("There is no seat offered to you in this session."))
    registration.status = Status.REGISTERED
    registration.save(update_fields=["status"])
    workshop = session.workshop
    log_activity(
        actor,
        "workshop.accepted",
        f"Took the offered seat in {workshop.title}",
        cohort=workshop.cohort,
        workshop=workshop.pk,
        session=session.pk,
        registration=registration.pk,
    )
    return registration


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in the queue."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        session_id=registration.session_id, status=Status.WAITLISTED
    ).filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


# --- Reads --------------------------------------------------------------------------------------


def registrations_of(person) -> QuerySet[Registration]:
    return Registration.objects.filter(person=person).select_related("session__workshop__cohort")


def seated(person) -> QuerySet[Registration]:
    """The person's registrations with a seat (their calendar entries)."""
    return registrations_of(person).filter(status=Status.REGISTERED)


def interested_people(workshop: Workshop) -> list[int]:
    """Ids of the people registered, queued or offered a seat in the workshop, and of those
    who voted for a topic proposal it was planned from: whom its session times should suit."""
    registered = Registration.objects.filter(
        session__workshop=workshop, status__in=ACTIVE
    ).values_list("person_id", flat=True)
    voters = workshop.proposals.values_list("votes__voter_id", flat=True)
    proposers = workshop.proposals.values_list("proposed_by_id", flat=True)
    return sorted({pk for pk in (*registered, *voters, *proposers) if pk})


# --- Planning -----------------------------------------------------------------------------------


def save_workshop(workshop: Workshop, *, actor, sessions_changed: Iterable[Session] = ()) -> None:
    """Log a created or edited workshop; changed sessions get a new calendar revision."""
    created = workshop._state.adding
    workshop.created_by = workshop.created_by or (actor if actor.is_authenticated else None)
    workshop.save()
    for session in sessions_changed:
        if session.pk:
            session.sequence += 1
    log_activity(
        actor,
        "workshop.created" if created else "workshop.updated",
        f"{'Planned' if created else 'Updated'} workshop {workshop.title}",
        cohort=workshop.cohort,
        workshop=workshop.pk,
    )


# --- Reminders ----------------------------------------------------------------------------------


class ReminderKind(models.TextChoices):
    SESSION_TOMORROW = "workshop-tomorrow", gettext_lazy("workshop session tomorrow")
    OFFER_EXPIRING = "workshop-offer-expiring", gettext_lazy("offered workshop seat expiring")


def plan_reminders(now: dt.datetime) -> list[Reminder]:
    """This app's reminder provider:

    - a session starting within 24 hours, to everyone with a seat, called "today" or
      "tomorrow" by the recipient's own date;
    - an offered seat whose offer ends within 6 hours, to the person offered it."""
    planned: list[Reminder] = []
    due = (
        Registration.objects.filter(
            Q(
                status=Status.REGISTERED,
                session__starts_at__gt=now,
                session__starts_at__lte=now + dt.timedelta(hours=24),
            )
            | Q(
                status=Status.OFFERED,
                offer_expires_at__gt=now,
                offer_expires_at__lte=now + dt.timedelta(hours=6),
            )
        )
        .select_related("person", "session__workshop__cohort")
        .order_by("session__starts_at", "pk")
    )  # one query
    for reg in due:
        session, person = reg.session, reg.person
        if reg.status == Status.REGISTERED:
            zone = person_zone(person)
            same = local_date(session.starts_at, zone) == local_date(now, zone)
            planned.append(
                _reminder(
                    ReminderKind.SESSION_TOMORROW,
                    reg,
                    f"{session.pk}-{session.starts_at:%Y%m%d%H%M}",
                    "workshop_tomorrow",
                    {"day": "today" if same else "tomorrow"},
                )
            )
        else:
            planned.append(
                _reminder(
                    ReminderKind.OFFER_EXPIRING,
                    reg,
                    f"{reg.pk}-{reg.offered_at:%Y%m%d%H%M%S}",
                    "workshop_offer_expiring",
                    {},
                )
            )
    return planned


def _reminder(kind: str, reg: Registration, key: str, template: str, extra: dict) -> Reminder:
    session = reg.session
    context = {
        "registration": reg,
        "session": session,
        "workshop": session.workshop,
        "url": _url(reg),
        **extra,
    }
    return reminder(kind, reg.person, key, template, context, session.workshop.cohort)
