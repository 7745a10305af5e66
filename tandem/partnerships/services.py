"""Pairing in the app: roles, engine runs, review, approval, publication, withdrawal.

Django data is adapted to the pure engine's JSON (``tandem.engines.pairing``) here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.applications.models import Application
from tandem.applications.services import email_applicant, withdraw
from tandem.cohorts.models import Cohort
from tandem.core.services import log_activity
from tandem.engines.pairing import DEFAULT_WEIGHTS, PairingInputError, score, solve
from tandem.engines.timewindows import Schedule, WeeklyWindow, iso_weeks, utc_intervals

from . import signals
from .models import MatchRun, PairingProfile, Partnership, Role


class PairingConflict(Exception):
    """An approval would give someone more partners than allowed."""


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


def participant(app: Application, role: str) -> dict[str, Any]:
    record = {
        "id": pid(app),
        "name": app.full_name,
        "organization": app.organization.symbol if app.organization else f"none-{app.pk}",
        "timezone": app.timezone or "UTC",
        "languages": dict(app.languages),
        "expertise": app.topic_levels("expertise"),
        "goals": [app.goals] if app.goals else [],
        "availability": [list(w) for w in app.availability],
        "gap": bool(app.is_gap),
    }
    if role == Role.EXPERIENCED:
        record["capacity"] = profile(app).capacity
    else:
        record["needs"] = sorted(app.topic_levels("challenge"))
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
    apps = list(accepted_applications(cohort))
    present = {app.pk for app in apps}
    keep = [
        p for p in active_pairs(cohort) if p.experienced_id in present and p.learning_id in present
    ]
    in_pair = {p.experienced_id: Role.EXPERIENCED for p in keep} | {
        p.learning_id: Role.LEARNING for p in keep
    }
    kept_count = Counter(p.experienced_id for p in keep)
    experienced, learning = [], []
    for app in apps:
        role = in_pair.get(app.pk) or effective_role(app)
        record = participant(app, role)
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
        "keep": [[pid(p.experienced_id), pid(p.learning_id)] for p in keep],
        "pinned": between_participants(pinned),
        "forbidden": between_participants(forbidden),
        "settings": {
            "weights": weights or dict(DEFAULT_WEIGHTS),
            "min_overlap_hours": min_overlap_hours,
            "period": [cohort.program_start.isoformat(), cohort.program_end.isoformat()],
        },
    }


def _alternatives(data: dict[str, Any], top: int = 3) -> dict[str, list[dict]]:
    """Each participant's best ``top`` feasible partners with scores (from ``score``)."""
    best: dict[str, list[dict]] = {}
    for pair in score(data)["pairs"]:
        for me, other in (
            (pair["experienced"], pair["learning"]),
            (pair["learning"], pair["experienced"]),
        ):
            mine = best.setdefault(me, [])
            if len(mine) < top:
                mine.append(
                    {"id": other, "score": pair["score"], "overlap_hours": pair["overlap_hours"]}
                )
    return best


# --- Runs ------------------------------------------------------------------------------------


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
    """Run the engine, store the run and its proposed (new) pairs.

    Raises ``PairingInputError`` (a ValueError) with a message naming the participant when an
    application cannot be matched as entered (e.g. a pinned pair over capacity)."""
    data = engine_input(
        cohort,
        weights=weights,
        min_overlap_hours=min_overlap_hours,
        pinned=pinned,
        forbidden=forbidden,
    )
    result = solve(data)
    run = MatchRun.objects.create(
        cohort=cohort,
        created_by=actor,
        input=data,
        result=result,
        alternatives=_alternatives(data),
        settings={
            "weights": data["settings"]["weights"],
            "min_overlap_hours": min_overlap_hours,
            "pinned": [list(p) for p in pinned],
            "forbidden": [list(p) for p in forbidden],
        },
    )
    kept = {tuple(p) for p in data["keep"]}
    Partnership.objects.bulk_create(
        Partnership(
            cohort=cohort,
            run=run,
            experienced_id=app_pk(p["experienced"]),
            learning_id=app_pk(p["learning"]),
            score=p["score"],
            overlap_hours=p["overlap_hours"],
            reasons=p["reasons"],
            pinned=[p["experienced"], p["learning"]] in data["pinned"],
        )
        for p in result["pairs"]
        if (p["experienced"], p["learning"]) not in kept
    )
    stats = result["stats"]
    log_activity(
        actor,
        "pairing.run",
        f"Match run #{run.pk}: {stats['pairs']} pairs, "
        f"{stats['gap_matched']} GAP matched, {stats['unmatched_learning']} unmatched",
        cohort=cohort,
        run=run.pk,
    )
    return run


