"""Workshop pages: browse, a workshop and its sessions, plan and edit, register, the waitlist's
offers. (Running a workshop, topics and reports are in ``views_run``, ``views_topics`` and
``views_reports``.)"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.cohorts.models import Cohort
from tandem.core.languages import language_name
from tandem.core.pagination import page_of
from tandem.core.timezones import local_date, person_zone

from .. import proposals, services
from ..forms.workshops import (
    BrowseForm,
    SessionFormSet,
    WorkshopForm,
    facilitator_candidates,
    person_id,
)
from ..models import Registration, Session, Workshop

Status = Registration.Status
# A session under way (or just over) still counts as upcoming for three hours.
RUNNING = dt.timedelta(hours=3)


def _cohort_for_browsing(request, slug) -> Cohort:
    cohort = get_object_or_404(Cohort, slug=slug)
    if not request.user.has_perm("workshops.browse", cohort):
        raise PermissionDenied
    return cohort


def _workshop(request, slug, pk, perm: str = "workshops.view") -> Workshop:
    """The workshop under its own cohort's address, if the person may see it (else 404)."""
    workshop = get_object_or_404(
        Workshop.objects.select_related("cohort"), cohort__slug=slug, pk=pk
    )
    if not request.user.has_perm(perm, workshop):
        if perm != "workshops.view" and request.user.has_perm("workshops.view", workshop):
            raise PermissionDenied
        raise Http404
    return workshop


# --- Browse -------------------------------------------------------------------------------------


@login_required
def workshop_list(request, slug):
    """The cohort's workshops and those open to it, upcoming (soonest first) or past (latest
    first), filtered by topic and language, 50 a page; times in the viewer's zone."""
    cohort = _cohort_for_browsing(request, slug)
    now = timezone.now()
    visible = services.visible_in(cohort)
    languages = sorted(
        ((code, language_name(code)) for code in set(visible.values_list("language", flat=True))),
        key=lambda item: item[1],
    )
    form = BrowseForm(request.GET or None, languages=languages)
    filters = form.cleaned_data if form.is_valid() else {}
    when = filters.get("when") or "upcoming"
    ahead = Session.objects.filter(workshop=OuterRef("pk"), starts_at__gte=now - RUNNING)
    qs = visible.select_related("cohort")
    if when == "upcoming":
        qs = (
            qs.filter(Exists(ahead))
            .annotate(
                when=Min("sessions__starts_at", filter=Q(sessions__starts_at__gte=now - RUNNING))
            )
            .order_by("when", "pk")
        )
    else:
        qs = (
            qs.exclude(Exists(ahead))
            .filter(Exists(Session.objects.filter(workshop=OuterRef("pk"))))
            .annotate(when=Max("sessions__starts_at"))
            .order_by("-when", "-pk")
        )
    if filters.get("topic"):
        qs = qs.filter(topics=filters["topic"])
    if filters.get("language"):
        qs = qs.filter(language=filters["language"])
    qs = qs.prefetch_related(
        "topics",
        Prefetch(
            "sessions",
            queryset=services.with_counts(Session.objects.order_by("starts_at", "pk")),
        ),
    )
    page = page_of(request, qs)
    workshops = list(page)
    sessions = [s for w in workshops for s in w.sessions.all()]
    mine = {
        r.session_id: r
        for r in Registration.objects.filter(
            person=request.user, session__in=[s.pk for s in sessions]
        )
    }
    rows = [
        {
            "workshop": w,
            "sessions": [
                {
                    "session": s,
                    "seats": _seats(w, s),
                    "mine": mine.get(s.pk),
                    "past": s.ends_at < now,
                }
                for s in w.sessions.all()
            ],
        }
        for w in workshops
    ]
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "workshops/list.html",
        {
            "cohort": cohort,
            "form": form,
            "when": when,
            "rows": rows,
            "page": page,
            "query": urlencode(query),
            "zone": person_zone(request.user),
            "today": local_date(now, person_zone(request.user)),
            "can_manage": request.user.has_perm("workshops.manage", cohort),
        },
    )


