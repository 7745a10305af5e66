"""Writes and reads of cohorts. Views, admin, commands and the API call these."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tandem.core.services import log_activity

from .models import Cohort

# --- Cohorts -------------------------------------------------------------------------------


def save_cohort(cohort: Cohort, *, actor) -> Cohort:
    created = cohort.pk is None
    cohort.full_clean()
    cohort.save()
    log_activity(
        actor,
        "cohort.created" if created else "cohort.updated",
        f"{'Created' if created else 'Updated'} cohort {cohort.name}",
        cohort=cohort,
        opens_at=cohort.opens_at.isoformat(),
        closes_at=cohort.closes_at.isoformat(),
    )
    return cohort


def cohorts_with_counts() -> QuerySet[Cohort]:
    return Cohort.objects.annotate(
        submitted_count=Count(
            "applications", filter=~Q(applications__status__in=["draft", "withdrawn"])
        ),
        accepted_count=Count("applications", filter=Q(applications__status="accepted")),
        draft_count=Count("applications", filter=Q(applications__status="draft")),
    )


def open_cohorts(now: dt.datetime | None = None) -> QuerySet[Cohort]:
    now = now or timezone.now()
    return Cohort.objects.filter(opens_at__lte=now, closes_at__gte=now).order_by("closes_at")
