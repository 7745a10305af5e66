"""Realistic, clearly fictional demo data: members, people, a past and an open cohort.

Every organisation and person here is invented; names come from Faker with a fixed seed, and
organisation names say "(demo)".
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from tandem.accounts.models import User
from tandem.core.timezones import to_utc
from tandem.members.models import FocusArea, MemberType, Organization, OrganizationType

from .models import Application, ApplicationTopic, Cohort, Topic
from .vocabulary import DEFAULT_GUIDELINES, ensure_seed_topics

DEMO_PASSWORD = "tandem-demo"
COORDINATOR_EMAIL = "coordinator@example.org"
PARTICIPANT_EMAIL = "participant@example.org"


@dataclass(frozen=True)
class Place:
    country: str
    tz: str
    languages: dict[str, int]
    locale: str
    label: str


PLACES = [
    Place("KE", "Africa/Nairobi", {"en": 3, "sw": 3}, "en_GB", "Kenya"),
    Place("NG", "Africa/Lagos", {"en": 3}, "en_GB", "Nigeria"),
    Place("ZA", "Africa/Johannesburg", {"en": 3, "af": 2}, "en_GB", "South Africa"),
    Place("GH", "Africa/Accra", {"en": 3}, "en_GB", "Ghana"),
    Place("EG", "Africa/Cairo", {"ar": 3, "en": 2}, "ar_EG", "Egypt"),
    Place("MA", "Africa/Casablanca", {"ar": 3, "fr": 3}, "fr_FR", "Morocco"),
    Place("SN", "Africa/Dakar", {"fr": 3, "en": 1}, "fr_FR", "Senegal"),
    Place("CM", "Africa/Douala", {"fr": 3, "en": 2}, "fr_FR", "Cameroon"),
    Place("ET", "Africa/Addis_Ababa", {"am": 3, "en": 2}, "en_GB", "Ethiopia"),
    Place("TZ", "Africa/Dar_es_Salaam", {"sw": 3, "en": 2}, "en_GB", "Tanzania"),
    Place("BR", "America/Sao_Paulo", {"pt": 3, "en": 2, "es": 1}, "pt_BR", "Brazil"),
    Place("MX", "America/Mexico_City", {"es": 3, "en": 2}, "es_MX", "Mexico"),
    Place("CO", "America/Bogota", {"es": 3, "en": 2}, "es_CO", "Colombia"),
    Place("AR", "America/Argentina/Buenos_Aires", {"es": 3, "en": 2}, "es_AR", "Argentina"),
    Place("CL", "America/Santiago", {"es": 3, "en": 2}, "es_CL", "Chile"),
    Place("PE", "America/Lima", {"es": 3}, "es_ES", "Peru"),
    Place("JM", "America/Jamaica", {"en": 3}, "en_GB", "Jamaica"),
    Place("JO", "Asia/Amman", {"ar": 3, "en": 3}, "ar_JO", "Jordan"),
    Place("AE", "Asia/Dubai", {"ar": 3, "en": 3}, "ar_AE", "the Emirates"),
    Place("TR", "Europe/Istanbul", {"tr": 3, "en": 2}, "tr_TR", "Türkiye"),
    Place("IN", "Asia/Kolkata", {"en": 3, "hi": 3}, "en_IN", "India"),
    Place("NP", "Asia/Kathmandu", {"ne": 3, "en": 2}, "ne_NP", "Nepal"),
    Place("BD", "Asia/Dhaka", {"bn": 3, "en": 2}, "bn_BD", "Bangladesh"),
    Place("ID", "Asia/Jakarta", {"id": 3, "en": 2}, "id_ID", "Indonesia"),
    Place("MY", "Asia/Kuala_Lumpur", {"ms": 3, "en": 3}, "en_GB", "Malaysia"),
    Place("TH", "Asia/Bangkok", {"th": 3, "en": 2}, "th_TH", "Thailand"),
    Place("VN", "Asia/Ho_Chi_Minh", {"vi": 3, "en": 2}, "vi_VN", "Vietnam"),
    Place("PH", "Asia/Manila", {"en": 3, "tl": 3}, "en_PH", "the Philippines"),
    Place("KR", "Asia/Seoul", {"ko": 3, "en": 2}, "ko_KR", "Korea"),
    Place("JP", "Asia/Tokyo", {"ja": 3, "en": 2}, "ja_JP", "Japan"),
    Place("AU", "Australia/Sydney", {"en": 3}, "en_AU", "Australia"),
    Place("NZ", "Pacific/Auckland", {"en": 3}, "en_NZ", "Aotearoa New Zealand"),
    Place("DE", "Europe/Berlin", {"de": 3, "en": 3}, "de_DE", "Germany"),
    Place("FR", "Europe/Paris", {"fr": 3, "en": 2}, "fr_FR", "France"),
    Place("GB", "Europe/London", {"en": 3}, "en_GB", "the UK"),
    Place("NL", "Europe/Amsterdam", {"nl": 3, "en": 3}, "nl_NL", "the Netherlands"),
    Place("ES", "Europe/Madrid", {"es": 3, "en": 2}, "es_ES", "Spain"),
    Place("FI", "Europe/Helsinki", {"fi": 3, "en": 3, "sv": 2}, "fi_FI", "Finland"),
    Place("PL", "Europe/Warsaw", {"pl": 3, "en": 2}, "pl_PL", "Poland"),
    Place("US", "America/New_York", {"en": 3, "es": 1}, "en_US", "the US"),
    Place("CA", "America/Toronto", {"en": 3, "fr": 2}, "en_CA", "Canada"),
]

ORG_PATTERNS = [
    "{label} Research Data Consortium",
    "Open Science Network of {label}",
    "{label} Universities PID Consortium",
    "National Library Consortium of {label}",
    "{label} Repositories Alliance",
]

GOALS = [
    "Grow our consortium from {n} to {m} member organisations in two years.",
    "Set up a sustainable fee model that smaller institutions can afford.",
    "Improve metadata quality across our repositories before national reporting.",
    "Build a first-line helpdesk so members stop waiting weeks for answers.",
    "Train repository managers in DOI registration workflows in our own language.",
    "Connect DSpace and OJS instances of our members to the DataCite API.",
    "Make the case for a national PID strategy with our ministry.",
    "Share what worked for us in onboarding {n} organisations with a newer lead.",
    "Learn how other consortia report usage and citations to their funders.",
]
CHALLENGES = [
    "Members are spread over many time zones and languages.",
    "Limited staff time: the consortium is run by one person part time.",
    "Funding after the current grant ends is uncertain.",
    "Repository managers change often, so knowledge gets lost.",
    "Metadata is incomplete (missing affiliations and funders).",
    "Explaining the value of DOIs to university leadership.",
]
TITLES = [
    "Consortium Manager",
    "Head of Research Data Services",
    "Library Director",
    "Open Science Coordinator",
    "Repository Services Lead",
    "Digital Scholarship Librarian",
]


def _symbol(name: str, taken: set[str], rng: random.Random) -> str:
    letters = "".join(w[0] for w in name.replace("(", "").split() if w[0].isalpha()).upper()
    base = (letters or "ORG")[:6]
    if len(base) < 2:
        base = (base + "X")[:2]
    symbol = base
    while symbol in taken:
        symbol = (base + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(2)))[:8]
    taken.add(symbol)
    return symbol


def _availability(rng: random.Random) -> list[list[str]]:
    days = rng.sample(["mon", "tue", "wed", "thu", "fri"], k=rng.randint(2, 4))
    windows = []
    for day in sorted(days, key=["mon", "tue", "wed", "thu", "fri"].index):
        start = rng.choice([7, 8, 9, 10, 13, 14, 15])
        length = rng.choice([2, 3, 4])
        windows.append([day, f"{start:02d}:00", f"{min(start + length, 22):02d}:00"])
    if rng.random() < 0.3:
        windows.append(["tue", "18:00", "20:30"])
    return windows


@transaction.atomic
def seed(
    n_applicants: int = 60,
    seed_value: int = 2024,
    now: dt.datetime | None = None,
    publish_match: bool = True,
) -> dict:
    """Create the demo data set on an empty database; returns a summary."""
    now = now or timezone.now()
    rng = random.Random(seed_value)
    Faker.seed(seed_value)
    fakers: dict[str, Faker] = {}
    password_hash = make_password(DEMO_PASSWORD)  # hash once: PBKDF2 is slow by design

    coordinator = User.objects.create_user(
        COORDINATOR_EMAIL,
        DEMO_PASSWORD,
        name="Casey Coordinator",
        timezone="Europe/Berlin",
        is_coordinator=True,
        is_staff=True,
        is_superuser=True,
    )
    ensure_seed_topics(Topic)
    topics = list(Topic.objects.filter(is_active=True))

    taken: set[str] = set()
    consortia: list[tuple[Organization, Place]] = []
    for index in range(n_applicants + 6):
        place = PLACES[index % len(PLACES)]
        pattern = ORG_PATTERNS[(index // len(PLACES) + index) % len(ORG_PATTERNS)]
        name = pattern.format(label=place.label) + " (demo)"
        if Organization.objects.filter(name=name).exists():
            name = name.replace("(demo)", f"{index} (demo)")
        org = Organization.objects.create(
            symbol=_symbol(name, taken, rng),
            name=name,
            member_type=MemberType.CONSORTIUM,
            country=place.country,
            organization_type=rng.choice(
                [
                    OrganizationType.NATIONAL_INSTITUTION,
                    OrganizationType.ACADEMIC_INSTITUTION,
                    OrganizationType.RESEARCH_INSTITUTION,
                    OrganizationType.SERVICE_PROVIDER,
                ]
            ),
            focus_area=rng.choice(FocusArea.values),
            year_joined=rng.randint(2012, 2023),
            website=f"https://example.org/{place.country.lower()}-{index}",
        )
        consortia.append((org, place))
    # A few non-lead members, to show the refusal.
    for index, (lead, _place) in enumerate(consortia[:5]):
        Organization.objects.create(
            symbol=_symbol(f"Member University {index} demo", taken, rng),
            name=f"Member University {index} of {lead.name}",
            country=lead.country,
            member_type=MemberType.CONSORTIUM_ORGANIZATION,
            consortium=lead,
            organization_type=OrganizationType.ACADEMIC_INSTITUTION,
        )
    Organization.objects.create(
        symbol="DIRECTX",
        name="Direct Member Institute (demo)",
        country="DE",
        member_type=MemberType.DIRECT_MEMBER,
    )

    past = Cohort.objects.create(
        name="2024 Cohort",
        slug="2024",
        description="The first cohort of the Consortia Partnership Program.",
        timezone="America/Los_Angeles",
        opens_at=to_utc(dt.datetime(2024, 3, 1, 9, 0), "America/Los_Angeles"),
        closes_at=to_utc(dt.datetime(2024, 4, 12, 23, 59), "America/Los_Angeles"),
        program_start=dt.date(2024, 6, 1),
        program_end=dt.date(2025, 5, 31),
        target_pairs=20,
        guidelines=DEFAULT_GUIDELINES,
    )
    local_now = now.astimezone(dt.UTC)
    close_day = (local_now + dt.timedelta(days=45)).date()
    upcoming = Cohort.objects.create(
        name=f"{close_day.year} Cohort",
        slug=f"{close_day.year}-open",
        description="Applications are open: Consortium Leads anywhere in the world are welcome; "
        "organisations in GAP regions are prioritised.",
        timezone="America/Los_Angeles",
        opens_at=now - dt.timedelta(days=14),
        closes_at=to_utc(dt.datetime.combine(close_day, dt.time(23, 59)), "America/Los_Angeles"),
        program_start=close_day + dt.timedelta(days=50),
        program_end=close_day + dt.timedelta(days=50 + 364),
        target_pairs=25,
    )

    applications = []
    for index in range(n_applicants):
        org, place = consortia[index]
        fake = fakers.setdefault(place.locale, Faker(place.locale))
        name = fake.name()
        email = PARTICIPANT_EMAIL if index == 0 else f"lead{index:02d}@example.org"
        user = User.objects.create(
            email=email, password=password_hash, name=name, timezone=place.tz
        )
        years = rng.choice([0, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10])
        experience = max(1, min(5, 1 + years // 2 + rng.choice([-1, 0, 0, 1])))
        role = ("experienced" if years >= 4 else "learning") if rng.random() < 0.85 else "either"
        languages = dict(place.languages)
        if "en" not in languages and rng.random() < 0.7:
            languages["en"] = 2
        status = rng.choices(["submitted", "accepted", "waitlisted", "declined"], [3, 6, 1, 1])[0]
        if index == 0:
            status = "accepted"  # the demo participant has a partner to show
        app = Application.objects.create(
            cohort=past,
            applicant=user,
            status=status,
            organization=org,
            lead_since_year=2024 - years,
            consortium_org_count=rng.randint(3, 5 + years * 8),
            repository_count=rng.randint(3, 10 + years * 15),
            dois_per_year=rng.choice([None, rng.randint(500, 80000)]),
            is_gap=org.gap_eligible,
            full_name=name,
            email=email,
            job_title=rng.choice(TITLES),
            timezone=place.tz,
            languages=languages,
            availability=_availability(rng),
            preferred_role=role,
            years_leading=years,
            experience_level=experience,
            goals=" ".join(rng.sample(GOALS, 2)).format(
                n=rng.randint(3, 12), m=rng.randint(15, 40)
            ),
            challenges=" ".join(rng.sample(CHALLENGES, 2)),
            project_idea=rng.choice(
                [
                    "",
                    "",
                    "A joint webinar series on metadata quality.",
                    "A shared onboarding toolkit translated into several languages.",
                ]
            ),
            accepted_guidelines=True,
            consent_share_profile=rng.random() < 0.9,
            submitted_at=past.opens_at + dt.timedelta(hours=rng.randint(1, 900)),
            decided_by=coordinator if status != "submitted" else None,
            decided_at=past.closes_at + dt.timedelta(days=5) if status != "submitted" else None,
        )
        strong = rng.sample(topics, k=rng.randint(2, 5))
        weak = rng.sample([t for t in topics if t not in strong], k=rng.randint(2, 4))
        rows = []
        for topic in strong:
            level = min(3, 1 + years // 3 + rng.randint(0, 1))
            rows.append(
                ApplicationTopic(application=app, topic=topic, kind="expertise", level=level)
            )
        for topic in weak:
            rows.append(
                ApplicationTopic(
                    application=app, topic=topic, kind="challenge", level=rng.randint(1, 3)
                )
            )
        ApplicationTopic.objects.bulk_create(rows)
        applications.append(app)

    # A living program: the 2024 cohort has a published match.
    from tandem.partnerships import services as pairing

    for app in pairing.accepted_applications(past):
        if pairing.effective_role(app) == "experienced":
            pairing.PairingProfile.objects.create(application=app, capacity=2)
    if publish_match:
        run = pairing.run_match(past, actor=coordinator, min_overlap_hours=1.0)
        pairing.approve_run(run, actor=coordinator)
        pairing.publish(past, actor=coordinator, notify=False)
        _seed_program_life(past, coordinator, rng)

    return {
        "coordinator": COORDINATOR_EMAIL,
        "participant": PARTICIPANT_EMAIL,
        "password": DEMO_PASSWORD,
        "cohorts": [past.slug, upcoming.slug],
        "applications": len(applications),
        "organizations": Organization.objects.count(),
    }


def _seed_program_life(cohort: Cohort, coordinator: User, rng: random.Random) -> None:
    """Orientation, a workshop and a year of check-ins (most logged, a few missed)."""
    from tandem.meetings.models import CheckIn, Meeting
    from tandem.meetings.services import ensure_checkins
    from tandem.partnerships.models import Partnership

    Meeting.objects.create(
        cohort=cohort,
        kind=Meeting.Kind.ORIENTATION,
        title="Orientation session",
        starts_at=dt.datetime(2024, 6, 5, 14, 0, tzinfo=dt.UTC),
        duration_minutes=90,
        video_url="https://meet.example.org/orientation-2024",
        created_by=coordinator,
        agenda="Welcome and introductions\nExpectations and guidelines\nHow check-ins work",
    )
    Meeting.objects.create(
        cohort=cohort,
        kind=Meeting.Kind.WORKSHOP,
        title="Workshop: consortium fee models",
        starts_at=dt.datetime(2024, 9, 18, 13, 0, tzinfo=dt.UTC),
        duration_minutes=60,
        created_by=coordinator,
    )
    start = dt.datetime.combine(cohort.program_start, dt.time(12), tzinfo=dt.UTC)
    for pair in Partnership.objects.filter(cohort=cohort, status="published"):
        pair.published_at = start
        pair.save(update_fields=["published_at"])
        for checkin in ensure_checkins(pair):
            if rng.random() < 0.85:
                held = checkin.due_date - dt.timedelta(days=rng.randint(5, 40))
                CheckIn.objects.filter(pk=checkin.pk).update(
                    held_on=held,
                    progress="Reviewed progress on our goals.",
                    next_steps="Prepare the next quarter's actions.",
                    rating=rng.randint(3, 5),
                    logged_by=pair.learning.applicant,
                    logged_at=dt.datetime.combine(held, dt.time(15), tzinfo=dt.UTC),
                )
