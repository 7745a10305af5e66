"""Links to running a workshop, its topics and report, shown on the workshop pages:
``{% load workshops_run %}{% run_links workshop %}`` and ``{% cohort_workshop_links cohort %}``.
"""

from __future__ import annotations

import rules
from django import template

from ..models import Registration

register = template.Library()


@register.inclusion_tag("workshops/run_links.html", takes_context=True)
def run_links(context, workshop) -> dict:
    """For the viewer: materials; the follow-up page (coordinators, its facilitators); for each
    session they attended, rating and certificate (three queries at most)."""
    user = context["request"].user
    attended = (
        list(
            Registration.objects.filter(
                session__workshop=workshop, person=user, attended=True
            ).select_related("session")
        )
        if user.is_authenticated
        else []
    )
    return {
        "workshop": workshop,
        "cohort": workshop.cohort,
        "can_run": user.has_perm("workshops.run", workshop),
        "materials": workshop.materials.count(),
        "attended": [r for r in attended if rules.has_perm("workshops.rate", user, r)],
    }


@register.inclusion_tag("workshops/run_cohort_links.html", takes_context=True)
def cohort_workshop_links(context, cohort) -> dict:
    user = context["request"].user
    return {
        "cohort": cohort,
        "can_report": user.has_perm("workshops.report", cohort),
    }
