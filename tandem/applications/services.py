"""Writes on applications: drafts and submissions, decisions, withdrawal; the CSV export.

Reads live in :mod:`.selectors`. Other apps learn that a participant left through
:data:`.signals.participation_ended`."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import throttle
from tandem.cohorts.models import Cohort, Topic
from tandem.core import csvsafe
from tandem.core.languages import language_name
from tandem.core.services import log_activity
from tandem.members.models import Organization
from tandem.members.services import lead_eligibility
from tandem.notifications.services import queue_mail, render_mail

from . import signals
from .models import Application, ApplicationTopic
from .selectors import other_leads


class ApplicationClosed(Exception):
    """The cohort does not accept applications (or changes) at this instant."""


class NotEligible(Exception):
    pass


REQUIRED_ON_SUBMIT = [
    "organization",
    "lead_since_year",
    "consortium_org_count",
    "repository_count",
    "full_name",
    "email",
    "job_title",
    "timezone",
    "preferred_role",
    "years_leading",
    "experience_level",
    "goals",
    "challenges",
]


def new_application(cohort: Cohort, user) -> Application:
    """An unsaved application pre-filled from the person's account."""
    return Application(
        cohort=cohort,
        applicant=user,
        full_name=user.name,
        email=user.email,
        timezone=user.timezone,
    )


def missing_for_submit(
    application: Application, topics: Mapping[tuple[str, str], int]
) -> dict[str, str]:
    """Field → message for everything a submitted application still lacks."""
    missing = {
        f: "This field is required to submit."
        for f in REQUIRED_ON_SUBMIT
        if getattr(application, f if f != "organization" else "organization_id") in (None, "")
    }
    if not application.languages:
        missing["languages"] = "Add at least one language you can work in."
    if not application.availability:
        missing["availability"] = "Add at least one weekly time window when you are available."
    if not application.accepted_guidelines:
        missing["accepted_guidelines"] = "You must accept the participation guidelines to submit."
    if not any(
        level for (kind, _), level in topics.items() if kind == ApplicationTopic.Kind.EXPERTISE
    ) and not any(
        level for (kind, _), level in topics.items() if kind == ApplicationTopic.Kind.CHALLENGE
    ):
        missing["topics"] = "Pick at least one topic you offer expertise in or seek help with."
    return missing


@transaction.atomic
def save_application(
    application: Application,
    *,
    topics: Mapping[tuple[str, str], int],
    submit: bool,
    now: dt.datetime | None = None,
) -> Application:
    """Save a draft or submit, enforcing the deadline to the second on the server.

    ``topics`` maps (kind, topic slug) → level 0–3; level 0 removes the pick.
    Raises :class:`ApplicationClosed`, :class:`NotEligible`, or ``ValueError`` with the
    missing fields (a dict) when submitting an incomplete application.
    """
    now = now or timezone.now()
    cohort = application.cohort
    if not cohort.is_open(now):
        raise ApplicationClosed(
            f"Applications to {cohort.name} closed at "
            f"{cohort.closes_local:%d %B %Y, %H:%M} ({cohort.timezone})."
            if now > cohort.closes_at
            else f"Applications to {cohort.name} are not open yet."
        )
    if application.pk and application.status not in (
        Application.Status.DRAFT,
        Application.Status.SUBMITTED,
    ):
        raise ApplicationClosed(
            "This application has been decided or withdrawn and cannot be changed."
        )
    if application.organization_id:
        verdict = lead_eligibility(application.organization)
        if not verdict.ok:
            raise NotEligible(verdict.reason)
        if not cohort.several_leads_per_consortium:
            _refuse_second_lead(application)
        application.is_gap = application.organization.gap_eligible
    if submit:
        missing = missing_for_submit(application, topics)
        if missing:
            raise ValueError(missing)
    if application.pk is None:
        try:
            with transaction.atomic():  # a savepoint: the race below must not end the outer one
                application.save()
        except IntegrityError as error:
            # The same person's other request (a double click, two tabs) created it a moment
            # ago: this request becomes an edit of that application.
            _adopt_existing(application, error)
    first_submission = submit and application.status == Application.Status.DRAFT
    if first_submission:
        application.status = Application.Status.SUBMITTED
        application.submitted_at = now
    application.save()
    _save_topics(application, topics)
    if submit:
        _send_confirmation(application, first=first_submission)
    return application


