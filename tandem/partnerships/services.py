"""Pairing in the app: roles, engine runs, review, approval, publication, withdrawal.

Django data is adapted to the pure engine's JSON (``tandem.engines.pairing``) here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.applications.models import Application, ApplicationTopic
from tandem.applications.services import email_applicant, withdraw
from tandem.cohorts.models import Cohort, Topic
from tandem.core.services import log_activities, log_activity
from tandem.engines.pairing import (
    DEFAULT_WEIGHTS,
    PairingInputError,
    cohort_corpus,
    score_pairs,
    solve,
)
from tandem.engines.pairing.api import Progress
from tandem.engines.pairing.score import Corpus
from tandem.engines.timewindows import Schedule, WeeklyWindow, iso_weeks, utc_intervals

from . import signals
from .models import MatchRun, PairingProfile, Partnership, Role


class PairingConflict(Exception):
    """An approval would give someone more partners than allowed."""


def at_capacity(name: str, taken: int, capacity: int) -> str:
    return ngettext(
        "%(name)s already has %(count)s partner (capacity %(capacity)s).",
        "%(name)s already has %(count)s partners (capacity %(capacity)s).",
        taken,
    ) % {"name": name, "count": taken, "capacity": capacity}


class CannotMatch(ValueError):
    """A match cannot run yet; the message says what to do first."""


# --- Roles -----------------------------------------------------------------------------------


def proposed_role(app: Application) -> str:
    """Experienced or learning, from the stated preference, then from experience.

    "Either" applicants are experienced when they have led a consortium 4+ years, rate
    themselves 4+, or lead 15+ organisations with some topic at level 3.
    """
    if app.preferred_role in (Role.EXPERIENCED, Role.LEARNING):
        return app.preferred_role
    deep = any(t.level >= 3 for t in app.topics.all() if t.kind == "expertise")
    seasoned = (app.years_leading or 0) >= 4 or (app.experience_level or 0) >= 4
    large = (app.consortium_org_count or 0) >= 15 and deep
    return Role.EXPERIENCED if seasoned or large else Role.LEARNING


def profile(app: Application) -> PairingProfile:
    try:
        return app.pairing_profile
    except PairingProfile.DoesNotExist:
        return PairingProfile(application=app)


def effective_role(app: Application) -> str:
    return profile(app).role or proposed_role(app)


def set_role(app: Application, role: str, capacity: int, *, actor) -> PairingProfile:
    if role not in ("", *Role.values):
        raise ValueError(f"unknown role {role!r}")
    prof, _ = PairingProfile.objects.update_or_create(
        application=app, defaults={"role": role, "capacity": max(0, capacity)}
    )
    log_activity(
        actor,
        "pairing.role",
        f"{app.full_name}: {role or 'proposed role'}, capacity {prof.capacity}",
        cohort=app.cohort,
        application=app.pk,
    )
    return prof


def with_roles(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate ``proposed_pairing_role`` and ``pairing_role`` (the effective one) computed
    in SQL exactly as :func:`proposed_role` and :func:`effective_role` do, so that long lists
    can filter, search and page by role without loading everyone."""
    deep = Exists(
        ApplicationTopic.objects.filter(application=OuterRef("pk"), kind="expertise", level__gte=3)
    )
    proposed = Case(
        When(preferred_role__in=Role.values, then=F("preferred_role")),
        When(
            Q(years_leading__gte=4)
            | Q(experience_level__gte=4)
            | (Q(consortium_org_count__gte=15) & deep),
            then=Value(Role.EXPERIENCED.value),
        ),
        default=Value(Role.LEARNING.value),
        output_field=CharField(),
    )
    return applications.annotate(
        proposed_pairing_role=proposed,
        pairing_role=Coalesce(NullIf(F("pairing_profile__role"), Value("")), proposed),
    )


#: At most this many people are offered by a search for a pin or a forbidden pair.
PEOPLE_OPTIONS = 10


def find_participants(cohort: Cohort, role: str, query: str, limit: int = PEOPLE_OPTIONS):
    """Accepted participants of ``role`` whose name or member ID contains ``query`` (by name)."""
    query = query.strip()
    if not query:
        return Application.objects.none()
    return (
        with_roles(accepted_applications(cohort).prefetch_related(None))
        .filter(pairing_role=role)
        .filter(Q(full_name__icontains=query) | Q(organization__symbol__icontains=query))[:limit]
    )


def accepted_applications(cohort: Cohort) -> QuerySet[Application]:
    return (
        Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED)
        .select_related("organization", "pairing_profile", "applicant", "cohort")
        .prefetch_related("topics__topic")
        .order_by("full_name", "pk")
    )


# --- Engine input ----------------------------------------------------------------------------


def pid(app: Application | int) -> str:
    return f"a{app if isinstance(app, int) else app.pk}"


