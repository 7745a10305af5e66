from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from tandem.core.models import ActivityLog
from tandem.core.responses import bad_input
from tandem.core.timezones import local_date, person_zone
from tandem.meetings import services as meeting_services
from tandem.partnerships import services as partnership_services

from . import services
from .forms import (
    ApplicationForm,
    AvailabilityFormSet,
    CohortForm,
    DecisionForm,
    LanguageFormSet,
    ReviewFilterForm,
    TopicsForm,
    consortia_datalist,
)
from .models import Application, Cohort


def home(request):
    user = request.user
    context = {"open_cohorts": services.open_cohorts()}
    if user.is_authenticated and user.is_coordinator:
        context["cohorts"] = services.cohorts_with_counts()
        return render(request, "cohorts/coordinator_home.html", context)
    if user.is_authenticated:
        context["applications"] = Application.objects.filter(applicant=user).select_related(
            "cohort", "organization"
        )
        now = timezone.now()
        today = local_date(now, person_zone(user))  # the person's own date, not UTC's
        context["partners"] = [
            {
                "pair": pair,
                "me": me,
                "partner": partner,
                "windows": partnership_services.shared_windows(me, partner, today),
                "expertise": [t for t in partner.topics.all() if t.kind == "expertise"],
            }
            for pair, me, partner in partnership_services.partnerships_of(user)
        ]
        context["meetings"] = meeting_services.upcoming(meeting_services.meetings_for(user), now)[
            :10
        ]
        context["checkins"] = [
            (c, c.status(today))
            for c in meeting_services.checkins_for(user)
            if c.status(today) in ("due", "scheduled", "overdue")
        ]
        applied = {a.cohort_id for a in context["applications"]}
        context["open_cohorts"] = [c for c in context["open_cohorts"] if c.pk not in applied]
    return render(request, "cohorts/home.html", context)


def cohort_detail(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    context = {"cohort": cohort, "is_open": cohort.is_open(), "phase": cohort.phase()}
    if request.user.is_authenticated:
        context["application"] = services.application_for(cohort, request.user)
    if request.user.has_perm("cohorts.manage_cohort"):
        context["counts"] = services.cohorts_with_counts().get(pk=cohort.pk)
        context["activity"] = ActivityLog.objects.filter(cohort=cohort).select_related("actor")[:15]
    return render(request, "cohorts/cohort_detail.html", context)


@permission_required("cohorts.manage_cohort", raise_exception=True)
def cohort_edit(request, slug=None):
    cohort = get_object_or_404(Cohort, slug=slug) if slug else Cohort()
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        cohort = services.save_cohort(form.save(commit=False), actor=request.user)
        messages.success(request, f"Cohort “{cohort.name}” saved.")
        return redirect(cohort)
    return render(request, "cohorts/cohort_form.html", {"form": form, "cohort": cohort})


def _application_forms(request, application: Application, draft: bool):
    data = request.POST if request.method == "POST" else None
    initial_levels = {}
    if application.pk:
        initial_levels = {
            (t.kind, t.topic.slug): t.level for t in application.topics.select_related("topic")
        }
    return {
        "form": ApplicationForm(data, instance=application, draft=draft),
        # Initial rows only when unbound: a bound formset skips "unchanged" extra rows.
        "languages": LanguageFormSet(
            data,
            prefix="lang",
            initial=None
            if data
            else [{"code": c, "level": lvl} for c, lvl in application.languages.items()],
        ),
        "availability": AvailabilityFormSet(
            data,
            prefix="avail",
            initial=None
            if data
            else [{"day": d, "start": s, "end": e} for d, s, e in application.availability],
        ),
        "topics": TopicsForm(data, prefix="topics", initial_levels=initial_levels),
    }


@login_required
def apply(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    if not cohort.is_open():
        return render(request, "cohorts/closed.html", {"cohort": cohort}, status=403)
    application = services.application_for(cohort, request.user)
    if application and not request.user.has_perm("cohorts.change_application", application):
        messages.info(request, "This application has been decided and can no longer be changed.")
        return redirect(application)
    application = application or services.new_application(cohort, request.user)
    submit = request.POST.get("action") == "submit"
    forms = _application_forms(request, application, draft=not submit)
    if request.method == "POST" and all(f.is_valid() for f in forms.values()):
        application = forms["form"].save(commit=False)
        application.languages = forms["languages"].as_mapping()
        application.availability = forms["availability"].as_windows()
        try:
            services.save_application(application, topics=forms["topics"].levels(), submit=submit)
        except services.ApplicationClosed as error:
            return render(
                request, "cohorts/closed.html", {"cohort": cohort, "reason": str(error)}, status=403
            )
        except services.NotEligible as error:
            forms["form"].add_error("member_id", str(error))
        except ValueError as error:
            missing = error.args[0]
            for field, message in missing.items():
                if field in forms["form"].fields:
                    forms["form"].add_error(field, message)
                elif field == "organization":
                    forms["form"].add_error("member_id", message)
                else:
                    forms["form"].add_error(None, message)
        else:
            if submit and getattr(application, "confirmation_throttled", False):
                messages.warning(
                    request,
                    gettext(
                        "Application submitted. We did not send another confirmation e-mail: "
                        "several were sent recently."
                    ),
                )
            elif submit:
                messages.success(
                    request,
                    gettext("Application submitted. We sent a confirmation e-mail to %(email)s.")
                    % {"email": request.user.email},
                )
            else:
                messages.success(
                    request, "Draft saved. You can come back and finish it until the deadline."
                )
            return redirect(application)
    return render(
        request,
        "cohorts/apply.html",
        {
            "cohort": cohort,
            "application": application,
            "consortia": consortia_datalist(),
            **forms,
        },
    )


def _get_application(request, slug, pk) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("cohort", "organization", "applicant"),
        cohort__slug=slug,
        pk=pk,
    )
    if not request.user.has_perm("cohorts.view_application", application):
        raise PermissionDenied("You cannot see this application.")
    return application


@login_required
def application_detail(request, slug, pk):
    application = _get_application(request, slug, pk)
    context = {
        "application": application,
        "cohort": application.cohort,
        "topics": application.topics.select_related("topic"),
    }
    if request.user.has_perm("cohorts.review_applications"):
        if application.organization_id:
            context["other_leads"] = services.other_leads(application).select_related("applicant")
        context["decision_form"] = DecisionForm(
            initial={"decision": application.status, "note": application.decision_note}
        )
    return render(request, "cohorts/application_detail.html", context)


@require_POST
@login_required
def application_decide(request, slug, pk):
    application = _get_application(request, slug, pk)
    if not request.user.has_perm("cohorts.review_applications"):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(
                application,
                form.cleaned_data["decision"],
                form.cleaned_data["note"],
                actor=request.user,
            )
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{application.full_name}: {application.get_status_display()}."
            )
        return redirect("cohorts:review", slug)
    return render(
        request,
        "cohorts/application_detail.html",
        {
            "application": application,
            "cohort": application.cohort,
            "decision_form": form,
            "topics": application.topics.select_related("topic"),
        },
        status=400,
    )


