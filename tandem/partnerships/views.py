from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from rules.contrib.views import permission_required

from tandem.applications.models import Application
from tandem.cohorts.models import Cohort
from tandem.core.pagination import page_of
from tandem.engines.pairing import PairingInputError

from . import display, selectors, services, tasks
from .forms import (
    AllowRematchForm,
    EndForm,
    RoleFilterForm,
    RoleForm,
    RunForm,
    SearchForm,
    SwapForm,
)
from .models import MatchRun, Partnership, Role

coordinator_only = permission_required("partnerships.run_matching", raise_exception=True)


def _query_without(request, *params: str) -> str:
    """The request's query string without ``params`` (a list's other filters and pages)."""
    query = request.GET.copy()
    for param in params:
        query.pop(param, None)
    return query.urlencode()


def _people(cohort: Cohort):
    """Look up the applications a run form names (for its pin and forbid selects)."""

    def people(pks):
        return services.with_roles(
            services.accepted_applications(cohort).prefetch_related(None).filter(pk__in=pks)
        )

    return people


def _run_form(cohort, data=None):
    initial = {}
    last = MatchRun.objects.filter(cohort=cohort).only("settings").first()
    if last:
        initial["min_overlap_hours"] = last.settings.get("min_overlap_hours", 1.0)
        for key, value in last.settings.get("weights", {}).items():
            initial[f"w_{key}"] = value
        for kind, key in (("pin", "pinned"), ("forbid", "forbidden")):
            for n, (e, lrn) in enumerate(last.settings.get(key, [])[:5]):
                initial[f"{kind}_{n}_e"], initial[f"{kind}_{n}_l"] = e, lrn
    return RunForm(data, initial=initial, people=_people(cohort))


def _render_home(request, cohort: Cohort, form: RunForm, status: int = 200):
    """The pairing page: the cohort's pairs, the run form (fresh or with errors), the runs and
    the roles, each long list one page at a time (its search and page kept in the address)."""
    filters = RoleFilterForm(request.GET)
    applicants = services.with_roles(services.accepted_applications(cohort).prefetch_related(None))
    if filters.is_valid():
        query, role = filters.cleaned_data["q"].strip(), filters.cleaned_data["role"]
        if query:
            applicants = applicants.filter(
                Q(full_name__icontains=query) | Q(organization__symbol__icontains=query)
            )
        if role:
            applicants = applicants.filter(pairing_role=role)
    else:
        applicants, status = applicants.none(), 400
    roles = page_of(request, applicants, param="roles_page")
    for app in roles:
        app.pairing_settings = services.profile(app)  # selected with it: no query
    pairs = services.active_pairs(cohort)
    context = {
        "cohort": cohort,
        "accepted_count": services.accepted_applications(cohort).count(),
        "roles": roles,
        "roles_query": _query_without(request, "roles_page"),
        "filters": filters,
        "form": form,
        "runs": services.runs_for(cohort)[:8],
        "pairs": page_of(request, pairs, param="pairs_page"),
        "pairs_query": _query_without(request, "pairs_page"),
        "approved_count": pairs.filter(status="approved").count(),
    }
    return render(request, "partnerships/home.html", context, status=status)