def app_pk(participant_id: str) -> int:
    return int(participant_id.removeprefix("a"))


def participant(
    app: Application, role: str, levels: dict[str, dict[str, int]] | None = None
) -> dict[str, Any]:
    """The engine record of an application. ``levels`` (``{"expertise": {slug: level},
    "challenge": {…}}``) saves reading the application's topics when they were read for many."""
    if levels is None:
        levels = {kind: app.topic_levels(kind) for kind in ("expertise", "challenge")}
    record = {
        "id": pid(app),
        "name": app.full_name,
        "organization": app.organization.symbol if app.organization else f"none-{app.pk}",
        "timezone": app.timezone or "UTC",
        "languages": dict(app.languages),
        "expertise": dict(levels.get("expertise", {})),
        "goals": [app.goals] if app.goals else [],
        "availability": [list(w) for w in app.availability],
        "gap": bool(app.is_gap),
    }
    if role == Role.EXPERIENCED:
        record["capacity"] = profile(app).capacity
    else:
        record["needs"] = sorted(levels.get("challenge", {}))
        record["challenges"] = [app.challenges] if app.challenges else []
    return record


def active_pairs(cohort: Cohort) -> QuerySet[Partnership]:
    return Partnership.objects.filter(cohort=cohort, status__in=Partnership.ACTIVE).select_related(
        "experienced__organization",
        "learning__organization",
        "experienced__applicant",
        "learning__applicant",
    )


def engine_input(
    cohort: Cohort,
    *,
    weights: dict[str, float] | None = None,
    min_overlap_hours: float = 1.0,
    pinned: Sequence[Sequence[int]] = (),
    forbidden: Sequence[Sequence[int]] = (),
) -> dict[str, Any]:
    """The engine document for the cohort; approved/published pairs go in ``keep``.

    Only accepted applicants take part, and only pairs, pins and forbids between them are
    passed on, so no state the app allows (a withdrawal, a changed decision or role, a lowered
    capacity) can make a run fail: an experienced lead's capacity is at least their kept pairs."""
    # Three queries whatever the size: the applications with their roles computed in SQL,
    # every topic level as plain values, and the ids of the active pairs.
    apps = list(
        with_roles(
            Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED)
            .select_related("organization", "pairing_profile")
            .order_by("full_name", "pk")
        )
    )
    levels: dict[int, dict[str, dict[str, int]]] = {}
    for app_id, kind, slug, level in ApplicationTopic.objects.filter(
        application__cohort=cohort, application__status=Application.Status.ACCEPTED
    ).values_list("application_id", "kind", "topic__slug", "level"):
        levels.setdefault(app_id, {}).setdefault(kind, {})[slug] = level
    present = {app.pk for app in apps}
    keep = [
        (e, lrn)
        for e, lrn in Partnership.objects.filter(
            cohort=cohort, status__in=Partnership.ACTIVE
        ).values_list("experienced_id", "learning_id")
        if e in present and lrn in present
    ]
    in_pair = {e: Role.EXPERIENCED for e, _ in keep} | {lrn: Role.LEARNING for _, lrn in keep}
    kept_count = Counter(e for e, _ in keep)
    experienced, learning = [], []
    for app in apps:
        role = in_pair.get(app.pk) or app.pairing_role
        record = participant(app, role, levels.get(app.pk, {}))
        if role == Role.EXPERIENCED:
            record["capacity"] = max(record["capacity"], kept_count[app.pk])
        (experienced if role == Role.EXPERIENCED else learning).append(record)
    roles = {r["id"]: "e" for r in experienced} | {r["id"]: "l" for r in learning}

    def between_participants(pairs: Sequence[Sequence[int]]) -> list[list[str]]:
        return [
            [pid(e), pid(lrn)]
            for e, lrn in pairs
            if roles.get(pid(e)) == "e" and roles.get(pid(lrn)) == "l"
        ]

    return {
        "experienced": experienced,
        "learning": learning,
        "keep": [[pid(e), pid(lrn)] for e, lrn in keep],
        "pinned": between_participants(pinned),
        "forbidden": between_participants(forbidden),
        "settings": {
            "weights": weights or dict(DEFAULT_WEIGHTS),
            "min_overlap_hours": min_overlap_hours,
            "period": [cohort.program_start.isoformat(), cohort.program_end.isoformat()],
        },
    }


# --- Runs ------------------------------------------------------------------------------------


