"""Running a session: its roster, attendance marked by coordinators or the workshop's
facilitators, the attendees' ratings and comments, and their aggregate.

The roster lists the session's seated people (registered) and anyone whose attendance was
already marked, each with GAP, region and languages read in the same query (from their accepted
application: its organisation's region), so a roster of 300 costs what one of 3 does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.applications.models import Application
from tandem.core.services import log_activity

from .models import Registration, Session, Workshop

Status = Registration.Status
#: Attendance may be marked from this long before the session starts (people arrive early).
MARK_FROM = dt.timedelta(minutes=30)


class AttendanceError(Exception):
    """Not allowed now; the message says why."""


# --- Reads -------------------------------------------------------------------------------------


def participant_application(person_ref="person") -> QuerySet[Application]:
    """The person's accepted application, most recent cohort first (to annotate a row that has
    ``person_ref``)."""
    return Application.objects.filter(
        applicant=OuterRef(person_ref), status=Application.Status.ACCEPTED
    ).order_by("-cohort__program_start", "-pk")


def with_profile(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    """Registrations with ``region`` (the organisation's, of the person's accepted application)
    and ``languages`` (that application's ``{code: level}``), in the same query."""
    app = participant_application()
    return qs.annotate(
        region=Subquery(app.values("organization__region")[:1]),
        languages=Subquery(app.values("languages")[:1], output_field=models.JSONField()),
    )


def roster(session: Session) -> QuerySet[Registration]:
    """The people a session's attendance is taken for: those holding a seat, and anyone already
    marked (a seat cancelled after being marked present stays on the list), by name."""
    qs = Registration.objects.filter(session=session).filter(
        Q(status=Status.REGISTERED) | Q(attended__isnull=False)
    )
    return with_profile(qs.select_related("person", "attendance_marked_by")).order_by(
        "person__name", "pk"
    )


def roster_counts(session: Session) -> dict[str, int]:
    """Present, absent and not yet marked among the roster (one query)."""
    qs = Registration.objects.filter(session=session).filter(
        Q(status=Status.REGISTERED) | Q(attended__isnull=False)
    )
    return qs.aggregate(
        present=Count("pk", filter=Q(attended=True)),
        absent=Count("pk", filter=Q(attended=False)),
        unmarked=Count("pk", filter=Q(attended__isnull=True)),
    )


@dataclass(frozen=True)
class Ratings:
    count: int
    average: float | None
    distribution: dict[int, int]  # 1..5 → how many

    @property
    def bars(self) -> list[tuple[int, int, int]]:
        """(stars, how many, percentage of the ratings) from 5 down to 1."""
        return [
            (stars, n, round(100 * n / self.count) if self.count else 0)
            for stars in range(5, 0, -1)
            for n in [self.distribution.get(stars, 0)]
        ]


def ratings_of(qs: QuerySet[Registration]) -> Ratings:
    """The aggregate of the ratings among ``qs`` (one query)."""
    row = qs.filter(rating__isnull=False).aggregate(
        count=Count("pk"),
        average=Avg("rating"),
        **{f"s{n}": Count("pk", filter=Q(rating=n)) for n in range(1, 6)},
    )
    return Ratings(
        count=row["count"],
        average=round(row["average"], 2) if row["average"] is not None else None,
        distribution={n: row[f"s{n}"] for n in range(1, 6)},
    )


def comments_of(qs: QuerySet[Registration], limit: int = 100) -> list[dict]:
    """The latest comments (rating, text, when; never who) for coordinators and facilitators."""
    return list(
        qs.exclude(comment="")
        .order_by("-rated_at", "-pk")
        .values("rating", "comment", "rated_at", "session__label")[:limit]
    )


def workshop_registrations(workshop: Workshop) -> QuerySet[Registration]:
    return Registration.objects.filter(session__workshop=workshop)


# --- Writes ------------------------------------------------------------------------------------


def mark(
    registration: Registration,
    attended: bool | None,
    *,
    actor,
    now: dt.datetime | None = None,
) -> Registration:
    """Mark ``registration`` present (``True``), absent (``False``) or unknown (``None``)."""
    now = now or timezone.now()
    session = registration.session
    if now < session.starts_at - MARK_FROM:
        raise AttendanceError(_("Attendance can be taken from 30 minutes before the session."))
    if registration.status != Status.REGISTERED and registration.attended is None:
        raise AttendanceError(_("This person holds no seat in the session."))
    with transaction.atomic():
        registration.attended = attended
        registration.attendance_marked_by = actor if attended is not None else None
        registration.save(update_fields=["attended", "attendance_marked_by"])
        word = {True: "present", False: "absent", None: "unmarked"}[attended]
        log_activity(
            actor,
            "workshops.attendance",
            _("Marked %(person)s %(state)s at “%(workshop)s”")
            % {
                "person": registration.person,
                "state": word,
                "workshop": session.workshop.title,
            },
            cohort=session.workshop.cohort,
            registration=registration.pk,
            session=session.pk,
            attended=attended,
        )
    return registration


def rate(
    registration: Registration,
    rating: int,
    comment: str = "",
    *,
    actor,
    now: dt.datetime | None = None,
) -> Registration:
    """The attendee's rating (1–5) and comment; they may change it later."""
    now = now or timezone.now()
    if registration.person_id != actor.pk or registration.attended is not True:
        raise AttendanceError(_("Only the session's attendees rate it."))
    if now < registration.session.starts_at:
        raise AttendanceError(_("A session is rated once it has started."))
    if not 1 <= int(rating) <= 5:
        raise AttendanceError(_("A rating is from 1 to 5."))
    first = registration.rated_at is None
    registration.rating = int(rating)
    registration.comment = comment.strip()
    registration.rated_at = now
    registration.save(update_fields=["rating", "comment", "rated_at"])
    workshop = registration.session.workshop
    log_activity(
        actor,
        "workshops.rated" if first else "workshops.rating_changed",
        _("Rated “%(workshop)s” %(rating)s/5") % {"workshop": workshop.title, "rating": rating},
        cohort=workshop.cohort,
        registration=registration.pk,
    )
    return registration
