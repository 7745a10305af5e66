"""A whole cohort in a few queries (bulk_create), for query-count tests at two sizes.

:func:`build_cohort` makes ``n`` accepted participants (each with a user, a consortium and an
application with topics), ``n // 2`` published pairs with their check-in rounds (some overdue,
some due in the week, one confirmed for tomorrow), a cohort meeting tomorrow, outbox messages,
reminder opt-outs and GAP country overrides: everything the lists, the reminder job and the
API read. Rows are built in Python and written with ``bulk_create``, so 200 participants take a
fraction of a second."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from tandem.accounts.models import User
from tandem.applications.models import Application, ApplicationTopic
from tandem.cohorts.models import Cohort, Topic
from tandem.meetings.models import CheckIn, Meeting
from tandem.members.models import CountryGapRule, MemberType, Organization
from tandem.notifications.models import OutboxMessage, ReminderOptOut
from tandem.partnerships.models import Partnership
from tandem.workshops.models import Session, TopicProposal, TopicVote, Workshop

COUNTRIES = ["KE", "DE", "BR", "IN", "US", "NP", "AU", "CL", "GB", "FR"]
ZONES = ["Africa/Nairobi", "Europe/Berlin", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Kathmandu"]


def _symbol(prefix: str, n: int) -> str:
    """A member ID of capitals: ``prefix`` and ``n`` in base 26."""
    letters = ""
    while True:
        n, digit = divmod(n, 26)
        letters = chr(65 + digit) + letters
        if n == 0:
            break
    return (prefix + letters.rjust(4, "A"))[:8]


@dataclass
class World:
    cohort: Cohort
    applications: list[Application] = field(default_factory=list)
    pairs: list[Partnership] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)


def build_cohort(n: int, *, now: dt.datetime | None = None, tag: str = "S") -> World:
    """A cohort in its programme at ``now`` with ``n`` accepted participants (see the module)."""
    now = now or timezone.now()
    today = now.date()
    cohort = Cohort.objects.create(
        name=f"Scale cohort {tag}{n}",
        slug=f"scale-{tag.lower()}{n}",
        timezone="UTC",
        opens_at=now - dt.timedelta(days=120),
        closes_at=now - dt.timedelta(days=100),
        program_start=today - dt.timedelta(days=95),
        program_end=today + dt.timedelta(days=270),
        checkin_cadence_months=3,
    )
    consortia = Organization.objects.bulk_create(
        Organization(
            symbol=_symbol(tag + "C", i),
            name=f"Consortium {tag}{i} (test)",
            member_type=MemberType.CONSORTIUM,
            country=COUNTRIES[i % len(COUNTRIES)],
            region="EMEA",
            gap_override=None if i % 7 else True,
            non_profit_status="for-profit" if i % 11 == 5 else "non-profit",
        )
        for i in range(n)
    )
    members = Organization.objects.bulk_create(
        Organization(
            symbol=_symbol(tag + "M", i),
            name=f"Member {tag}{i} (test)",
            member_type=MemberType.CONSORTIUM_ORGANIZATION,
            consortium=consortia[i],
            country=COUNTRIES[(i + 3) % len(COUNTRIES)],
            region="AMER",
        )
        for i in range(n)
    )
    for country, eligible in (("BR", False), ("DE", True)):
        CountryGapRule.objects.get_or_create(country=country, defaults={"gap_eligible": eligible})
    users = User.objects.bulk_create(
        User(
            email=f"{tag.lower()}{n}-lead{i}@example.org",
            name=f"Lead {tag}{i}",
            timezone=ZONES[i % len(ZONES)],
            password="!",
        )
        for i in range(n)
    )
    statuses = [Application.Status.ACCEPTED] * 6 + [
        Application.Status.SUBMITTED,
        Application.Status.WAITLISTED,
    ]
    applications = Application.objects.bulk_create(
        Application(
            cohort=cohort,
            applicant=users[i],
            organization=consortia[i],
            status=Application.Status.ACCEPTED if i < n // 2 * 2 else statuses[i % 8],
            full_name=users[i].name,
            email=users[i].email,
            job_title="Consortium Manager",
            timezone=users[i].timezone,
            languages={"en": 3, "fr": 1 + i % 3},
            availability=[["mon", "09:00", "12:00"]],
            preferred_role="experienced" if i % 2 == 0 else "learning",
            years_leading=1 + i % 9,
            experience_level=1 + i % 5,
            lead_since_year=2020,
            consortium_org_count=5,
            repository_count=3,
            goals="Grow the consortium.",
            challenges="Few staff.",
            accepted_guidelines=True,
            consent_share_profile=True,
            submitted_at=now - dt.timedelta(days=110, minutes=i),
            is_gap=i % 3 == 0,
        )
        for i in range(n)
    )
    topics = [
        Topic.objects.get_or_create(slug=slug, defaults={"name": slug})[0]
        for slug in ("metadata-quality", "outreach")
    ]
    ApplicationTopic.objects.bulk_create(
        ApplicationTopic(application=a, topic=topic, kind=kind, level=2)
        for a in applications
        for topic, kind in zip(topics, ("expertise", "challenge"), strict=True)
    )
    pairs = Partnership.objects.bulk_create(
        Partnership(
            cohort=cohort,
            experienced=applications[2 * k],
            learning=applications[2 * k + 1],
            status=Partnership.Status.PUBLISHED,
            score=0.5 + k / (10 * n),
            overlap_hours=3.0,
            reasons=[{"code": "overlap", "params": {"hours": 3.0}}],
            published_at=now - dt.timedelta(days=90),
        )
        for k in range(n // 2)
    )
    checkins = []
    for k, pair in enumerate(pairs):
        # round 1 overdue, round 2 due within the week, round 3 upcoming
        checkins += [
            CheckIn(
                partnership=pair,
                round=1,
                window_start=today - dt.timedelta(days=95),
                due_date=today - dt.timedelta(days=3),
            ),
            CheckIn(
                partnership=pair,
                round=2,
                window_start=today - dt.timedelta(days=2),
                due_date=today + dt.timedelta(days=5),
                confirmed=k % 4 == 0,
                proposed_at=now + dt.timedelta(hours=20) if k % 4 == 0 else None,
                proposed_by=users[2 * k] if k % 4 == 0 else None,
            ),
            CheckIn(
                partnership=pair,
                round=3,
                window_start=today + dt.timedelta(days=6),
                due_date=today + dt.timedelta(days=90),
            ),
        ]
    CheckIn.objects.bulk_create(checkins)
    Meeting.objects.create(
        cohort=cohort,
        title=f"Workshop {tag}{n}",
        starts_at=now + dt.timedelta(hours=10),
        kind=Meeting.Kind.PROGRAM,
    )
    # Workshops five days ahead, two sessions each (more workshops in a larger cohort).
    workshops = Workshop.objects.bulk_create(
        Workshop(cohort=cohort, title=f"Workshop {tag}{n}-{k}", capacity=8)
        for k in range(max(2, n // 10))
    )
    Session.objects.bulk_create(
        Session(workshop=w, label=label, starts_at=now + dt.timedelta(days=5, hours=hour))
        for w in workshops
        for label, hour in (("APAC session", 2), ("Americas session", 15))
    )
    ReminderOptOut.objects.bulk_create(
        ReminderOptOut(user=users[i], kind="checkin-overdue") for i in range(0, n, 5)
    )
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            kind="application-submitted",
            to=users[i].email,
            subject=f"Application {i} received",
            body="Thank you.",
            user=users[i],
            cohort=cohort,
            status=OutboxMessage.Status.SENT if i % 3 else OutboxMessage.Status.FAILED,
        )
        for i in range(n)
    )
    # Workshop topics proposed by the cohort (half about a vocabulary topic), each person
    # upvoting one (issue 14).
    proposals = TopicProposal.objects.bulk_create(
        TopicProposal(
            cohort=cohort,
            title=f"Topic {tag}{k}",
            topic=topics[k % 2] if k % 2 == 0 else None,
            proposed_by=users[k],
        )
        for k in range(max(2, n // 5))
    )
    TopicVote.objects.bulk_create(
        TopicVote(proposal=proposals[i % len(proposals)], voter=users[i]) for i in range(n)
    )
    return World(cohort, applications, pairs, consortia + members)