def check_matchable(cohort: Cohort) -> None:
    """Refuse a run (``CannotMatch``, saying what to do first) while nobody is accepted or
    one side, experienced or learning, is empty: such a run could only pair nobody."""
    counts = with_roles(
        Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED)
    ).aggregate(
        experienced=Count("pk", filter=Q(pairing_role=Role.EXPERIENCED)),
        learning=Count("pk", filter=Q(pairing_role=Role.LEARNING)),
    )
    if not counts["experienced"] and not counts["learning"]:
        raise CannotMatch(
            _("No accepted applications yet: accept applications in the review first.")
        )
    if not counts["experienced"]:
        raise CannotMatch(
            _(
                "Nobody can be an experienced lead yet: accept an experienced applicant, or set "
                "an accepted applicant's role to experienced under Roles first."
            )
        )
    if not counts["learning"]:
        raise CannotMatch(
            _(
                "Nobody can be a learning lead yet: accept a learning applicant, or set an "
                "accepted applicant's role to learning under Roles first."
            )
        )


#: How many best partners of each participant a run keeps (shown beside each proposal).
ALTERNATIVES = 3


def _run_settings(
    weights: dict[str, float] | None,
    min_overlap_hours: float,
    pinned: Sequence[Sequence[int]],
    forbidden: Sequence[Sequence[int]],
) -> dict[str, Any]:
    return {
        "weights": weights or dict(DEFAULT_WEIGHTS),
        "min_overlap_hours": min_overlap_hours,
        "pinned": [list(p) for p in pinned],
        "forbidden": [list(p) for p in forbidden],
    }


def _compute(
    cohort: Cohort, run_settings: dict[str, Any], progress: Progress | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The engine document of the cohort and the engine's answer (pairs with their reasons,
    unmatched, stats, and each person's best partners as ``"alternatives"``).

    The cohort's ended pairs (:func:`ended_forbids`) are forbidden too; their ids are added
    to the settings as ``"ended"`` (the run review lists them)."""
    ended = list(ended_forbids(cohort).values_list("pk", "experienced_id", "learning_id"))
    pinned = {tuple(p) for p in run_settings["pinned"]}
    if clash := [pk for pk, e, lrn in ended if (e, lrn) in pinned]:
        pair = Partnership.objects.select_related("experienced", "learning").get(pk=clash[0])
        raise CannotMatch(
            _(
                "%(experienced)s and %(learning)s ended their partnership: allow them to be "
                "paired again on a run review before pinning them."
            )
            % {"experienced": pair.experienced.full_name, "learning": pair.learning.full_name}
        )
    run_settings["ended"] = [pk for pk, _e, _l in ended]
    data = engine_input(
        cohort,
        weights=run_settings["weights"],
        min_overlap_hours=run_settings["min_overlap_hours"],
        pinned=run_settings["pinned"],
        forbidden=[*run_settings["forbidden"], *([e, lrn] for _pk, e, lrn in ended)],
    )
    return data, solve(data, alternatives=ALTERNATIVES, progress=progress)


def _store(run: MatchRun, data: dict[str, Any], result: dict[str, Any]) -> MatchRun:
    """Save a computed run, its proposals (the new pairs) and the activity log entry."""
    run.alternatives = result.pop("alternatives", {})
    run.input, run.result = data, result
    run.summary, run.unmatched = result.get("stats", {}), result.get("unmatched", [])
    run.status, run.stage = MatchRun.Status.DONE, MatchRun.Stage.DONE
    run.progress, run.error = 100, ""
    run.save()
    _forget(run.pk)
    kept = {tuple(p) for p in data["keep"]}
    pinned = {tuple(p) for p in data["pinned"]}
    Partnership.objects.bulk_create(
        (
            Partnership(
                cohort_id=run.cohort_id,
                run=run,
                experienced_id=app_pk(p["experienced"]),
                learning_id=app_pk(p["learning"]),
                score=p["score"],
                overlap_hours=p["overlap_hours"],
                reasons=p["reasons"],
                pinned=(p["experienced"], p["learning"]) in pinned,
            )
            for p in result["pairs"]
            if (p["experienced"], p["learning"]) not in kept
        ),
        batch_size=500,
    )
    stats = result["stats"]
    log_activity(
        run.created_by,
        "pairing.run",
        f"Match run #{run.pk}: {stats['pairs']} pairs, "
        f"{stats['gap_matched']} GAP matched, {stats['unmatched_learning']} unmatched",
        cohort=run.cohort,
        run=run.pk,
    )
    return run


@transaction.atomic
def run_match(
    cohort: Cohort,
    *,
    actor,
    weights: dict[str, float] | None = None,
    min_overlap_hours: float = 1.0,
    pinned: Sequence[Sequence[int]] = (),
    forbidden: Sequence[Sequence[int]] = (),
) -> MatchRun:
    """Run the engine now, store the run and its proposed (new) pairs.

    Raises ``PairingInputError`` (a ValueError) with a message naming the participant when an
    application cannot be matched as entered (e.g. a pinned pair over capacity); nothing is
    stored then. Web pages call :func:`tandem.partnerships.tasks.start_match`, which runs a
    large cohort's match as a task instead. Raises ``CannotMatch`` while nobody (or only one
    side) can be matched (:func:`check_matchable`)."""
    check_matchable(cohort)
    run = MatchRun(
        cohort=cohort,
        created_by=actor,
        settings=_run_settings(weights, min_overlap_hours, pinned, forbidden),
    )
    data, result = _compute(cohort, run.settings)
    return _store(run, data, result)


def runs_in_background(cohort: Cohort) -> bool:
    """Whether a match of the cohort is too large to run in a web request
    (more accepted participants than ``TANDEM_SYNC_MATCH_LIMIT``)."""
    return accepted_applications(cohort).count() > settings.TANDEM_SYNC_MATCH_LIMIT


def queue_match(
    cohort: Cohort,
    *,
    actor,
    weights: dict[str, float] | None = None,
    min_overlap_hours: float = 1.0,
    pinned: Sequence[Sequence[int]] = (),
    forbidden: Sequence[Sequence[int]] = (),
) -> MatchRun:
    """Store a *queued* run with its settings, for :func:`compute_queued_run` (a task).
    Raises ``CannotMatch`` as :func:`run_match` does."""
    check_matchable(cohort)
    run = MatchRun.objects.create(
        cohort=cohort,
        created_by=actor,
        settings=_run_settings(weights, min_overlap_hours, pinned, forbidden),
        status=MatchRun.Status.QUEUED,
        stage=MatchRun.Stage.QUEUED,
        progress=0,
    )
    _forget(run.pk)
    log_activity(actor, "pairing.run_queued", f"Match run #{run.pk} queued", cohort=cohort)
    return run


def _report(run: MatchRun, status: str, stage: str, error: str = "") -> None:
    """Write a run's status and progress at once (outside any transaction, so that the run
    page polling it sees each stage)."""
    run.status, run.stage, run.error = status, stage, error
    run.progress = MatchRun.PROGRESS.get(stage, run.progress)
    MatchRun.objects.filter(pk=run.pk).update(
        status=status, stage=stage, progress=run.progress, error=error
    )


def compute_queued_run(run_id: int) -> MatchRun:
    """Compute a queued run: running (with its stages) → done, or failed with the error.

    A run that is no longer queued (another worker took it, or a retry) is left alone. The
    engine refusing the input (a ``PairingInputError``) fails the run with its message; any
    other error fails it too, and is raised again for the task's own record."""
    run = MatchRun.objects.select_related("cohort", "created_by").get(pk=run_id)
    claimed = MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING
    )
    if not claimed:
        return run
    _report(run, MatchRun.Status.RUNNING, MatchRun.Stage.READING)
    try:
        data, result = _compute(
            run.cohort,
            run.settings,
            progress=lambda stage: _report(run, MatchRun.Status.RUNNING, stage),
        )
        _report(run, MatchRun.Status.RUNNING, MatchRun.Stage.SAVING)
        with transaction.atomic():
            _store(run, data, result)
    except (PairingInputError, CannotMatch) as error:
        _report(run, MatchRun.Status.FAILED, run.stage, str(error))
    except Exception as error:
        _report(
            run,
            MatchRun.Status.FAILED,
            run.stage,
            _("The run stopped with an unexpected error (%(error)s).") % {"error": error},
        )
        raise
    return run


