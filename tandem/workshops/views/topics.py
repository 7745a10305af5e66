"""Workshop topics chosen with the cohort: the ranking, proposing, upvoting (in place with
htmx, or a plain form post), and for coordinators the applicants' matching challenges and a
"plan a workshop from this" link."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.cohorts.models import Cohort
from tandem.core.pagination import page_of

from .. import proposals
from ..forms.run import ProposalForm
from ..models import TopicProposal

PER_PAGE = 25


def _cohort(request, slug) -> Cohort:
    cohort = get_object_or_404(Cohort, slug=slug)
    if not request.user.has_perm("workshops.browse", cohort):
        raise PermissionDenied
    return cohort


def _proposal(request, slug, pk) -> TopicProposal:
    cohort = _cohort(request, slug)
    return get_object_or_404(
        proposals.ranking(cohort, request.user).select_related("cohort"), pk=pk
    )


@login_required
def topic_list(request, slug):
    cohort = _cohort(request, slug)
    can_propose = request.user.has_perm("workshops.propose_topic", cohort)
    form = ProposalForm(request.POST or None)
    if request.method == "POST":
        if not can_propose:
            raise PermissionDenied
        if form.is_valid():
            proposal = proposals.propose(
                cohort,
                actor=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                topic=form.cleaned_data["topic"],
            )
            messages.success(
                request, _("“%(title)s” is proposed, with your vote.") % {"title": proposal.title}
            )
            return redirect("workshops:topics", cohort.slug)
    page = page_of(request, proposals.ranking(cohort, request.user), per_page=PER_PAGE)
    manager = request.user.has_perm("workshops.manage", cohort)
    rows = list(page.object_list)
    if manager:
        counts = proposals.applicant_counts(cohort, [p.topic_id for p in rows])
        for p in rows:
            p.applicants = counts.get(p.topic_id, 0)
    return render(
        request,
        "workshops/topics_list.html",
        {
            "cohort": cohort,
            "page": page,
            "form": form,
            "can_propose": can_propose,
            "can_vote": rules.has_perm("workshops.vote", request.user, cohort),
            "manager": manager,
            "rows": rows,
            "plan_url": reverse("workshops:create", args=[cohort.slug]) if manager else "",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def topic_vote(request, slug, pk):
    proposal = _proposal(request, slug, pk)
    if not rules.has_perm("workshops.vote", request.user, proposal.cohort):
        raise PermissionDenied
    voted = proposals.toggle_vote(proposal, actor=request.user)
    if not request.htmx:
        return redirect(reverse("workshops:topics", args=[slug]) + f"#proposal-{proposal.pk}")
    proposal.voted, proposal.vote_count = voted, proposals.vote_count(proposal)
    return render(
        request,
        "workshops/topics_vote.html",
        {"p": proposal, "cohort": proposal.cohort, "can_vote": True},
    )


@require_POST
@login_required
def topic_delete(request, slug, pk):
    """Withdraw a proposal: its proposer, or a coordinator (moderation)."""
    proposal = _proposal(request, slug, pk)
    manager = request.user.has_perm("workshops.manage", proposal.cohort)
    if not manager and proposal.proposed_by_id != request.user.pk:
        raise PermissionDenied
    try:
        proposals.withdraw(proposal, actor=request.user)
    except proposals.ProposalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The proposal is withdrawn."))
    return redirect("workshops:topics", slug)