def _seats(workshop: Workshop, session: Session) -> services.Seats:
    session.workshop = workshop  # no query for it
    return services.seats_of(session)


# --- One workshop -------------------------------------------------------------------------------


@login_required
def workshop_detail(request, slug, pk):
    workshop = _workshop(request, slug, pk)
    now = timezone.now()
    services.settle_workshop(workshop, now)  # lapsed offers pass on before anything is shown
    sessions = list(services.with_counts(workshop.sessions.order_by("starts_at", "pk")))
    mine = {
        r.session_id: r
        for r in Registration.objects.filter(person=request.user, session__workshop=workshop)
    }
    active = any(r.status in services.ACTIVE for r in mine.values())
    may_register = services.may_register(request.user, workshop)
    rows = []
    for session in sessions:
        reg = mine.get(session.pk)
        rows.append(
            {
                "session": session,
                "seats": _seats(workshop, session),
                "mine": reg,
                "position": services.waitlist_position(reg) if reg else None,
                "started": now >= session.starts_at,
                "can_register": may_register and not active and now < session.starts_at,
            }
        )
    return render(
        request,
        "workshops/detail.html",
        {
            "workshop": workshop,
            "cohort": workshop.cohort,
            "rows": rows,
            "description": workshop.description_safe,
            "facilitators": list(workshop.facilitators.all()),
            "topics": list(workshop.topics.all()),
            "seated": any(r.status == Status.REGISTERED for r in mine.values()),
            "can_edit": request.user.has_perm("workshops.edit", workshop),
            "can_manage": request.user.has_perm("workshops.manage", workshop.cohort),
            "held": services.held_seats(workshop),
            "now": now,
        },
    )


# --- Plan and edit ------------------------------------------------------------------------------


@login_required
def workshop_edit(request, slug, pk=None):
    """Plan a workshop (coordinators) or edit one (coordinators, and its facilitators: the
    content and sessions, not who facilitates or who may come)."""
    if pk is None:
        cohort = get_object_or_404(Cohort, slug=slug)
        if not request.user.has_perm("workshops.manage", cohort):
            raise PermissionDenied
        workshop = Workshop(cohort=cohort)
        # "Plan a workshop from this" on the topics page: ?proposal=<pk> of this cohort.
        proposal = proposals.proposal_for_planning(cohort, request.GET.get("proposal"))
    else:
        proposal = None
        workshop = _workshop(request, slug, pk, perm="workshops.edit")
        cohort = workshop.cohort
    can_manage = request.user.has_perm("workshops.manage", cohort)
    tzname = person_zone(request.user)
    data = request.POST if request.method == "POST" else None
    form = WorkshopForm(
        data,
        instance=workshop,
        cohort=cohort,
        can_manage=can_manage,
        initial=proposals.initial_from(proposal),
    )
    formset = SessionFormSet(
        data, instance=workshop, prefix="sessions", form_kwargs={"tzname": tzname}
    )
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                workshop = form.save(commit=False)
                services.save_workshop(workshop, actor=request.user)
                form.save_m2m()
                if proposal is not None and proposal.workshop_id is None:
                    proposals.plan_from(proposal, workshop, actor=request.user)
                for session in formset.save(commit=False):
                    if session.pk:
                        session.sequence += 1  # calendars replace the earlier time
                    session.workshop = workshop
                    session.save()
                for session in formset.deleted_objects:
                    session.delete()
            messages.success(request, _("“%(title)s” is saved.") % {"title": workshop.title})
            return redirect(workshop)
        status = 400
    else:
        status = 200
    return render(
        request,
        "workshops/form.html",
        {
            "form": form,
            "formset": formset,
            "cohort": cohort,
            "workshop": workshop,
            "can_manage": can_manage,
            "find_time_url": _find_time_url(workshop, cohort) if can_manage else "",
        },
        status=status,
    )


