"""Workshop topics chosen with the cohort: participants propose topics and upvote them;
coordinators see the ranking next to how many applicants named the same vocabulary topic as a
challenge in their application (the announcement's "addressing common challenges"), and plan a
workshop from a proposal.

Reads (:func:`ranking`, :func:`applicant_counts`) cost the same few queries at any size; writes
take ``actor`` and go to the activity log.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Count, Exists, OuterRef, QuerySet, Value
from django.utils.translation import gettext as _

from tandem.applications.models import Application, ApplicationTopic
from tandem.cohorts.models import Cohort, Topic
from tandem.core.services import log_activity

from .models import TopicProposal, TopicVote, Workshop

#: Applications that count as "applicants": everything submitted (drafts and withdrawn not).
COUNTED = (
    Application.Status.SUBMITTED,
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
    Application.Status.DECLINED,
)


class ProposalError(Exception):
    """A proposal operation that is not allowed now (the message says why)."""


# --- Reads -------------------------------------------------------------------------------------


def ranking(cohort: Cohort, viewer=None) -> QuerySet[TopicProposal]:
    """The cohort's proposals, most votes first (then newest), each with ``vote_count`` and
    ``voted`` (whether ``viewer`` upvoted it), its topic, proposer and workshop: one query."""
    qs = TopicProposal.objects.filter(cohort=cohort).select_related(
        "topic", "proposed_by", "workshop"
    )
    votes = TopicVote.objects.filter(proposal=OuterRef("pk"))
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        voted = Exists(votes.filter(voter=viewer))
    else:
        voted = Value(False, output_field=BooleanField())
    return qs.annotate(vote_count=Count("votes", distinct=True), voted=voted).order_by(
        "-vote_count", "-created_at", "-pk"
    )


def applicant_counts(cohort: Cohort, topic_ids) -> dict[int, int]:
    """Topic id → how many of the cohort's applicants named it as a challenge, for the topics
    given (one aggregate query)."""
    ids = {pk for pk in topic_ids if pk is not None}
    if not ids:
        return {}
    rows = (
        ApplicationTopic.objects.filter(
            application__cohort=cohort,
            application__status__in=COUNTED,
            kind=ApplicationTopic.Kind.CHALLENGE,
            topic_id__in=ids,
        )
        .values("topic_id")
        .annotate(n=Count("application_id", distinct=True))
    )
    return {row["topic_id"]: row["n"] for row in rows}


def vote_count(proposal: TopicProposal) -> int:
    return TopicVote.objects.filter(proposal=proposal).count()


def proposal_for_planning(cohort: Cohort, pk) -> TopicProposal | None:
    """The cohort's proposal a "plan a workshop from this" link names (``?proposal=<pk>``), or
    ``None`` for a missing, malformed or foreign one."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return TopicProposal.objects.filter(cohort=cohort, pk=pk).select_related("topic").first()


def initial_from(proposal: TopicProposal | None) -> dict:
    """The workshop form's initial values from a proposal: its title, why, and topic."""
    if proposal is None:
        return {}
    initial = {"title": proposal.title, "description": proposal.description}
    if proposal.topic_id:
        initial["topics"] = [proposal.topic_id]
    return initial


# --- Writes ------------------------------------------------------------------------------------


def propose(
    cohort: Cohort, *, actor, title: str, description: str = "", topic: Topic | None = None
) -> TopicProposal:
    """A new proposal, upvoted by its proposer."""
    with transaction.atomic():
        proposal = TopicProposal.objects.create(
            cohort=cohort,
            title=title.strip(),
            description=description.strip(),
            topic=topic,
            proposed_by=actor,
        )
        TopicVote.objects.create(proposal=proposal, voter=actor)
        log_activity(
            actor,
            "workshops.topic_proposed",
            _("Proposed the workshop topic “%(title)s”") % {"title": proposal.title},
            cohort=cohort,
            proposal=proposal.pk,
        )
    return proposal


def toggle_vote(proposal: TopicProposal, *, actor) -> bool:
    """Upvote ``proposal``, or take the vote back if ``actor`` had voted; returns whether
    ``actor`` now votes for it. One vote per person (a database constraint: a double click
    racing itself still counts once)."""
    deleted, _rows = TopicVote.objects.filter(proposal=proposal, voter=actor).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            TopicVote.objects.create(proposal=proposal, voter=actor)
    except IntegrityError:
        pass  # the same person's other request voted a moment ago: one vote
    return True


def plan_from(proposal: TopicProposal, workshop: Workshop, *, actor) -> None:
    """Record that ``workshop`` was planned from ``proposal`` (same cohort only)."""
    if proposal.cohort_id != workshop.cohort_id:
        raise ProposalError(_("The proposal belongs to another cohort."))
    proposal.workshop = workshop
    proposal.save(update_fields=["workshop"])
    log_activity(
        actor,
        "workshops.topic_planned",
        _("Planned “%(workshop)s” from the proposal “%(title)s”")
        % {"workshop": workshop.title, "title": proposal.title},
        cohort=workshop.cohort,
        proposal=proposal.pk,
        workshop=workshop.pk,
    )


def withdraw(proposal: TopicProposal, *, actor) -> None:
    """Delete a proposal (its proposer, while no workshop is planned from it; or a
    coordinator)."""
    if proposal.workshop_id is not None:
        raise ProposalError(_("A workshop is planned from this proposal; it stays."))
    log_activity(
        actor,
        "workshops.topic_withdrawn",
        _("Withdrew the workshop topic “%(title)s”") % {"title": proposal.title},
        cohort=proposal.cohort,
        proposal=proposal.pk,
    )
    proposal.delete()