def runs_for(cohort: Cohort) -> QuerySet[MatchRun]:
    """The cohort's runs for the comparison table: their summary numbers (``stats``) without
    the large documents (input, result, alternatives: megabytes each for a large cohort)."""
    return (
        MatchRun.objects.filter(cohort=cohort)
        .select_related("created_by", "cohort")
        .defer("input", "result", "alternatives", "unmatched")
        .annotate(
            approved_count=Coalesce(
                Subquery(
                    Partnership.objects.filter(run=OuterRef("pk"), status__in=Partnership.ACTIVE)
                    .values("run")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
        )
    )


# --- Review actions --------------------------------------------------------------------------


@transaction.atomic
def approve(pair: Partnership, *, actor) -> Partnership:
    """Approve a proposed pair, safely under concurrency.

    Both applications are locked (``SELECT … FOR UPDATE`` on PostgreSQL), the capacity of the
    experienced lead is checked, and the partial unique constraint on the learning lead
    refuses a second active pair even if two transactions race."""
    locked = {
        a.pk: a
        for a in Application.objects.select_for_update().filter(
            pk__in=[pair.experienced_id, pair.learning_id]
        )
    }
    pair = Partnership.objects.select_for_update().get(pk=pair.pk)
    if pair.status != Partnership.Status.PROPOSED:
        raise PairingConflict(_("This pair is not a proposal any more."))
    gone = [a for a in locked.values() if a.status != Application.Status.ACCEPTED]
    if gone:
        raise PairingConflict(
            _("%(name)s is no longer an accepted participant (%(status)s).")
            % {"name": gone[0].full_name, "status": gone[0].get_status_display().lower()}
        )
    experienced = locked[pair.experienced_id]
    capacity = profile(experienced).capacity
    taken = Partnership.objects.filter(
        experienced=experienced, status__in=Partnership.ACTIVE
    ).count()
    if taken >= capacity:
        raise PairingConflict(at_capacity(experienced.full_name, taken, capacity))
    roles = Partnership.objects.filter(status__in=Partnership.ACTIVE, cohort=pair.cohort)
    if roles.filter(Q(learning=experienced) | Q(experienced_id=pair.learning_id)).exists():
        raise PairingConflict("One of these people already has an active pair in the other role.")
    pair.status = Partnership.Status.APPROVED
    pair.approved_by, pair.approved_at = actor, timezone.now()
    try:
        with transaction.atomic():
            pair.save(update_fields=["status", "approved_by", "approved_at"])
    except IntegrityError as error:
        raise PairingConflict(
            f"{locked[pair.learning_id].full_name} already has an approved partner."
        ) from error
    log_activity(actor, "pairing.approved", f"Approved {pair}", cohort=pair.cohort, pair=pair.pk)
    return pair


@transaction.atomic
def approve_run(run: MatchRun, *, actor) -> tuple[int, list[str]]:
    """Approve every proposal of a run that still fits; returns (approved, problems).

    The same checks as :func:`approve`, pair by pair in the run's order (best score first),
    made for all proposals at once: every application involved is locked in one query (so a
    concurrent :func:`approve` of any of them waits, then sees these approvals), capacities,
    taken places and roles are read in three more, and the approvals and their log entries
    are written in one statement each, whatever the number of pairs."""
    proposals = list(
        Partnership.objects.select_for_update(of=("self",))
        .filter(run=run, status=Partnership.Status.PROPOSED)
        .select_related("experienced", "learning")
    )
    if not proposals:
        return 0, []
    people = {p.experienced_id for p in proposals} | {p.learning_id for p in proposals}
    locked = {
        a.pk: a
        for a in Application.objects.select_for_update(of=("self",))
        .filter(pk__in=people)
        .select_related("pairing_profile")
        .order_by("pk")
    }
    active = Partnership.objects.filter(status__in=Partnership.ACTIVE)
    taken = Counter(
        active.filter(experienced_id__in=people).values_list("experienced_id", flat=True)
    )
    learning_taken = set(
        active.filter(learning_id__in=people).values_list("learning_id", flat=True)
    )
    in_cohort = active.filter(cohort_id=run.cohort_id)
    as_learning = set(in_cohort.values_list("learning_id", flat=True))
    as_experienced = set(in_cohort.values_list("experienced_id", flat=True))
    approved, problems = [], []
    for pair in proposals:
        experienced, learning = locked[pair.experienced_id], locked[pair.learning_id]
        gone = [a for a in (experienced, learning) if a.status != Application.Status.ACCEPTED]
        capacity = profile(experienced).capacity
        if gone:
            problems.append(
                _("%(name)s is no longer an accepted participant (%(status)s).")
                % {"name": gone[0].full_name, "status": gone[0].get_status_display().lower()}
            )
        elif taken[experienced.pk] >= capacity:
            problems.append(at_capacity(experienced.full_name, taken[experienced.pk], capacity))
        elif experienced.pk in as_learning or learning.pk in as_experienced:
            problems.append("One of these people already has an active pair in the other role.")
        elif learning.pk in learning_taken:
            problems.append(f"{learning.full_name} already has an approved partner.")
        else:
            approved.append(pair)
            taken[experienced.pk] += 1
            learning_taken.add(learning.pk)
            as_learning.add(learning.pk)
            as_experienced.add(experienced.pk)
    now = timezone.now()
    Partnership.objects.filter(pk__in=[p.pk for p in approved]).update(
        status=Partnership.Status.APPROVED, approved_by=actor, approved_at=now
    )
    for pair in approved:
        pair.status, pair.approved_by, pair.approved_at = Partnership.Status.APPROVED, actor, now
    log_activities(
        actor,
        "pairing.approved",
        ((f"Approved {pair}", {"pair": pair.pk}) for pair in approved),
        cohort=run.cohort,
    )
    return len(approved), problems


def ended_forbids(cohort: Cohort) -> QuerySet[Partnership]:
    """The cohort's ended pairs that later runs must not propose again: both people still
    accepted, not allowed again by staff (:func:`allow_rematch`), not active again."""
    active_again = Partnership.objects.filter(
        cohort=OuterRef("cohort"),
        experienced=OuterRef("experienced"),
        learning=OuterRef("learning"),
        status__in=Partnership.ACTIVE,
    )
    return Partnership.objects.filter(
        cohort=cohort,
        status=Partnership.Status.ENDED,
        rematch_allowed_at__isnull=True,
        experienced__status=Application.Status.ACCEPTED,
        learning__status=Application.Status.ACCEPTED,
    ).exclude(Exists(active_again))


@transaction.atomic
def allow_rematch(pair: Partnership, *, actor, note: str) -> int:
    """Let later runs propose an ended pair's two people again (every ended pair of theirs in
    the cohort); the note is logged. Returns how many ended pairs were allowed."""
    note = note.strip()
    if pair.status != Partnership.Status.ENDED:
        raise PairingConflict(_("Only an ended pair is forbidden in later runs."))
    if not note:
        raise PairingConflict(_("Please say why they may be paired again."))
    allowed = Partnership.objects.filter(
        cohort_id=pair.cohort_id,
        experienced_id=pair.experienced_id,
        learning_id=pair.learning_id,
        status=Partnership.Status.ENDED,
        rematch_allowed_at__isnull=True,
    ).update(rematch_allowed_at=timezone.now(), rematch_note=note)
    log_activity(
        actor,
        "pairing.rematch_allowed",
        f"{pair.experienced.full_name} and {pair.learning.full_name} may be paired again: {note}",
        cohort=pair.cohort,
        pair=pair.pk,
        note=note,
    )
    return allowed


def remove(pair: Partnership, *, actor) -> None:
    if pair.status != Partnership.Status.PROPOSED:
        raise PairingConflict("Only proposals can be removed; end an approved pair instead.")
    log_activity(actor, "pairing.removed", f"Removed proposal {pair}", cohort=pair.cohort)
    pair.delete()


def _as_scored(run: MatchRun) -> dict[str, Any]:
    """The run's engine document as a swap is scored: the run's cohort and settings, without
    its forbidden pairs (staff may swap to anyone feasible)."""
    return {**run.input, "forbidden": []}


# The engine documents of the last few finished runs scored in this process, with what the
# engine reads of the whole cohort for them (``cohort_corpus``): a finished run's input never
# changes, so a swap search parses a large cohort once, not at every key typed. A run stored
# again (``_store``, ``queue_match``) is forgotten, so a reused id never reads another's.
_SCORING: OrderedDict[int, tuple[dict[str, Any], Corpus]] = OrderedDict()
_SCORING_LOCK = threading.Lock()
_SCORING_RUNS = 4


def _forget(run_pk: int | None) -> None:
    with _SCORING_LOCK:
        _SCORING.pop(run_pk, None)


def _scoring(run: MatchRun) -> tuple[dict[str, Any], Corpus | None]:
    """The run's document as scored (see ``_as_scored``) and its corpus, cached if done."""
    if run.status != MatchRun.Status.DONE:
        return _as_scored(run), None
    with _SCORING_LOCK:
        if run.pk in _SCORING:
            _SCORING.move_to_end(run.pk)
            return _SCORING[run.pk]
    data = _as_scored(run)
    entry = (data, cohort_corpus(data))
    with _SCORING_LOCK:
        _SCORING[run.pk] = entry
        while len(_SCORING) > _SCORING_RUNS:
            _SCORING.popitem(last=False)
    return entry


def score_pair(run: MatchRun, experienced_pk: int, learning_pk: int) -> dict | None:
    """The engine's verdict on one pair with the run's settings and cohort: its score is the one
    the run gave (or would have given) that pair (None if infeasible or not in the run)."""
    ranked = score_candidates(run, experienced_pk, [learning_pk], reasons=True)
    return ranked[0] if ranked else None


def score_candidates(
    run: MatchRun, experienced_pk: int, learning_pks: Sequence[int], *, reasons: bool = False
) -> list[dict]:
    """The feasible pairs of the run's experienced lead with the given learning leads, best
    score first (then by name order as given): one engine call for all of them."""
    data, corpus = _scoring(run)
    learning_ids = {p["id"] for p in data.get("learning", [])}
    if pid(experienced_pk) not in {p["id"] for p in data.get("experienced", [])}:
        return []
    pairs = [[pid(experienced_pk), pid(pk)] for pk in learning_pks if pid(pk) in learning_ids]
    scored = [p for p in score_pairs(data, pairs, reasons=reasons, corpus=corpus) if p is not None]
    return sorted(scored, key=lambda p: -p["score"])  # stable: ties keep the given order


def free_learners(run: MatchRun) -> QuerySet[Application]:
    """The run's learning leads who can still be given a partner: still accepted, with no
    approved or published pair."""
    run_ids = [app_pk(p["id"]) for p in _scoring(run)[0].get("learning", [])]
    taken = Partnership.objects.filter(
        cohort_id=run.cohort_id, status__in=Partnership.ACTIVE
    ).values("learning_id")
    return (
        Application.objects.filter(
            cohort_id=run.cohort_id, pk__in=run_ids, status=Application.Status.ACCEPTED
        )
        .exclude(pk__in=taken)
        .order_by("full_name", "pk")
    )


#: At most this many learning leads are offered for a swap at once (best first).
SWAP_OPTIONS = 10


def swap_options(pair: Partnership, query: str = "", limit: int = SWAP_OPTIONS) -> list[dict]:
    """The free learning leads a proposal's experienced lead is best paired with instead,
    best score first, at most ``limit``: ``[{"application", "score", "overlap_hours"}]``.

    ``query`` keeps those whose name or member ID contains it. Every free learning lead of the
    run can be found this way (the engine scores all candidates in one call)."""
    candidates = (
        swap_candidates(pair)
        .select_related("organization")
        .only("pk", "full_name", "is_gap", "organization__symbol")
    )
    query = query.strip()
    if query:
        candidates = candidates.filter(
            Q(full_name__icontains=query) | Q(organization__symbol__icontains=query)
        )
    by_pk = {a.pk: a for a in candidates}
    ranked = score_candidates(pair.run, pair.experienced_id, list(by_pk))
    return [
        {
            "application": by_pk[app_pk(p["learning"])],
            "score": p["score"],
            "overlap_hours": p["overlap_hours"],
        }
        for p in ranked[:limit]
    ]


def swap_candidates(pair: Partnership) -> QuerySet[Application]:
    """Learning leads a proposal can be swapped to (its current one excluded)."""
    return free_learners(pair.run).exclude(pk=pair.learning_id)


@transaction.atomic
def swap(pair: Partnership, learning: Application, *, actor) -> Partnership:
    """Give the proposal's experienced lead another learning partner (must be feasible)."""
    if pair.status != Partnership.Status.PROPOSED:
        raise PairingConflict(_("Only proposals can be changed."))
    if not swap_candidates(pair).filter(pk=learning.pk).exists():
        raise PairingConflict(
            _(
                "%(name)s cannot be offered: not an accepted learning lead of this run "
                "without a partner."
            )
            % {"name": learning.full_name}
        )
    verdict = score_pair(pair.run, pair.experienced_id, learning.pk)
    if verdict is None:
        raise PairingConflict(
            f"{pair.experienced.full_name} and {learning.full_name} cannot be "
            "paired: no shared language, same organisation or too little overlap."
        )
    Partnership.objects.filter(
        run=pair.run, learning=learning, status=Partnership.Status.PROPOSED
    ).exclude(pk=pair.pk).delete()
    pair.learning = learning
    pair.score, pair.overlap_hours = verdict["score"], verdict["overlap_hours"]
    pair.reasons = [{"code": "swapped", "params": {}}, *verdict["reasons"]]
    pair.save()
    log_activity(actor, "pairing.swapped", f"Swapped: {pair}", cohort=pair.cohort, pair=pair.pk)
    return pair


@transaction.atomic
def publish(cohort: Cohort, *, actor, notify: bool = True) -> int:
    """Publish approved pairs: both partners see them and get an e-mail (sent once)."""
    pairs = list(
        active_pairs(cohort)
        .filter(status=Partnership.Status.APPROVED)
        .select_for_update(of=("self",))
    )
    now = timezone.now()
    topics = topic_names(pairs) if notify else {}
    for pair in pairs:
        pair.status, pair.published_at = Partnership.Status.PUBLISHED, now
        pair.save(update_fields=["status", "published_at"])
        for me in (pair.experienced, pair.learning) if notify else ():
            other = pair.partner_of(me)
            email_applicant(
                me,
                kind="pair-published",
                template="partner_published",
                context={
                    "me": me,
                    "partner": other,
                    "pair": pair,
                    "topics": topics,
                    "cohort": cohort,
                    "url": settings.TANDEM_BASE_URL + reverse("home"),
                },
                dedupe_key=f"pair-published:{pair.pk}:{me.pk}",
            )
    if pairs:
        signals.pairs_published.send(sender=Partnership, pairs=pairs, actor=actor)
        log_activity(
            actor,
            "pairing.published",
            f"Published {len(pairs)} pairs",
            cohort=cohort,
        )
    return len(pairs)


@transaction.atomic
def end(
    pair: Partnership, *, actor, reason: str, leaving: Application | None = None
) -> Partnership:
    """End a pair. ``leaving`` (if any) withdraws from the cohort, which ends their other pairs
    too; the partner who stays is told (if the pair was published) and stays matchable."""
    if not pair.is_active:
        raise PairingConflict(_("This pair is not active."))
    _end_pair(pair, actor=actor, reason=reason, leaving=leaving)
    if leaving is not None and leaving.status != Application.Status.WITHDRAWN:
        withdraw(leaving, actor=actor, reason=reason)  # ends their other pairs (signal)
    return pair


def _end_pair(pair: Partnership, *, actor, reason: str, leaving: Application | None) -> Partnership:
    was_published = pair.status == Partnership.Status.PUBLISHED
    pair.status, pair.ended_at, pair.ended_by = Partnership.Status.ENDED, timezone.now(), actor
    pair.end_reason = reason
    pair.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
    log_activity(
        actor,
        "pairing.ended",
        f"Ended {pair}: {reason}",
        cohort=pair.cohort,
        pair=pair.pk,
        leaving=leaving.pk if leaving else None,
    )
    if was_published:
        for stays in (pair.experienced, pair.learning):
            if leaving is not None and stays.pk == leaving.pk:
                continue
            email_applicant(
                stays,
                kind="pair-ended",
                template="partner_ended",
                context={
                    "me": stays,
                    "partner": pair.partner_of(stays),
                    "left": leaving is not None and leaving.pk != stays.pk,
                    "cohort": pair.cohort,
                    "url": settings.TANDEM_BASE_URL + reverse("home"),
                },
                dedupe_key=f"pair-ended:{pair.pk}:{stays.pk}",
            )
    return pair


def end_pairs_of(application: Application, *, actor, reason: str) -> int:
    """End every active pair of ``application`` and drop its open proposals (it no longer
    takes part). Receiver of :data:`tandem.applications.signals.participation_ended`."""
    pairs = Partnership.objects.select_for_update().filter(
        Q(experienced=application) | Q(learning=application)
    )
    ended = 0
    for pair in pairs.filter(status__in=Partnership.ACTIVE).select_related(
        "cohort", "experienced__applicant", "learning__applicant"
    ):
        _end_pair(pair, actor=actor, reason=reason, leaving=application)
        ended += 1
    pairs.filter(status=Partnership.Status.PROPOSED).delete()
    return ended


# --- What participants see -------------------------------------------------------------------


def partnerships_of(user) -> list[tuple[Partnership, Application, Application]]:
    """(pair, me, partner) for the user's published pairs.

    The person's applications are looked up first (by the applicant index), so that the pairs
    are found through the experienced and learning indexes, not by joining every pair of every
    cohort to its applications."""
    mine = list(Application.objects.filter(applicant=user).values_list("pk", flat=True))
    if not mine:
        return []
    pairs = Partnership.objects.filter(
        Q(experienced_id__in=mine) | Q(learning_id__in=mine),
        status=Partnership.Status.PUBLISHED,
    ).select_related(
        "cohort",
        "experienced__organization",
        "learning__organization",
        "experienced__applicant",
        "learning__applicant",
    )
    result = []
    for pair in pairs:
        me = pair.experienced if pair.experienced.applicant_id == user.pk else pair.learning
        result.append((pair, me, pair.partner_of(me)))
    return result


def topic_names(pairs: Iterable[Partnership]) -> dict[str, str]:
    """Slug → vocabulary name of the topics the pairs' reasons name (one query)."""
    slugs = {
        need["topic"]
        for pair in pairs
        for r in pair.reasons
        if isinstance(r, dict) and r.get("code") == "needs"
        for need in (r.get("params") or {}).get("covered", [])
    }
    if not slugs:
        return {}
    return dict(Topic.objects.filter(slug__in=slugs).values_list("slug", "name"))


def expertise_of(applications: Iterable[Application]) -> dict[int, list[ApplicationTopic]]:
    """Application id → its expertise topics (with their topic), in one query."""
    topics: dict[int, list[ApplicationTopic]] = {a.pk: [] for a in applications}
    rows = ApplicationTopic.objects.filter(
        application_id__in=list(topics), kind=ApplicationTopic.Kind.EXPERTISE
    ).select_related("topic")
    for row in rows:
        topics[row.application_id].append(row)
    return topics


def shared_windows(
    a: Application, b: Application, when: dt.date | None = None
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The pair's common weekly availability in the ISO week of ``when`` (UTC instants)."""
    when = when or timezone.now().date()
    monday = iso_weeks(when, when)[0]

    def schedule(app: Application) -> Schedule:
        return Schedule(
            app.timezone or "UTC", tuple(WeeklyWindow.parse(w) for w in app.availability)
        )

    try:
        left, right = utc_intervals(schedule(a), monday), utc_intervals(schedule(b), monday)
    except (ValueError, PairingInputError):
        return []
    out, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        lo, hi = max(left[i][0], right[j][0]), min(left[i][1], right[j][1])
        if hi > lo:
            out.append(
                (dt.datetime.fromtimestamp(lo, dt.UTC), dt.datetime.fromtimestamp(hi, dt.UTC))
            )
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return out


def names_by_id(apps: Iterable[Application]) -> dict[str, Application]:
    return {pid(a): a for a in apps}