def _find_time_url(workshop: Workshop, cohort: Cohort) -> str:
    """The meeting-time finder for the workshop's registered and interested people (the whole
    cohort for a workshop nobody has signed up for yet), for two weeks from a week ahead."""
    today = timezone.now().date()
    query = [
        ("start", (today + dt.timedelta(days=7)).isoformat()),
        ("end", (today + dt.timedelta(days=21)).isoformat()),
        ("duration", "90"),
        ("sessions", "2"),
    ]
    if workshop.pk:
        query += [("person", str(pk)) for pk in services.interested_people(workshop)]
    return reverse("meetings:find_time", args=[cohort.slug]) + "?" + urlencode(query)


@login_required
def facilitator_search(request, slug):
    """The facilitator picker: ``?q=`` lists up to ten staff or participants of the cohort by
    name or e-mail; ``?add=<id>`` returns that person as a ticked box for the chosen list."""
    cohort = get_object_or_404(Cohort, slug=slug)
    if not request.user.has_perm("workshops.manage", cohort):
        raise PermissionDenied
    candidates = facilitator_candidates(cohort)
    add = request.GET.get("add", "")
    if add:
        pk = person_id(add)
        if pk is None:
            raise Http404
        person = get_object_or_404(candidates, pk=pk)
        return render(request, "workshops/_facilitator_chosen.html", {"person": person})
    query = request.GET.get("q", "").strip()[:100]
    found = (
        list(
            candidates.filter(Q(name__icontains=query) | Q(email__icontains=query)).order_by(
                "name", "pk"
            )[:10]
        )
        if query
        else []
    )
    return render(
        request,
        "workshops/_facilitator_options.html",
        {"cohort": cohort, "found": found, "query": query},
    )


# --- Register, cancel, offers -------------------------------------------------------------------


@require_POST
@login_required
def register(request, slug, pk):
    """Register for a session (``pk``): a seat, or the waitlist when it is full."""
    session = get_object_or_404(
        Session.objects.select_related("workshop__cohort"), workshop__cohort__slug=slug, pk=pk
    )
    workshop = session.workshop
    if not request.user.has_perm("workshops.view", workshop):
        raise Http404
    if not rules.has_perm("workshops.register", request.user, workshop):
        raise PermissionDenied
    try:
        registration = services.register(session, request.user)
    except services.WorkshopError as error:
        messages.error(request, str(error))
    else:
        if registration.status == Status.REGISTERED:
            messages.success(request, _("You are registered. Add the session to your calendar."))
        else:
            messages.info(
                request,
                _(
                    "The session is full: you are on the waitlist. If a seat frees, it is "
                    "offered to you by e-mail, for a limited time."
                ),
            )
    return redirect(workshop)


ACTIONS = {"cancel": services.cancel, "accept": services.accept_offer, "decline": services.cancel}


@require_POST
@login_required
def registration_action(request, slug, pk, action):
    """Cancel a registration or leave the waitlist, take or decline an offered seat: the
    registered person's own actions only."""
    if action not in ACTIONS:
        raise Http404
    registration = get_object_or_404(
        Registration.objects.select_related("session__workshop__cohort"),
        session__workshop__cohort__slug=slug,
        pk=pk,
        person=request.user,
    )
    workshop = registration.session.workshop
    if action in ("accept", "decline") and registration.status not in (
        Status.OFFERED,
        Status.EXPIRED,
    ):
        messages.error(request, _("There is no seat offered to you in this session."))
        return redirect(workshop)
    try:
        ACTIONS[action](registration, actor=request.user)
    except services.WorkshopError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            {
                "cancel": _("Cancelled."),
                "accept": _("The seat is yours. Add the session to your calendar."),
                "decline": _("Declined: the seat passes to the next person on the waitlist."),
            }[action],
        )
    return redirect(workshop)
