"""The workshops app's home-page block: the person's next sessions and seats offered to them."""

import datetime as dt

from django.utils import timezone

from tandem.applications.models import Application
from tandem.core.blocks import Block, register

from . import services
from .models import Registration


def _workshops(request):
    now = timezone.now()
    regs = list(
        services.registrations_of(request.user)
        .filter(
            status__in=services.ACTIVE,
            session__starts_at__gt=now - dt.timedelta(hours=3),
        )
        .order_by("session__starts_at", "pk")[:10]
    )
    cohort = (
        Application.objects.filter(applicant=request.user, status=Application.Status.ACCEPTED)
        .select_related("cohort")
        .order_by("-cohort__program_start", "-pk")
        .first()
    )
    if not regs and cohort is None:
        return None
    Status = Registration.Status
    return {
        "cohort": cohort.cohort if cohort else None,
        "offers": [r for r in regs if r.status == Status.OFFERED and r.offer_expires_at > now],
        "seats": [r for r in regs if r.status == Status.REGISTERED],
        "waiting": [r for r in regs if r.status == Status.WAITLISTED],
    }


def register_blocks() -> None:
    register(Block("workshops", "workshops/_home_workshops.html", _workshops, order=35))
