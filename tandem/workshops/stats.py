"""A cohort's workshop statistics for coordinators: per session its seats taken, waitlist, open
offers, attendance and rating; attendance rate by region (the organisation's, from the
attendee's accepted application) and by the workshop's language; the ratings overall.

Everything is aggregated in the database: the page costs the same queries for 3 workshops or
300 (tests/test_query_counts.py).

*Attendance rate* counts the seats of sessions that have started whose attendance was taken:
present ÷ (present + absent). Seats not marked yet are shown apart, never counted as absent; a
session that has not started yet is *upcoming* (``held`` false): it has no seats "not marked".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, BooleanField, Count, ExpressionWrapper, Q, QuerySet, Subquery
from django.utils import timezone

from tandem.cohorts.models import Cohort
from tandem.members.models import Region

from .attendance import participant_application
from .models import Registration, Session

Status = Registration.Status
SEATED = Q(status=Status.REGISTERED) | Q(attended__isnull=False)


def _rate(present: int, absent: int) -> float | None:
    return round(100 * present / (present + absent), 1) if present + absent else None


def sessions(cohort: Cohort, now: dt.datetime | None = None) -> QuerySet[Session]:
    """The cohort's sessions (of the workshops it plans), latest first, each with
    ``registered``, ``waitlisted``, ``offered``, ``present``, ``absent``, ``unmarked``,
    ``ratings`` and ``average``, and ``held`` (it has started by ``now``; an upcoming session's
    seats are not "not marked") (one query; paginate it)."""
    now = now or timezone.now()
    reg = "registrations__"
    return (
        Session.objects.filter(workshop__cohort=cohort)
        .select_related("workshop")
        .annotate(
            held=ExpressionWrapper(Q(starts_at__lte=now), output_field=BooleanField()),
            registered=Count("registrations", filter=Q(**{f"{reg}status": Status.REGISTERED})),
            waitlisted=Count("registrations", filter=Q(**{f"{reg}status": Status.WAITLISTED})),
            offered=Count("registrations", filter=Q(**{f"{reg}status": Status.OFFERED})),
            present=Count("registrations", filter=Q(**{f"{reg}attended": True})),
            absent=Count("registrations", filter=Q(**{f"{reg}attended": False})),
            unmarked=Count(
                "registrations",
                filter=Q(**{f"{reg}status": Status.REGISTERED, f"{reg}attended__isnull": True})
                & Q(starts_at__lte=now),
            ),
            ratings=Count("registrations", filter=Q(**{f"{reg}rating__isnull": False})),
            average=Avg(f"{reg}rating"),
        )
        .order_by("-starts_at", "-pk")
    )


@dataclass(frozen=True)
class Totals:
    workshops: int
    sessions: int
    registered: int
    waitlisted: int
    offered: int
    present: int
    absent: int
    unmarked: int
    ratings: int
    average: float | None

    @property
    def attendance_rate(self) -> float | None:
        return _rate(self.present, self.absent)


def _registrations(cohort: Cohort) -> QuerySet[Registration]:
    return Registration.objects.filter(session__workshop__cohort=cohort)


def totals(cohort: Cohort, now: dt.datetime | None = None) -> Totals:
    """The cohort's workshop totals (two queries)."""
    now = now or timezone.now()
    counts = Session.objects.filter(workshop__cohort=cohort).aggregate(
        workshops=Count("workshop", distinct=True), sessions=Count("pk")
    )
    row = _registrations(cohort).aggregate(
        registered=Count("pk", filter=Q(status=Status.REGISTERED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        offered=Count("pk", filter=Q(status=Status.OFFERED)),
        present=Count("pk", filter=Q(attended=True)),
        absent=Count("pk", filter=Q(attended=False)),
        unmarked=Count(
            "pk",
            filter=Q(status=Status.REGISTERED, attended__isnull=True, session__starts_at__lte=now),
        ),
        ratings=Count("pk", filter=Q(rating__isnull=False)),
        average=Avg("rating"),
    )
    average = row.pop("average")
    return Totals(
        workshops=counts["workshops"],
        sessions=counts["sessions"],
        average=round(average, 2) if average is not None else None,
        **row,
    )


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    seats: int
    present: int
    absent: int
    unmarked: int
    average: float | None

    @property
    def attendance_rate(self) -> float | None:
        return _rate(self.present, self.absent)


def _groups(qs: QuerySet, field: str, labels) -> list[Group]:
    rows = (
        qs.values(field)
        .annotate(
            seats=Count("pk"),
            present=Count("pk", filter=Q(attended=True)),
            absent=Count("pk", filter=Q(attended=False)),
            unmarked=Count("pk", filter=Q(attended__isnull=True)),
            average=Avg("rating"),
        )
        .order_by(field)
    )
    return [
        Group(
            key=row[field] or "",
            label=labels(row[field]),
            seats=row["seats"],
            present=row["present"],
            absent=row["absent"],
            unmarked=row["unmarked"],
            average=round(row["average"], 2) if row["average"] is not None else None,
        )
        for row in rows
    ]


def _past_seats(cohort: Cohort, now: dt.datetime) -> QuerySet[Registration]:
    """Seats of the cohort's sessions that have started (attendance could be taken)."""
    return _registrations(cohort).filter(SEATED, session__starts_at__lte=now)


def by_region(cohort: Cohort, now: dt.datetime | None = None, unknown: str = "") -> list[Group]:
    """Attendance of the started sessions by the attendee's organisation's region (one
    query)."""
    now = now or timezone.now()
    qs = _past_seats(cohort, now).annotate(
        region=Subquery(participant_application().values("organization__region")[:1])
    )
    names = dict(Region.choices)
    return _groups(qs, "region", lambda code: names.get(code, code) if code else unknown)


def by_language(cohort: Cohort, now: dt.datetime | None = None, names=None) -> list[Group]:
    """Attendance of the started sessions by the language the workshop is given in (one
    query)."""
    now = now or timezone.now()
    names = names or (lambda code: code)
    return _groups(_past_seats(cohort, now), "session__workshop__language", names)