@require_POST
@login_required
def application_withdraw(request, slug, pk):
    application = _get_application(request, slug, pk)
    # The rule itself, not user.has_perm: a superuser is not the applicant.
    if not rules.has_perm("cohorts.withdraw_application", request.user, application):
        raise PermissionDenied
    services.withdraw(application, actor=request.user)
    messages.info(request, "Your application was withdrawn.")
    return redirect("home")


def _review_filters(request) -> tuple[ReviewFilterForm, dict | None, str]:
    """The review filters of ``request``'s query string: the form, its cleaned filters (``None``
    when invalid) and the query string of the valid, non-empty filters.

    The list, its htmx refreshes and the CSV export all read the filters here, so the export is
    exactly the list on screen."""
    form = ReviewFilterForm(request.GET or None)
    if not form.is_bound:
        return form, {}, ""
    if not form.is_valid():
        return form, None, ""
    query = urlencode([(name, form.data[name]) for name in form.fields if form.data.get(name)])
    return form, form.cleaned_data, query


@permission_required("cohorts.review_applications", raise_exception=True)
def review(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    form, filters, query = _review_filters(request)
    context = {
        "cohort": cohort,
        "form": form,
        # Invalid filters list nothing (not everything): the answer is the form's errors.
        "applications": Application.objects.none()
        if filters is None
        else services.review_queryset(cohort, filters),
        "duplicates": services.duplicate_consortia(cohort),
        "now": timezone.now(),
        "query": query,
        # An htmx refresh replaces the table only; the export link follows out of band.
        "export_link_oob": bool(request.htmx),
    }
    template = "cohorts/_review_table.html" if request.htmx else "cohorts/review.html"
    return render(request, template, context, status=400 if filters is None else 200)


@permission_required("cohorts.review_applications", raise_exception=True)
def review_export(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    form, filters, _query = _review_filters(request)
    if filters is None:
        return bad_input(
            request,
            gettext("These filters are not valid, so nothing was exported."),
            [
                f"{name}: {message}"
                for name, messages in form.errors.items()
                for message in messages
            ],
        )
    response = HttpResponse(
        services.export_csv(services.review_queryset(cohort, filters)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{cohort.slug}-applications.csv"'
    return response
