"""A cohort's workshop report for coordinators: sessions with their seats, waitlists, open
offers, attendance and ratings; attendance by region and by language; a CSV of the sessions."""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.cohorts.models import Cohort
from tandem.core import csvsafe
from tandem.core.languages import language_name
from tandem.core.pagination import page_of
from tandem.core.timezones import person_zone, to_local

from .. import stats


def _cohort(request, slug) -> Cohort:
    cohort = get_object_or_404(Cohort, slug=slug)
    if not request.user.has_perm("workshops.report", cohort):
        raise PermissionDenied
    return cohort


@require_GET
@login_required
def report(request, slug):
    cohort = _cohort(request, slug)
    now = timezone.now()
    return render(
        request,
        "workshops/report_cohort.html",
        {
            "cohort": cohort,
            "totals": stats.totals(cohort, now),
            "page": page_of(request, stats.sessions(cohort, now)),
            "regions": stats.by_region(cohort, now, unknown=_("Region unknown")),
            "languages": stats.by_language(cohort, now, names=language_name),
            "now": now,
        },
    )


CSV_COLUMNS = [
    "workshop",
    "session",
    "starts_local",
    "zone",
    "language",
    "minutes",
    "held",
    "registered",
    "waitlisted",
    "offered",
    "present",
    "absent",
    "not_marked",
    "ratings",
    "average_rating",
]


def _csv(cohort: Cohort, tzname: str) -> Iterator[str]:
    """One row per session, as on the page: ``held`` is ``yes`` or ``upcoming``, and an upcoming
    session's ``not_marked`` is empty (its seats cannot be marked yet)."""
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    now = timezone.now()
    for number, s in enumerate(stats.sessions(cohort, now).iterator(chunk_size=500), start=1):
        writer.writerow(
            [
                s.workshop.title,
                s.label,
                to_local(s.starts_at, tzname).strftime("%Y-%m-%d %H:%M"),
                tzname,
                s.workshop.language,
                s.duration_minutes,
                "yes" if s.held else "upcoming",
                s.registered,
                s.waitlisted,
                s.offered,
                s.present,
                s.absent,
                s.unmarked if s.held else "",
                s.ratings,
                f"{s.average:.2f}" if s.average is not None else "",
            ]
        )
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@require_GET
@login_required
def report_csv(request, slug):
    cohort = _cohort(request, slug)
    response = StreamingHttpResponse(
        _csv(cohort, person_zone(request.user)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="workshops-{cohort.slug}.csv"'
    return response