def _adopt_existing(application: Application, error: IntegrityError) -> None:
    existing = (
        Application.objects.select_for_update()
        .filter(cohort_id=application.cohort_id, applicant_id=application.applicant_id)
        .first()
    )
    if existing is None:  # not the one-per-person constraint: a real error
        raise error
    if existing.status not in (Application.Status.DRAFT, Application.Status.SUBMITTED):
        raise ApplicationClosed(
            _("This application has been decided or withdrawn and cannot be changed.")
        )
    application.pk, application.created_at = existing.pk, existing.created_at
    application.status, application.submitted_at = existing.status, existing.submitted_at
    application._state.adding = False


def _refuse_second_lead(application: Application) -> None:
    existing = other_leads(application).first()
    if existing is not None:
        raise NotEligible(
            _(
                "%(org)s already has an application in this cohort (%(status)s): a consortium "
                "has one lead per cohort. If you should be its lead instead, or both of you "
                "should take part, write to %(contact)s."
            )
            % {
                "org": application.organization.label,
                "status": existing.get_status_display().lower(),
                "contact": settings.TANDEM_CONTACT_EMAIL,
            }
        )


def email_applicant(
    application: Application,
    *,
    kind: str,
    template: str,
    context: dict[str, Any],
    dedupe_key: str | None = None,
    concerns: str = "program",
) -> None:
    """E-mail an applicant (through the outbox) at their account's address: the one they sign
    in with and can reset a password at, never the address typed into the application form
    (which would let anyone make the program mail any address). ``concerns``: what the
    essential mail's footer says it is about (``"application"``, or the ``"program"``)."""
    subject, body = render_mail(template, context)
    queue_mail(
        kind=kind,
        to=application.applicant.email,
        subject=subject,
        body=body,
        user=application.applicant,
        cohort=application.cohort,
        dedupe_key=dedupe_key,
        concerns=concerns,
    )


def _save_topics(application: Application, topics: Mapping[tuple[str, str], int]) -> None:
    by_slug = {t.slug: t for t in Topic.objects.filter(slug__in={slug for _, slug in topics})}
    application.topics.all().delete()
    ApplicationTopic.objects.bulk_create(
        ApplicationTopic(application=application, topic=by_slug[slug], kind=kind, level=level)
        for (kind, slug), level in sorted(topics.items())
        if level and slug in by_slug
    )


def _send_confirmation(application: Application, *, first: bool) -> None:
    """Confirm a submission by e-mail, at most ``TANDEM_THROTTLES["application-confirmation"]``
    per address and per client; beyond that ``application.confirmation_throttled`` is set and
    nothing is sent (the submission itself stands)."""
    try:
        throttle.limit(
            "application-confirmation",
            address=application.applicant.email,
            client=throttle.current_client() or f"account:{application.applicant_id}",
        )
    except throttle.Throttled:
        application.confirmation_throttled = True
        return
    email_applicant(
        application,
        kind="application-submitted",
        template="application_submitted",
        concerns="application",
        context={
            "application": application,
            "cohort": application.cohort,
            "first": first,
            "url": settings.TANDEM_BASE_URL
            + reverse("applications:detail", args=[application.cohort.slug, application.pk]),
        },
    )


@transaction.atomic
def decide(application: Application, status: str, note: str, *, actor) -> Application:
    if status not in Application.DECISIONS:
        raise ValueError(f"{status!r} is not a decision")
    if application.status in (Application.Status.DRAFT, Application.Status.WITHDRAWN):
        raise ValueError(
            f"A {application.get_status_display().lower()} application cannot be decided."
        )
    was_accepted = application.status == Application.Status.ACCEPTED
    application.status = status
    application.decision_note = note
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(
        update_fields=["status", "decision_note", "decided_by", "decided_at", "updated_at"]
    )
    if was_accepted and status != Application.Status.ACCEPTED:
        signals.participation_ended.send(
            sender=Application,
            application=application,
            actor=actor,
            reason=_("Programme staff changed the decision on %(name)s's application.")
            % {"name": application.full_name},
        )
    log_activity(
        actor,
        f"application.{status}",
        f"{application.get_status_display()} {application.full_name}",
        cohort=application.cohort,
        application=application.pk,
        note=note,
    )
    return application