@coordinator_only
def pairing_home(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    return _render_home(request, cohort, _run_form(cohort))


_PICKER_FIELD = re.compile(r"^(pin|forbid)_[0-4]_(e|l)$")


@require_GET
@coordinator_only
def people_search(request, slug):
    """Search-as-you-type for a pin or a forbidden pair: the select of one slot of the run
    form (``?field=pin_0_e&pin_0_e_q=ana``), listing the accepted participants of that slot's
    role whose name or member ID matches, best first by name, at most ten."""
    cohort = get_object_or_404(Cohort, slug=slug)
    field = request.GET.get("field", "")
    if not _PICKER_FIELD.match(field):
        return HttpResponseBadRequest(_("Unknown field."))
    role = Role.EXPERIENCED if field.endswith("_e") else Role.LEARNING
    query = request.GET.get(f"{field}_q", "")[:100]
    found = list(services.find_participants(cohort, role, query))
    return render(
        request,
        "partnerships/_people_options.html",
        {"field": field, "found": found, "query": query.strip()},
    )


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
    back = reverse("partnerships:home", args=[slug])
    page = request.POST.get("back", "")
    return redirect(back + page if page.startswith("?") else back)


@require_POST
@coordinator_only
def run_create(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    form = _run_form(cohort, request.POST)
    if form.is_valid():
        try:
            run = tasks.start_match(
                cohort,
                actor=request.user,
                weights=form.weights(),
                min_overlap_hours=form.cleaned_data["min_overlap_hours"],
                pinned=form.pairs("pin"),
                forbidden=form.pairs("forbid"),
            )
        except (PairingInputError, services.CannotMatch) as error:
            form.add_error(None, str(error))
        else:
            if run.status == MatchRun.Status.DONE:
                messages.success(request, _("Match run #%(number)s finished.") % {"number": run.pk})
            elif run.status == MatchRun.Status.FAILED:
                messages.error(request, _("Match run #%(number)s failed.") % {"number": run.pk})
            else:
                messages.info(
                    request,
                    _(
                        "Match run #%(number)s is running in the background; this page shows "
                        "its progress and then its pairs."
                    )
                    % {"number": run.pk},
                )
            return redirect("partnerships:run", slug, run.pk)
    return _render_home(request, cohort, form, status=400)


def _run(slug, pk) -> MatchRun:
    """The run to show, without its large documents (input, result, alternatives: megabytes
    for a large cohort): its ``summary`` and ``unmatched`` are kept apart; the alternatives a
    page shows are read with :func:`selectors.alternatives_of`."""
    runs = (
        MatchRun.objects.select_related("cohort", "created_by")
        .defer("input", "result", "alternatives", "unmatched")
        .annotate(unmatched_count=selectors.JSONArrayLength("unmatched"))
    )
    return get_object_or_404(runs, cohort__slug=slug, pk=pk)


def _named_ids(reasons) -> set[str]:
    """Participant ids named in reasons' parameters (candidates, the best partner)."""
    out: set[str] = set()
    for item in reasons:
        params = item.get("params", {}) if isinstance(item, dict) else {}
        out.update(x for x in params.get("ids", []) if isinstance(x, str))
        if isinstance(params.get("best"), str):
            out.add(params["best"])
    return out


def _names_by_id(cohort: Cohort, ids: set[str]) -> dict[str, str]:
    """Engine id (``a42``) → full name, for the people a page names (alternatives, unmatched
    and the ids in their reasons): names only, not application objects (a page names about
    400 people)."""
    pks = [services.app_pk(x) for x in ids if x[1:].isdigit()]
    found = Application.objects.filter(cohort=cohort, pk__in=pks).values_list("pk", "full_name")
    return {services.pid(pk): name for pk, name in found}


def _forbidden_by_staff(cohort: Cohort, pairs) -> list[tuple[str, str]]:
    """The names of the pairs a run's settings forbade (at most five, one query)."""
    pks = {pk for pair in pairs for pk in pair}
    names = dict(
        Application.objects.filter(cohort=cohort, pk__in=pks).values_list("pk", "full_name")
    )
    return [(names.get(e, "—"), names.get(lrn, "—")) for e, lrn in pairs]


#: What a proposal of a run's review shows: the pair, and of each partner their name,
#: organisation, zones, languages and weekly availability (not their other answers).
PROPOSAL_COLUMNS = (
    "pk",
    "cohort_id",
    "run_id",
    "status",
    "score",
    "overlap_hours",
    "reasons",
    "pinned",
    *(
        f"{side}__{column}"
        for side in ("experienced", "learning")
        for column in (
            "full_name",
            "is_gap",
            "languages",
            "availability",
            "timezone",
            "organization__symbol",
            "organization__country",
            "applicant__timezone",
        )
    ),
)

#: Proposals per page of a run's review: each is a card of reasons (six to nine), shared hours
#: in both zones, six alternatives and a swap search, some fifteen lines tall; a page of ten is
#: a screenful or two, and each costs about 1 ms of server time (bench/load.py).
RUN_PAGE = 10
#: Unmatched people per page of a run's review, each with the sentence saying why.
UNMATCHED_PAGE = 20


@coordinator_only
def run_detail(request, slug, pk):
    """A run: while it is computed, its progress; then its proposals page by page (with a
    search), each with its shared hours, reasons, best alternatives and a swap search, and the
    unmatched and the kept pairs, also page by page."""
    run = _run(slug, pk)
    cohort = run.cohort
    context = {"cohort": cohort, "run": run, "runs": services.runs_for(cohort)[:8]}
    if run.status != MatchRun.Status.DONE:
        return render(request, "partnerships/run.html", context)
    search = SearchForm(request.GET)
    proposals = (
        run.partnerships.select_related(
            "experienced__organization",
            "learning__organization",
            "experienced__applicant",
            "learning__applicant",
        )
        .only(*PROPOSAL_COLUMNS)
        .order_by("-status", "-score", "pk")  # proposed first, then published, ended, approved
    )
    status = 200
    if not search.is_valid():
        proposals, status = proposals.none(), 400
    elif query := search.cleaned_data["q"].strip():
        proposals = proposals.filter(
            Q(experienced__full_name__icontains=query) | Q(learning__full_name__icontains=query)
        )
    # The three counts of the page in one query: the run's pairs, those still proposed, and
    # the cohort's kept pairs (approved or published, of any run).
    counts = Partnership.objects.filter(cohort=cohort).aggregate(
        proposals=Count("pk", filter=Q(run=run)),
        open=Count("pk", filter=Q(run=run, status=Partnership.Status.PROPOSED)),
        kept=Count("pk", filter=Q(status__in=Partnership.ACTIVE)),
    )
    searched = status != 200 or bool(search.cleaned_data.get("q", "").strip())
    page = page_of(
        request, proposals, per_page=RUN_PAGE, count=None if searched else counts["proposals"]
    )
    unmatched = page_of(
        request,
        selectors.StoredList(run, "unmatched", length=run.unmatched_count),
        per_page=UNMATCHED_PAGE,
        param="unmatched_page",
    )
    alternatives = selectors.alternatives_of(
        run, (services.pid(p) for pair in page for p in (pair.experienced_id, pair.learning_id))
    )
    wanted: set[str] = set()
    for pair in page:
        for person in (pair.experienced_id, pair.learning_id):
            wanted.update(x["id"] for x in alternatives.get(services.pid(person), []))
    wanted.update(u["id"] for u in unmatched)
    wanted |= _named_ids(u["why"] for u in unmatched)
    by_id = _names_by_id(cohort, wanted)
    forbidden = page_of(
        request,
        Partnership.objects.filter(cohort=cohort, pk__in=run.settings.get("ended", []))
        .select_related("experienced", "learning")
        .only(
            "pk",
            "ended_at",
            "end_reason",
            "rematch_allowed_at",
            "rematch_note",
            "experienced__full_name",
            "learning__full_name",
        )
        .order_by("-ended_at", "pk"),
        param="forbids_page",
    )
    rows = [
        display.proposal(
            pair,
            services.shared_windows(pair.experienced, pair.learning, cohort.program_start),
            alternatives,
            by_id,
            services.pid,
        )
        for pair in page
    ]
    context |= {
        "status_labels": {value: str(label) for value, label in Partnership.Status.choices},
        "gap_label": _("GAP"),
        "rows": rows,
        "page": page,
        "search": search,
        "query": _query_without(request, "page"),
        "open_count": counts["open"],
        "unmatched": [(by_id.get(u["id"]), u["why"]) for u in unmatched],
        "unmatched_page": unmatched,
        "unmatched_query": _query_without(request, "unmatched_page"),
        "people": by_id,
        "kept": page_of(
            request,
            Partnership.objects.filter(cohort=cohort, status__in=Partnership.ACTIVE).values_list(
                "experienced__full_name", "learning__full_name", "status"
            ),
            param="kept_page",
            count=counts["kept"],
        ),
        "kept_query": _query_without(request, "kept_page"),
        "forbidden_by_staff": _forbidden_by_staff(cohort, run.settings.get("forbidden", [])),
        "forbidden_ended": forbidden,
        "forbidden_query": _query_without(request, "forbids_page"),
    }
    return render(request, "partnerships/run.html", context, status=status)


@require_GET
@coordinator_only
def run_status(request, slug, pk):
    """The progress of a run, polled by its page (htmx); once the run is done the page reloads
    (``HX-Refresh``) to show its pairs. Outside htmx a finished run sends to its page."""
    run = get_object_or_404(
        MatchRun.objects.only(
            "pk", "cohort__slug", "status", "stage", "progress", "error"
        ).select_related("cohort"),
        cohort__slug=slug,
        pk=pk,
    )
    if run.status == MatchRun.Status.DONE:
        if not request.htmx:
            return redirect("partnerships:run", slug, run.pk)
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "partnerships/_run_status.html", {"run": run, "cohort": run.cohort})


@require_GET
@coordinator_only
def swap_search(request, slug, pk):
    """Search-as-you-type for a swap: the free learning leads the proposal's experienced lead
    would be best paired with instead (``?q=`` narrows by name or member ID), best first, at
    most ten, each with a button that swaps."""
    pair = get_object_or_404(
        Partnership.objects.select_related("cohort", "run", "experienced").defer(
            "run__input",
            "run__result",
            "run__alternatives",  # the input is read once, cached
        ),
        cohort__slug=slug,
        pk=pk,
    )
    query = request.GET.get("q", "")[:100]
    options = []
    if pair.status == Partnership.Status.PROPOSED and pair.run_id:
        options = services.swap_options(pair, query)
    return render(
        request,
        "partnerships/_swap_options.html",
        {"pair": pair, "cohort": pair.cohort, "options": options, "query": query.strip()},
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
            form = SwapForm(request.POST)
            learning = None
            if form.is_valid():
                learning = (
                    services.swap_candidates(pair).filter(pk=form.cleaned_data["learning"]).first()
                )
            if learning is None:
                raise services.PairingConflict(
                    _("Choose a learning lead who is still free (accepted, without a partner).")
                )
            services.swap(pair, learning, actor=request.user)
            messages.success(request, _("Partner swapped."))
        elif action == "allow_rematch":
            back = request.POST.get("run", "")
            back = MatchRun.objects.filter(
                cohort=pair.cohort, pk=int(back) if back.isdigit() else 0
            )
            run_id = back.values_list("pk", flat=True).first() or run_id
            form = AllowRematchForm(request.POST)
            if not form.is_valid():
                raise services.PairingConflict(_("Please say why they may be paired again."))
            services.allow_rematch(pair, actor=request.user, note=form.cleaned_data["note"])
            messages.success(
                request,
                _("%(experienced)s and %(learning)s may be paired again in the next run.")
                % {"experienced": pair.experienced.full_name, "learning": pair.learning.full_name},
            )
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
    messages.success(
        request,
        ngettext("%(count)s pair approved.", "%(count)s pairs approved.", done) % {"count": done},
    )
    for problem in problems:
        messages.error(request, problem)
    return redirect("partnerships:home", slug)


@require_POST
@coordinator_only
def publish(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    count, queued = tasks.start_publish(cohort, actor=request.user)
    if queued:
        messages.info(
            request,
            ngettext(
                "%(count)s approved pair is being published in the background; both partners "
                "are e-mailed as it goes.",
                "%(count)s approved pairs are being published in the background; both "
                "partners of each pair are e-mailed as it goes.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s pair published; both partners were notified.",
                "%(count)s pairs published; both partners were notified.",
                count,
            )
            % {"count": count},
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
