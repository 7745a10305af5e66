"""Running a workshop: its follow-up page (attendance and ratings per session, comments,
certificates), a session's roster for a phone (present/absent in place with htmx, or a plain
form post), the attendee's rating and certificate, and the materials."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.core.pagination import page_of
from tandem.core.uploads import document_response

from .. import attendance, certificates, materials
from ..forms.run import MaterialForm, RatingForm
from ..models import Material, Registration, Session, Workshop

MARKS = {"present": True, "absent": False, "unmarked": None}


def _workshop(request, slug, pk, perm: str) -> Workshop:
    """The workshop under its cohort's address: 404 for anyone who may not see it, 403 for
    someone who may see it but not do ``perm``."""
    workshop = get_object_or_404(
        Workshop.objects.select_related("cohort"), cohort__slug=slug, pk=pk
    )
    if not request.user.has_perm(perm, workshop):
        if request.user.has_perm("workshops.view", workshop):
            raise PermissionDenied
        raise Http404
    return workshop


def _session(request, slug, pk, perm: str | None = "workshops.run") -> Session:
    session = get_object_or_404(
        Session.objects.select_related("workshop__cohort"), workshop__cohort__slug=slug, pk=pk
    )
    if perm and not request.user.has_perm(perm, session.workshop):
        if request.user.has_perm("workshops.view", session.workshop):
            raise PermissionDenied
        raise Http404
    return session


def _own_registration(request, slug, pk, perm: str) -> Registration:
    """The signed-in person's registration for the session (404 if they have none), if the
    rule ``perm`` allows them (403 otherwise: e.g. not marked present)."""
    session = _session(request, slug, pk, perm=None)
    registration = get_object_or_404(
        Registration.objects.select_related("person"), session=session, person=request.user
    )
    registration.session = session
    if not rules.has_perm(perm, request.user, registration):
        raise PermissionDenied
    return registration


# --- The workshop's follow-up (coordinators, its facilitators) ---------------------------------


@require_GET
@login_required
def run_overview(request, slug, pk):
    workshop = _workshop(request, slug, pk, "workshops.run")
    registrations = attendance.workshop_registrations(workshop)
    sessions = list(workshop.sessions.order_by("starts_at", "pk").annotate(**_session_counts()))
    return render(
        request,
        "workshops/run_overview.html",
        {
            "workshop": workshop,
            "cohort": workshop.cohort,
            "sessions": sessions,
            "ratings": attendance.ratings_of(registrations),
            "comments": attendance.comments_of(registrations),
            "now": timezone.now(),
        },
    )


def _session_counts() -> dict:
    reg = Registration.Status.REGISTERED
    return {
        "seated": Count("registrations", filter=Q(registrations__status=reg)),
        "present": Count("registrations", filter=Q(registrations__attended=True)),
        "absent": Count("registrations", filter=Q(registrations__attended=False)),
        "average": Avg("registrations__rating"),
        "ratings": Count("registrations", filter=Q(registrations__rating__isnull=False)),
    }


# --- The roster ---------------------------------------------------------------------------------


@require_GET
@login_required
def roster(request, slug, pk):
    session = _session(request, slug, pk)
    page = page_of(request, attendance.roster(session))
    now = timezone.now()
    return render(
        request,
        "workshops/run_roster.html",
        {
            "session": session,
            "workshop": session.workshop,
            "cohort": session.workshop.cohort,
            "page": page,
            "counts": attendance.roster_counts(session),
            "can_mark": now >= session.starts_at - attendance.MARK_FROM,
            "now": now,
        },
    )


@require_POST
@login_required
def mark_attendance(request, slug, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("session__workshop__cohort", "person"),
        session__workshop__cohort__slug=slug,
        pk=pk,
    )
    session = registration.session
    if not request.user.has_perm("workshops.run", session.workshop):
        if request.user.has_perm("workshops.view", session.workshop):
            raise PermissionDenied
        raise Http404
    value = request.POST.get("attended", "")
    if value not in MARKS:
        return HttpResponse(_("Say present, absent or unmarked."), status=400)
    try:
        attendance.mark(registration, MARKS[value], actor=request.user)
    except attendance.AttendanceError as error:
        if request.htmx:
            return HttpResponse(str(error), status=400)
        messages.error(request, str(error))
    back = reverse("workshops:roster", args=[slug, session.pk])
    page = request.POST.get("page", "")
    if not request.htmx:
        query = f"?page={page}" if page.isdigit() else ""
        return redirect(f"{back}{query}#registration-{registration.pk}")
    row = attendance.roster(session).get(pk=registration.pk)
    return render(
        request,
        "workshops/run_roster_row.html",
        {"r": row, "cohort": session.workshop.cohort, "can_mark": True, "page_number": page},
    )


# --- The attendee: rating and certificate -------------------------------------------------------


@login_required
def rate(request, slug, pk):
    registration = _own_registration(request, slug, pk, "workshops.rate")
    session = registration.session
    now = timezone.now()
    started = now >= session.starts_at
    form = RatingForm(request.POST or None, instance=registration)
    if request.method == "POST":
        if not started:
            return render(
                request,
                "workshops/run_rate.html",
                {"form": form, "session": session, "cohort": session.workshop.cohort},
                status=400,
            )
        if form.is_valid():
            attendance.rate(
                registration,
                form.cleaned_data["rating"],
                form.cleaned_data["comment"],
                actor=request.user,
                now=now,
            )
            messages.success(request, _("Thank you: your rating is saved."))
            return redirect(session.workshop)
    return render(
        request,
        "workshops/run_rate.html",
        {
            "form": form,
            "session": session,
            "workshop": session.workshop,
            "cohort": session.workshop.cohort,
            "started": started,
            "registration": registration,
        },
        status=400 if request.method == "POST" else 200,
    )


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _facilitator_names(workshop: Workshop) -> list[str]:
    return [p.name or p.email for p in workshop.facilitators.order_by("name")]


@require_GET
@login_required
def certificate(request, slug, pk):
    """The signed-in attendee's own certificate (PDF)."""
    registration = _own_registration(request, slug, pk, "workshops.certificate")
    cert = certificates.certificate_of(
        registration, _facilitator_names(registration.session.workshop)
    )
    name = slugify(f"{cert.workshop} {cert.date}")[:80] or "workshop"
    return _pdf(certificates.render([cert]), f"certificate-{name}.pdf")