@transaction.atomic
def withdraw(application: Application, *, actor, reason: str = "") -> Application:
    """Withdraw an application. An accepted participant's pairs end (partner told and matched
    again by the next run) through :data:`signals.participation_ended`."""
    was_accepted = application.status == Application.Status.ACCEPTED
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    log_activity(
        actor,
        "application.withdrawn",
        f"{application.full_name} withdrew",
        cohort=application.cohort,
        application=application.pk,
    )
    if was_accepted:
        signals.participation_ended.send(
            sender=Application,
            application=application,
            actor=actor,
            reason=reason
            or _("%(name)s withdrew from the cohort.") % {"name": application.full_name},
        )
    return application


CSV_COLUMNS = [
    "id",
    "status",
    "submitted_at_utc",
    "full_name",
    "email",
    "job_title",
    "orcid",
    "timezone",
    "member_id",
    "organization",
    "country",
    "region",
    "gap",
    "lead_since_year",
    "consortium_org_count",
    "repository_count",
    "dois_per_year",
    "preferred_role",
    "years_leading",
    "experience_level",
    "languages",
    "availability",
    "expertise",
    "challenges_topics",
    "goals",
    "challenges",
    "project_idea",
    "consent_share_profile",
    "decision_note",
]


def topic_levels(pks: Iterable[int]) -> dict[int, list[tuple[str, str, int]]]:
    """Application id → its (kind, topic slug, level), in the applications' order of topics,
    in one query and without model instances (an export reads thousands)."""
    rows = (
        ApplicationTopic.objects.filter(application_id__in=list(pks))
        .order_by("application_id", "kind", "topic__order", "pk")
        .values_list("application_id", "kind", "topic__slug", "level")
    )
    out: dict[int, list[tuple[str, str, int]]] = {}
    for application_id, kind, slug, level in rows:
        out.setdefault(application_id, []).append((kind, slug, level))
    return out


def export_rows(
    applications: Iterable[Application],
    levels: Mapping[int, list[tuple[str, str, int]]] | None = None,
) -> Iterable[list[Any]]:
    """The CSV rows of ``applications``; their topics from ``levels`` (:func:`topic_levels`)
    when given, else from each one's (prefetched) ``topics``."""
    for a in applications:
        org: Organization | None = a.organization
        if levels is None:
            topics = [(t.kind, t.topic.slug, t.level) for t in a.topics.all()]
        else:
            topics = levels.get(a.pk, [])
        yield [
            a.pk,
            a.status,
            a.submitted_at.isoformat() if a.submitted_at else "",
            a.full_name,
            a.email,
            a.job_title,
            a.orcid,
            a.timezone,
            org.symbol if org else "",
            org.name if org else "",
            str(org.country) if org else "",
            org.region if org else "",
            "yes" if a.is_gap else "no",
            a.lead_since_year,
            a.consortium_org_count,
            a.repository_count,
            a.dois_per_year or "",
            a.preferred_role,
            a.years_leading,
            a.experience_level,
            "; ".join(f"{language_name(c)} ({c}) {lvl}" for c, lvl in sorted(a.languages.items())),
            "; ".join(f"{d} {s}-{e}" for d, s, e in a.availability),
            "; ".join(f"{slug}={level}" for kind, slug, level in topics if kind == "expertise"),
            "; ".join(f"{slug}={level}" for kind, slug, level in topics if kind == "challenge"),
            a.goals,
            a.challenges,
            a.project_idea,
            "yes" if a.consent_share_profile else "no",
            a.decision_note,
        ]


def export_csv(applications: QuerySet[Application]) -> str:
    """The applications as CSV; formula-like cells are neutralised (:mod:`tandem.core.csvsafe`)."""
    return "".join(iter_csv(applications))


#: Applications read per query (with their topics) while the CSV streams.
EXPORT_CHUNK = 500
#: Rows written per piece of the streamed response.
EXPORT_LINES = 100


def iter_csv(applications: QuerySet[Application]) -> Iterator[str]:
    """The CSV of :func:`export_csv` in pieces, for a streamed response: the applications are
    read :data:`EXPORT_CHUNK` at a time from one query (with their organisation only, plus one
    query per chunk for the topics, as rows), so an export of any size holds one chunk in
    memory."""
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    rows = (
        applications.select_related(None)
        .select_related("organization")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    number = 0
    for chunk in itertools.batched(rows, EXPORT_CHUNK):
        for row in export_rows(chunk, topic_levels(a.pk for a in chunk)):
            writer.writerow(row)
            number += 1
            if number % EXPORT_LINES == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()
