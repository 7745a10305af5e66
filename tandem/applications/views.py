"""Application pages: apply, one application (decide, withdraw), the review list and its
CSV export."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from tandem.cohorts.models import Cohort
from tandem.core.pagination import page_of
from tandem.core.responses import bad_input
from tandem.core.urls import ID, url_maker

from . import selectors, services
from .forms import (
    ApplicationForm,
    AvailabilityFormSet,
    DecisionForm,
    LanguageFormSet,
    ReviewFilterForm,
    TopicsForm,
    consortia_datalist,
)
from .models import Application


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
        return render(request, "applications/closed.html", {"cohort": cohort}, status=403)
    application = selectors.application_for(cohort, request.user)
    if application and not request.user.has_perm("applications.edit", application):
        messages.info(request, _("This application has been decided and can no longer be changed."))
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
                request,
                "applications/closed.html",
                {"cohort": cohort, "reason": str(error)},
                status=403,
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
                    _(
                        "Application submitted. We did not send another confirmation e-mail: "
                        "several were sent recently."
                    ),
                )
            elif submit:
                messages.success(
                    request,
                    _("Application submitted. We sent a confirmation e-mail to %(email)s.")
                    % {"email": request.user.email},
                )
            else:
                messages.success(
                    request, _("Draft saved. You can come back and finish it until the deadline.")
                )
            return redirect(application)
    return render(
        request,
        "applications/apply.html",
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
    if not request.user.has_perm("applications.see", application):
        raise PermissionDenied(_("You cannot see this application."))
    return application


@login_required
def application_detail(request, slug, pk):
    application = _get_application(request, slug, pk)
    context = {
        "application": application,
        "cohort": application.cohort,
        "topics": application.topics.select_related("topic"),
    }
    if request.user.has_perm("applications.review"):
        if application.organization_id:
            context["other_leads"] = selectors.other_leads(application).select_related("applicant")
        context["decision_form"] = DecisionForm(
            initial={
                "decision": application.status
                if application.status in Application.DECISIONS
                else "",
                "note": application.decision_note,
            }
        )
    return render(request, "applications/detail.html", context)


@require_POST
@login_required
def application_decide(request, slug, pk):
    application = _get_application(request, slug, pk)
    if not request.user.has_perm("applications.review"):
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
                request,
                _("%(name)s: %(status)s.")
                % {"name": application.full_name, "status": application.get_status_display()},
            )
        return redirect("applications:review", slug)
    return render(
        request,
        "applications/detail.html",
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
    if not rules.has_perm("applications.withdraw", request.user, application):
        raise PermissionDenied
    services.withdraw(application, actor=request.user)
    messages.info(request, _("Your application was withdrawn."))
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


@permission_required("applications.review", raise_exception=True)
def review(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    form, filters, query = _review_filters(request)
    # Invalid filters list nothing (not everything): the answer is the form's errors.
    applications = Application.objects.none()
    if filters is not None:
        applications = selectors.review_list(cohort, filters)
    # One page of the list (?page=N); its links keep the filters and the sort.
    page = page_of(request, applications)
    detail_url = url_maker("applications:detail", cohort.slug, ID)
    for application in page:
        application.detail_url = detail_url(application.pk)
    context = {
        "cohort": cohort,
        "form": form,
        "applications": page,
        "page": page,
        # Made once per page, not per row (Django's get_FOO_display() rebuilds its choices on
        # every call; reverse() walks the resolver).
        "status_labels": {value: str(label) for value, label in Application.Status.choices},
        "role_labels": {value: str(label) for value, label in Application.RolePreference.choices},
        "duplicates": selectors.duplicate_consortia(cohort),
        "now": timezone.now(),
        "query": query,
        # An htmx refresh replaces the table only; the export link follows out of band.
        "export_link_oob": bool(request.htmx),
    }
    template = "applications/_review_table.html" if request.htmx else "applications/review.html"
    return render(request, template, context, status=400 if filters is None else 200)


@permission_required("applications.review", raise_exception=True)
def review_export(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    form, filters, _query = _review_filters(request)
    if filters is None:
        return bad_input(
            request,
            _("These filters are not valid, so nothing was exported."),
            [
                f"{name}: {message}"
                for name, messages in form.errors.items()
                for message in messages
            ],
        )
    # Streamed: every filtered application (not a page), read in chunks, in the list's order.
    response = StreamingHttpResponse(
        services.iter_csv(selectors.review_queryset(cohort, filters)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{cohort.slug}-applications.csv"'
    return response
