from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from tandem.applications.models import Application
from tandem.cohorts.models import Cohort
from tandem.engines.pairing import PairingInputError

from . import services
from .forms import EndForm, RoleForm, RunForm, SwapForm
from .models import MatchRun, Partnership, Role

coordinator_only = permission_required("partnerships.run_matching", raise_exception=True)


def _split(cohort: Cohort):
    apps = list(services.accepted_applications(cohort))
    roles = {a.pk: services.effective_role(a) for a in apps}
    experienced = [a for a in apps if roles[a.pk] == Role.EXPERIENCED]
    learning = [a for a in apps if roles[a.pk] == Role.LEARNING]
    return apps, roles, experienced, learning


def _run_form(cohort, data=None):
    _, _, experienced, learning = _split(cohort)
    initial = {}
    last = MatchRun.objects.filter(cohort=cohort).first()
    if last:
        initial["min_overlap_hours"] = last.settings.get("min_overlap_hours", 1.0)
        for key, value in last.settings.get("weights", {}).items():
            initial[f"w_{key}"] = value
        for kind, key in (("pin", "pinned"), ("forbid", "forbidden")):
            for n, (e, lrn) in enumerate(last.settings.get(key, [])[:5]):
                initial[f"{kind}_{n}_e"], initial[f"{kind}_{n}_l"] = e, lrn
    return RunForm(data, initial=initial, experienced=experienced, learning=learning)


def _render_home(request, cohort: Cohort, form: RunForm, status: int = 200):
    """The pairing page: roles, the run form (fresh or with errors), runs and pairs."""
    apps, roles, _, _ = _split(cohort)
    rows = [(a, roles[a.pk], services.proposed_role(a), services.profile(a)) for a in apps]
    pairs = services.active_pairs(cohort)
    context = {
        "cohort": cohort,
        "rows": rows,
        "form": form,
        "runs": services.runs_for(cohort)[:8],
        "pairs": pairs,
        "approved_count": pairs.filter(status="approved").count(),
    }
    return render(request, "partnerships/home.html", context, status=status)


