"""Reads of applications: one person's, a consortium's other leads, the review list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet

from tandem.cohorts.models import Cohort

from .models import Application


def application_for(cohort: Cohort, user) -> Application | None:
    return Application.objects.filter(cohort=cohort, applicant=user).first()


#: Applications that hold a consortium's place in a cohort (a draft does not, yet).
HOLDS_PLACE = (
    Application.Status.SUBMITTED,
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
)


def other_leads(application: Application) -> QuerySet[Application]:
    """Other people's applications for the same consortium in the same cohort that hold its
    place."""
    return (
        Application.objects.filter(
            cohort_id=application.cohort_id,
            organization_id=application.organization_id,
            status__in=HOLDS_PLACE,
        )
        .exclude(applicant_id=application.applicant_id)
        .order_by("submitted_at", "pk")
    )


def duplicate_consortia(cohort: Cohort) -> dict[int, int]:
    """organization id → number of applications holding its place, for consortia with more
    than one (shown to coordinators)."""
    rows = (
        Application.objects.filter(cohort=cohort, status__in=HOLDS_PLACE)
        .exclude(organization=None)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    return {row["organization_id"]: row["n"] for row in rows}


# --- Review --------------------------------------------------------------------------------

SORTS = {
    "gap": ["-is_gap", "submitted_at"],
    "name": ["full_name"],
    "-name": ["-full_name"],
    "submitted": ["submitted_at"],
    "-submitted": ["-submitted_at"],
    "experience": ["experience_level", "full_name"],
    "-experience": ["-experience_level", "full_name"],
    "years": ["years_leading", "full_name"],
    "-years": ["-years_leading", "full_name"],
    "region": ["organization__region", "full_name"],
    "status": ["status", "full_name"],
}


def review_queryset(
    cohort: Cohort, filters: Mapping[str, Any] | None = None
) -> QuerySet[Application]:
    """The cohort's non-draft applications, filtered and sorted (GAP first by default)."""
    filters = filters or {}
    qs = (
        Application.objects.filter(cohort=cohort)
        .exclude(status=Application.Status.DRAFT)
        .select_related("organization", "applicant", "cohort")
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("region"):
        qs = qs.filter(organization__region=filters["region"])
    if filters.get("gap") in ("yes", "no"):
        qs = qs.filter(is_gap=filters["gap"] == "yes")
    if filters.get("role"):
        qs = qs.filter(preferred_role=filters["role"])
    if filters.get("experience_min"):
        qs = qs.filter(experience_level__gte=int(filters["experience_min"]))
    if filters.get("language"):
        qs = qs.filter(languages__has_key=filters["language"])
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(
            Q(full_name__icontains=q)
            | Q(organization__name__icontains=q)
            | Q(organization__symbol__iexact=q)
        )
    return qs.order_by(*SORTS.get(filters.get("sort") or "gap", SORTS["gap"]), "pk")


#: What a row of the review list shows (``applications/_review_table.html``).
REVIEW_LIST_COLUMNS = (
    "pk",
    "cohort_id",
    "full_name",
    "organization_id",
    "is_gap",
    "preferred_role",
    "experience_level",
    "years_leading",
    "languages",
    "status",
    "submitted_at",
    "organization__name",
    "organization__display_name",
    "organization__symbol",
    "organization__country",
    "organization__region",
)


def review_list(cohort: Cohort, filters: Mapping[str, Any] | None = None) -> QuerySet[Application]:
    """:func:`review_queryset` as the review page lists it: the shown columns only (not the
    answers, the applicant's account nor the cohort, read once by the page)."""
    return (
        review_queryset(cohort, filters)
        .select_related(None)
        .select_related("organization")
        .only(*REVIEW_LIST_COLUMNS)
    )
