"""Meetings, check-ins and reminders: the domain operations views, commands and tasks call."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from tandem.cohorts.models import Application, Cohort
from tandem.partnerships.models import Partnership

from .models import CheckIn, Meeting


# --- Who takes part ---------------------------------------------------------------------------

def participant_cohort_ids(user) -> set[int]:
    """Cohorts where ``user`` is an accepted participant."""
    return set(Application.objects.filter(applicant=user, status=Application.Status.ACCEPTED)
               .values_list("cohort_id", flat=True))


def cohort_participants(cohort: Cohort) -> QuerySet[Application]:
    return Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED
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