@coordinator_only
def pairing_home(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    return _render_home(request, cohort, _run_form(cohort))


@require_POST
@coordinator_only
def set_role(request, slug, pk):
    app = get_object_or_404(Application, cohort__slug=slug, pk=pk, status="accepted")
    form = RoleForm(request.POST)
    if form.is_valid():
        services.set_role(
            app, form.cleaned_data["role"], form.cleaned_data["capacity"], actor=request.user
        )
        messages.success(request, _("%(name)s: role saved.") % {"name": app.full_name})
    else:
        messages.error(request, f"{app.full_name}: {form.errors.as_text()}")
    return redirect("partnerships:home", slug)


@require_POST
@coordinator_only
def run_create(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    form = _run_form(cohort, request.POST)
    if form.is_valid():
        try:
            run = services.run_match(
                cohort,
                actor=request.user,
                weights=form.weights(),
                min_overlap_hours=form.cleaned_data["min_overlap_hours"],
                pinned=form.pairs("pin"),
                forbidden=form.pairs("forbid"),
            )
        except PairingInputError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Match run #%(number)s finished.") % {"number": run.pk})
            return redirect("partnerships:run", slug, run.pk)
    return _render_home(request, cohort, form, status=400)


@coordinator_only
def run_detail(request, slug, pk):
    run = get_object_or_404(
        MatchRun.objects.select_related("cohort", "created_by"), cohort__slug=slug, pk=pk
    )
    cohort = run.cohort
    apps = {
        a.pk: a for a in Application.objects.filter(cohort=cohort).select_related("organization")
    }
    by_id = {services.pid(pk): a for pk, a in apps.items()}
    proposals = list(
        run.partnerships.select_related(
            "experienced__organization",
            "learning__organization",
            "experienced__applicant",
            "learning__applicant",
        ).order_by("-status", "-score")  # proposed first, then published, ended, approved
    )
    swap_choices = list(services.free_learners(run))  # only who can actually be taken
    rows = []
    for pair in proposals:
        rows.append(
            {
                "pair": pair,
                "windows": services.shared_windows(
                    pair.experienced, pair.learning, cohort.program_start
                ),
                "alt_e": [
                    (by_id.get(x["id"]), x)
                    for x in run.alternatives.get(services.pid(pair.experienced_id), [])
                ],
                "alt_l": [
                    (by_id.get(x["id"]), x)
                    for x in run.alternatives.get(services.pid(pair.learning_id), [])
                ],
                "swap": SwapForm(initial={"learning": pair.learning_id}, learning=swap_choices),
            }
        )
    unmatched = [(by_id.get(u["id"]), u["why"]) for u in run.result.get("unmatched", [])]
    return render(
        request,
        "partnerships/run.html",
        {
            "cohort": cohort,
            "run": run,
            "rows": rows,
            "open_count": sum(1 for p in proposals if p.status == "proposed"),
            "unmatched": unmatched,
            "people": by_id,
            "kept": services.active_pairs(cohort),
            "runs": services.runs_for(cohort)[:8],
        },
    )


def _pair(slug, pk) -> Partnership:
    return get_object_or_404(
        Partnership.objects.select_related(
            "cohort", "run", "experienced__applicant", "learning__applicant"
        ),
        cohort__slug=slug,
        pk=pk,
    )


def _back(pair: Partnership):
    if pair.run_id and pair.status == "proposed":
        return redirect("partnerships:run", pair.cohort.slug, pair.run_id)
    return redirect("partnerships:home", pair.cohort.slug)


@require_POST
@coordinator_only
def pair_action(request, slug, pk, action):
    pair = _pair(slug, pk)
    run_id = pair.run_id
    try:
        if action == "approve":
            services.approve(pair, actor=request.user)
            messages.success(
                request,
                _("Approved: %(experienced)s ↔ %(learning)s.")
                % {"experienced": pair.experienced.full_name, "learning": pair.learning.full_name},
            )
        elif action == "remove":
            services.remove(pair, actor=request.user)
            messages.info(request, _("Proposal removed."))
            return redirect("partnerships:run", slug, run_id)
        elif action == "swap":
            candidates = services.swap_candidates(pair)
            form = SwapForm(request.POST, learning=candidates)
            if not form.is_valid():
                raise services.PairingConflict(
                    _("Choose a learning lead who is still free (accepted, without a partner).")
                )
            services.swap(
                pair, candidates.get(pk=form.cleaned_data["learning"]), actor=request.user
            )
            messages.success(request, _("Partner swapped."))
        else:
            raise PermissionDenied
    except services.PairingConflict as error:
        messages.error(request, str(error))
    return redirect("partnerships:run", slug, run_id) if run_id else _back(pair)


@require_POST
@coordinator_only
def run_approve_all(request, slug, pk):
    run = get_object_or_404(MatchRun, cohort__slug=slug, pk=pk)
    done, problems = services.approve_run(run, actor=request.user)
    messages.success(request, _("%(count)s pair(s) approved.") % {"count": done})
    for problem in problems:
        messages.error(request, problem)
    return redirect("partnerships:home", slug)


@require_POST
@coordinator_only
def publish(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    count = services.publish(cohort, actor=request.user)
    messages.success(
        request,
        _("%(count)s pair(s) published; both partners were notified.") % {"count": count},
    )
    return redirect("partnerships:home", slug)


@require_POST
@login_required
def pair_end(request, slug, pk):
    pair = _pair(slug, pk)
    if not request.user.has_perm("partnerships.end_pair", pair):
        raise PermissionDenied
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason for ending the partnership."))
        return redirect("home")
    # Who may end any pair also says who leaves; a partner ending their own pair is the one leaving.
    manages = request.user.has_perm("partnerships.manage_pair", pair)
    if manages:
        leaving = {"experienced": pair.experienced, "learning": pair.learning}.get(
            form.cleaned_data["leaving"]
        )
    else:
        leaving = (
            pair.experienced if pair.experienced.applicant_id == request.user.pk else pair.learning
        )
    try:
        services.end(pair, actor=request.user, reason=form.cleaned_data["reason"], leaving=leaving)
    except services.PairingConflict as error:
        messages.error(request, str(error))
    else:
        messages.info(request, _("The partnership was ended."))
    return redirect("partnerships:home", slug) if manages else redirect("home")