def runs_for(cohort: Cohort) -> QuerySet[MatchRun]:
    return (
        MatchRun.objects.filter(cohort=cohort)
        .select_related("created_by")
        .annotate(
            approved_count=Count(
                "partnerships", filter=Q(partnerships__status__in=Partnership.ACTIVE)
            )
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
        raise PairingConflict(
            f"{experienced.full_name} already has {taken} partner(s) (capacity {capacity})."
        )
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


def approve_run(run: MatchRun, *, actor) -> tuple[int, list[str]]:
    """Approve every proposal of a run that still fits; returns (approved, problems)."""
    done, problems = 0, []
    for pair in run.partnerships.filter(status=Partnership.Status.PROPOSED).select_related(
        "experienced", "learning"
    ):
        try:
            approve(pair, actor=actor)
            done += 1
        except PairingConflict as error:
            problems.append(str(error))
    return done, problems


def remove(pair: Partnership, *, actor) -> None:
    if pair.status != Partnership.Status.PROPOSED:
        raise PairingConflict("Only proposals can be removed; end an approved pair instead.")
    log_activity(actor, "pairing.removed", f"Removed proposal {pair}", cohort=pair.cohort)
    pair.delete()


def score_pair(run: MatchRun, experienced_pk: int, learning_pk: int) -> dict | None:
    """The engine's verdict on one pair with the run's settings (None if infeasible)."""
    data = run.input
    one = {
        "experienced": [p for p in data["experienced"] if p["id"] == pid(experienced_pk)],
        "learning": [p for p in data["learning"] if p["id"] == pid(learning_pk)],
        "settings": data["settings"],
    }
    if not one["experienced"] or not one["learning"]:
        return None
    one["experienced"][0] = {**one["experienced"][0], "capacity": 1}
    pairs = score(one)["pairs"]
    return pairs[0] if pairs else None


def free_learners(run: MatchRun) -> QuerySet[Application]:
    """The run's learning leads who can still be given a partner: still accepted, with no
    approved or published pair."""
    run_ids = [app_pk(p["id"]) for p in run.input.get("learning", [])]
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
                    "cohort": cohort,
                    "url": settings.TANDEM_BASE_URL + reverse("home"),
                },
                dedupe_key=f"pair-published:{pair.pk}:{me.pk}",
            )
    if pairs:
        signals.pairs_published.send(sender=Partnership, pairs=pairs, actor=actor)
        log_activity(actor, "pairing.published", f"Published {len(pairs)} pair(s)", cohort=cohort)
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
    """(pair, me, partner) for the user's published pairs."""
    pairs = (
        Partnership.objects.filter(
            Q(experienced__applicant=user) | Q(learning__applicant=user),
            status=Partnership.Status.PUBLISHED,
        )
        .select_related(
            "cohort",
            "experienced__organization",
            "learning__organization",
            "experienced__applicant",
            "learning__applicant",
        )
        .prefetch_related("experienced__topics__topic", "learning__topics__topic")
    )
    result = []
    for pair in pairs:
        me = pair.experienced if pair.experienced.applicant_id == user.pk else pair.learning
        result.append((pair, me, pair.partner_of(me)))
    return result


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