@require_GET
@login_required
def session_certificates(request, slug, pk):
    """Every attendee's certificate of a session, one page each, in one PDF."""
    session = _session(request, slug, pk)
    attendees = (
        Registration.objects.filter(session=session, attended=True)
        .select_related("person")
        .order_by("person__name", "pk")
    )
    facilitators = _facilitator_names(session.workshop)
    certs = []
    for registration in attendees.iterator(chunk_size=200):
        registration.session = session
        certs.append(certificates.certificate_of(registration, facilitators))
    if not certs:
        messages.error(request, _("Nobody is marked present at this session yet."))
        return redirect("workshops:roster", slug, session.pk)
    name = slugify(f"{session.workshop.title} {session.starts_at:%Y-%m-%d}")[:80]
    return _pdf(certificates.render(certs), f"certificates-{name or 'session'}.pdf")


# --- Materials ----------------------------------------------------------------------------------


@login_required
def material_list(request, slug, pk):
    workshop = _workshop(request, slug, pk, "workshops.view")
    can_edit = request.user.has_perm("workshops.run", workshop)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            material = materials.add(workshop, form, actor=request.user)
            if material.resource is not None:
                messages.success(
                    request,
                    _("“%(title)s” is added, and filed in the resource library.")
                    % {"title": material.title},
                )
            else:
                messages.warning(
                    request,
                    _("“%(title)s” is added to the workshop; not filed in the library: %(why)s")
                    % {"title": material.title, "why": material.not_filed},
                )
            return redirect("workshops:materials", slug, workshop.pk)
    return render(
        request,
        "workshops/run_materials.html",
        {
            "workshop": workshop,
            "cohort": workshop.cohort,
            "materials": list(workshop.materials.select_related("added_by")),
            "form": form if can_edit else None,
            "can_edit": can_edit,
        },
        status=400 if request.method == "POST" else 200,
    )


def _material(request, slug, pk, perm: str) -> Material:
    material = get_object_or_404(
        Material.objects.select_related("workshop__cohort"), workshop__cohort__slug=slug, pk=pk
    )
    _workshop(request, slug, material.workshop_id, perm)
    return material


@require_GET
@login_required
def material_file(request, slug, pk):
    material = _material(request, slug, pk, "workshops.view")
    if not material.file:
        raise Http404
    try:
        return document_response(material.file)
    except OSError as missing:  # the row without its file (storage lost it): not found
        raise Http404 from missing


@require_POST
@login_required
def material_delete(request, slug, pk):
    material = _material(request, slug, pk, "workshops.run")
    workshop_pk = material.workshop_id
    materials.remove(material, actor=request.user)
    messages.success(request, _("The material is removed."))
    return redirect("workshops:materials", slug, workshop_pk)
