"""Shared fixtures: a cohort of accepted applicants and a published pair (a pytest plugin)."""

import datetime as dt

import pytest
from django.utils import timezone

from tandem.applications.models import ApplicationTopic
from tandem.cohorts.models import Topic
from tandem.partnerships import services as pairing
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.members.factories import OrganizationFactory


def make_app(
    cohort, name, role, country="KE", years=1, tz="Africa/Nairobi", expertise=(), needs=(), **kwargs
):
    kwargs.setdefault("status", "accepted")
    kwargs.setdefault("availability", [["mon", "09:00", "13:00"], ["wed", "09:00", "13:00"]])
    kwargs.setdefault("applicant", UserFactory(timezone=tz))
    app = ApplicationFactory(
        cohort=cohort,
        full_name=name,
        preferred_role=role,
        years_leading=years,
        experience_level=5 if role == "experienced" else 2,
        organization=OrganizationFactory(country=country),
        timezone=tz,
        languages={"en": 3},
        goals="Grow metadata quality and onboarding.",
        **kwargs,
    )
    for slug, level in expertise:
        ApplicationTopic.objects.create(
            application=app,
            topic=Topic.objects.get_or_create(slug=slug, defaults={"name": slug})[0],
            kind="expertise",
            level=level,
        )
    for slug in needs:
        ApplicationTopic.objects.create(
            application=app,
            topic=Topic.objects.get_or_create(slug=slug, defaults={"name": slug})[0],
            kind="challenge",
            level=3,
        )
    return app


@pytest.fixture
def pairing_cohort(db):
    cohort = CohortFactory(
        slug="pairs", program_start=dt.date(2025, 1, 6), program_end=dt.date(2025, 6, 30)
    )
    people = {
        "eva": make_app(
            cohort,
            "Eva Expert",
            "experienced",
            country="DE",
            years=8,
            tz="Europe/Berlin",
            expertise=[("metadata-quality", 3)],
        ),
        "ed": make_app(
            cohort,
            "Ed Elder",
            "experienced",
            country="GB",
            years=6,
            tz="Europe/London",
            expertise=[("recruiting-onboarding", 3)],
        ),
        "lin": make_app(
            cohort, "Lin Learner", "learning", country="KE", needs=["metadata-quality"]
        ),
        "leo": make_app(
            cohort,
            "Leo Learner",
            "learning",
            country="BR",
            tz="America/Sao_Paulo",
            needs=["recruiting-onboarding"],
            availability=[["mon", "06:00", "10:00"], ["wed", "06:00", "10:00"]],
        ),
    }
    # Sao Paulo 06:00-10:00 = 09:00-13:00 UTC overlaps London/Berlin mornings all year.
    people["waitlisted"] = make_app(cohort, "Wendy Waitlisted", "learning", status="waitlisted")
    return cohort, people


@pytest.fixture
def published_pair(pairing_cohort, coordinator):
    """Eva (Berlin) & Lin (Nairobi), published in a cohort running from 30 days ago."""
    cohort, people = pairing_cohort
    today = timezone.now().date()
    cohort.program_start, cohort.program_end = (
        today - dt.timedelta(days=30),
        today + dt.timedelta(days=330),
    )
    cohort.save()
    run = pairing.run_match(cohort, actor=coordinator)
    pairing.approve_run(run, actor=coordinator)
    pairing.publish(cohort, actor=coordinator, notify=False)
    pair = cohort.partnerships.get(experienced=people["eva"])
    return cohort, people, pair
