"""Cohort pages: a cohort's public page and the coordinators' cohort form."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from tandem.core.models import ActivityLog

from . import services
from .forms import CohortForm
from .models import Cohort


def cohort_detail(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    context = {"cohort": cohort, "is_open": cohort.is_open(), "phase": cohort.phase()}
    if request.user.is_authenticated:  # the reverse relation: cohorts never import applications
        context["application"] = cohort.applications.filter(applicant=request.user).first()
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
        messages.success(request, _("Cohort “%(name)s” saved.") % {"name": cohort.name})
        return redirect(cohort)
    return render(request, "cohorts/cohort_form.html", {"form": form, "cohort": cohort})
