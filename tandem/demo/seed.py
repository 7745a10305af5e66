"""Realistic, clearly fictional demo data, seeded relative to the day it is run.

Three cohorts, whatever the date:

* the **2024 Cohort**, finished: the announcement's window (deadline April 12, 2024, 23:59 PT),
  a published match and a year of check-ins, most logged and a few missed;
* the **current cohort**, in the second quarter of its year on the day of seeding: published
  pairs, the first check-ins logged, the second round under way and due within a week (some
  logged, some scheduled; the demo participant's still to be proposed), the orientation behind
  and a workshop ahead;
* a cohort **open for applications** until 23:59 Los Angeles time six weeks ahead, with a few
  applications already in.

Every stored instant (applications, decisions, match runs, publications, proposals, logs, the
outbox and the activity log) lies in the past and follows the order in which things happen;
meetings and proposed check-in times ahead are the only future instants. Deadlines are wall-clock
times in their zone, converted exactly (a wall time skipped or repeated by a clock change moves
to the next day on which it names one instant).

Every organisation and person here is invented; names come from Faker with a fixed seed, and
organisation names say "(demo)".
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from faker import Faker
from fpdf import FPDF

from tandem.accounts.models import User
from tandem.applications.models import Application, ApplicationTopic
from tandem.cohorts.models import Cohort, Topic
from tandem.cohorts.vocabulary import DEFAULT_GUIDELINES, ensure_seed_topics
from tandem.core.models import ActivityLog
from tandem.core.timezones import WallClockError, to_local, to_utc
from tandem.demo.library import seed_library
from tandem.meetings.models import CheckIn, Meeting
from tandem.meetings.services import add_months, ensure_checkins, rounds
from tandem.meetings.services import log as log_checkin
from tandem.members.models import FocusArea, MemberType, Organization, OrganizationType
from tandem.notifications.models import OutboxMessage
from tandem.notifications.services import queue_mail, render_mail
from tandem.partnerships import services as pairing
from tandem.partnerships.models import MatchRun, Partnership
from tandem.workshops import materials as workshop_materials
from tandem.workshops.models import (
    Material,
    Registration,
    Session,
    TopicProposal,
    TopicVote,
    Workshop,
)

DEMO_PASSWORD = "tandem-demo"
COORDINATOR_EMAIL = "coordinator@example.org"
ADMIN_EMAIL = "admin@example.org"
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
    N_("Grow our consortium from {n} to {m} member organisations in two years."),
    N_("Set up a sustainable fee model that smaller institutions can afford."),
    N_("Improve metadata quality across our repositories before national reporting."),
    N_("Build a first-line helpdesk so members stop waiting weeks for answers."),
    N_("Train repository managers in DOI registration workflows in our own language."),
    N_("Connect DSpace and OJS instances of our members to the DataCite API."),
    N_("Make the case for a national PID strategy with our ministry."),
    N_("Share what worked for us in onboarding {n} organisations with a newer lead."),
    N_("Learn how other consortia report usage and citations to their funders."),
]
CHALLENGES = [
    N_("Members are spread over many time zones and languages."),
    N_("Limited staff time: the consortium is run by one person part time."),
    N_("Funding after the current grant ends is uncertain."),
    N_("Repository managers change often, so knowledge gets lost."),
    N_("Metadata is incomplete (missing affiliations and funders)."),
    N_("Explaining the value of DOIs to university leadership."),
]
TITLES = [
    N_("Consortium Manager"),
    N_("Head of Research Data Services"),
    N_("Library Director"),
    N_("Open Science Coordinator"),
    N_("Repository Services Lead"),
    N_("Digital Scholarship Librarian"),
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


# --- The demo's calendar ------------------------------------------------------------------------

ONE_DAY = dt.timedelta(days=1)
ANNOUNCEMENT_ZONE = "America/Los_Angeles"
CADENCE_MONTHS = 3  # quarterly check-ins
DUE_IN_DAYS = 7  # the current round is due a week after the day of seeding
CHECKIN_MINUTES = 60
MIN_SLOTS_AHEAD = 3  # times the demo participant can still propose in the round under way

PARTICIPANT_AVAILABILITY = [  # Nairobi: generous, so the demo always has times to propose
    ["mon", "09:00", "13:00"],
    ["tue", "09:00", "13:00"],
    ["tue", "14:00", "17:00"],
    ["wed", "09:00", "13:00"],
    ["thu", "09:00", "13:00"],
    ["thu", "14:00", "17:00"],
]

PROGRESS = [
    N_("Reviewed progress on our goals and compared our fee models."),
    N_("Went through the metadata quality report of two member repositories together."),
    N_("Walked through how we onboard a new member, step by step."),
    N_("Discussed how to present the value of DOIs to university leadership."),
    N_("Shared our helpdesk templates and how we triage questions."),
]
CHECKIN_CHALLENGES = [
    "",
    N_("Finding time between two busy reporting periods."),
    N_("Our members' repository platforms differ a lot."),
    N_("Staff turnover at two member libraries."),
]
NEXT_STEPS = [
    N_("Prepare the next quarter's actions."),
    N_("Draft a one-page fee proposal and exchange it before the next check-in."),
    N_("Try the metadata checklist with one member and report back."),
    N_("Invite a repository manager to the next call."),
]


def wall_clock(day: dt.date, at: dt.time, tzname: str) -> dt.datetime:
    """The instant clocks in ``tzname`` show ``at`` on ``day``.

    Where a clock change skips or repeats that wall time on ``day``, the next day on which it
    names exactly one instant is taken, so a deadline always exists in its zone."""
    for shift in range(8):
        try:
            return to_utc(dt.datetime.combine(day + shift * ONE_DAY, at), tzname)
        except WallClockError:
            continue
    raise WallClockError(
        _("%(time)s names no single instant in %(zone)s for a week from %(day)s.")
        % {"time": f"{at:%H:%M}", "zone": tzname, "day": day.isoformat()}
    )


def current_programme(today: dt.date) -> tuple[dt.date, dt.date]:
    """(program_start, program_end) of a one-year programme with ``today`` in its second
    quarterly check-in round, that round due :data:`DUE_IN_DAYS` days after ``today`` (or, where
    month lengths do not allow it, a day or three sooner). The rounds are the product's own
    (:func:`tandem.meetings.services.rounds`)."""
    best: tuple[tuple[int, int], dt.date, dt.date] | None = None
    for back in range(150, 200):
        start = today - back * ONE_DAY
        end = add_months(start, 12) - ONE_DAY
        probe = Cohort(program_start=start, program_end=end, checkin_cadence_months=CADENCE_MONTHS)
        for number, first, due in rounds(probe):
            if number == 2 and first <= today <= due:
                left = (due - today).days
                key = (int(left > DUE_IN_DAYS), abs(left - DUE_IN_DAYS))  # within the week
                if best is None or key < best[0]:
                    best = (key, start, end)
    if best is None:  # pragma: no cover - every day lies in some programme's second round
        raise ValueError(f"no one-year programme has {today} in its second round")
    return best[1], best[2]


def _next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + ((weekday - day.weekday()) % 7) * ONE_DAY


def _at_utc(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def _cohort_name(start: dt.date) -> str:
    return _("%(month)s Cohort") % {"month": formats.date_format(start, "YEAR_MONTH_FORMAT")}


@dataclass(frozen=True)
class Timeline:
    """When things happened to a paired cohort (all before the day of seeding)."""

    decided_at: dt.datetime
    run_at: dt.datetime
    published_at: dt.datetime


# --- People and applications ---------------------------------------------------------------------


@dataclass
class Seeder:
    rng: random.Random
    password_hash: str
    coordinator: User
    topics: list[Topic]
    fakers: dict[str, Faker]

    def person(self, email: str, place: Place, joined: dt.datetime) -> User:
        fake = self.fakers.setdefault(place.locale, Faker(place.locale))
        return User.objects.create(
            email=email,
            password=self.password_hash,
            name=fake.name(),
            timezone=place.tz,
            date_joined=joined,
        )

    def apply(
        self,
        cohort: Cohort,
        user: User,
        org: Organization,
        place: Place,
        *,
        status: str,
        submitted_at: dt.datetime | None,
        decided_at: dt.datetime | None = None,
        **overrides,
    ) -> Application:
        """An application as the applicant would have filled it in, with its real history."""
        rng = self.rng
        years = overrides.pop("years", None)
        years = rng.choice([0, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10]) if years is None else years
        experience = max(1, min(5, 1 + years // 2 + rng.choice([-1, 0, 0, 1])))
        role = ("experienced" if years >= 4 else "learning") if rng.random() < 0.85 else "either"
        languages = dict(place.languages)
        if "en" not in languages and rng.random() < 0.7:
            languages["en"] = 2
        n, m = rng.randint(3, 12), rng.randint(15, 40)
        fields = {
            "lead_since_year": cohort.opens_at.year - years,
            "consortium_org_count": rng.randint(3, 5 + years * 8),
            "repository_count": rng.randint(3, 10 + years * 15),
            "dois_per_year": rng.choice([None, rng.randint(500, 80000)]),
            "job_title": _(rng.choice(TITLES)),
            "languages": languages,
            "availability": _availability(rng),
            "preferred_role": role,
            "years_leading": years,
            "experience_level": experience,
            "goals": " ".join(_(g).format(n=n, m=m) for g in rng.sample(GOALS, 2)),
            "challenges": " ".join(_(c) for c in rng.sample(CHALLENGES, 2)),
            "project_idea": rng.choice(
                [
                    "",
                    "",
                    _("A joint webinar series on metadata quality."),
                    _("A shared onboarding toolkit translated into several languages."),
                ]
            ),
            "consent_share_profile": rng.random() < 0.9,
        }
        fields.update(overrides)
        submitted = status != Application.Status.DRAFT
        app = Application.objects.create(
            cohort=cohort,
            applicant=user,
            status=status,
            organization=org,
            is_gap=org.gap_eligible,
            full_name=user.name,
            email=user.email,
            timezone=place.tz,
            accepted_guidelines=submitted,
            submitted_at=submitted_at if submitted else None,
            decided_by=self.coordinator if decided_at else None,
            decided_at=decided_at,
            **fields,
        )
        strong = rng.sample(self.topics, k=rng.randint(2, 5))
        weak = rng.sample([t for t in self.topics if t not in strong], k=rng.randint(2, 4))
        rows = [
            ApplicationTopic(
                application=app,
                topic=topic,
                kind="expertise",
                level=min(3, 1 + years // 3 + rng.randint(0, 1)),
            )
            for topic in strong
        ] + [
            ApplicationTopic(
                application=app, topic=topic, kind="challenge", level=rng.randint(1, 3)
            )
            for topic in weak
        ]
        ApplicationTopic.objects.bulk_create(rows)
        # The draft was started a little before it was sent; the last change is the decision.
        started = max(
            cohort.opens_at,
            (submitted_at or cohort.opens_at) - dt.timedelta(minutes=rng.randint(10, 3 * 24 * 60)),
        )
        Application.objects.filter(pk=app.pk).update(
            created_at=started, updated_at=decided_at or submitted_at or started
        )
        User.objects.filter(pk=user.pk, date_joined__gt=started).update(
            date_joined=started - dt.timedelta(minutes=5)
        )
        return app

    def submitted_between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        seconds = int((end - start).total_seconds())
        return start + dt.timedelta(seconds=self.rng.randint(min(3600, seconds // 2), seconds))


def _backdate(cohort: Cohort, created: dt.datetime) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(created_at=created)


# --- Seeding -----------------------------------------------------------------------------------


@transaction.atomic
def seed(
    n_applicants: int = 60,
    seed_value: int = 2024,
    now: dt.datetime | None = None,
    publish_match: bool = True,
) -> dict:
    """Create the demo data set on an empty database, relative to ``now``; returns a summary.

    ``n_applicants`` people apply to the current cohort (the demo participant and
    ``lead01``…) and as many alumni (``alum01``…) were in the 2024 Cohort. Without
    ``publish_match`` nobody is paired yet (the pairing journey starts from there)."""
    now = (now or timezone.now()).astimezone(dt.UTC)
    today = now.date()
    rng = random.Random(seed_value)
    Faker.seed(seed_value)
    first_day = dt.datetime(2024, 2, 1, 9, 0, tzinfo=dt.UTC)

    coordinator = User.objects.create_user(
        COORDINATOR_EMAIL,
        DEMO_PASSWORD,
        name="Casey Coordinator",
        timezone="Europe/Berlin",
        is_coordinator=True,  # programme staff, not a superuser: rules decide what they may do
        date_joined=min(first_day, now),
    )
    User.objects.create_superuser(  # the Django admin back office is a separate account
        ADMIN_EMAIL,
        DEMO_PASSWORD,
        name="Ada Admin",
        timezone="Europe/Berlin",
        date_joined=min(first_day, now),
    )
    ensure_seed_topics(Topic)
    seeder = Seeder(
        rng=rng,
        password_hash=make_password(DEMO_PASSWORD),  # hash once: PBKDF2 is slow by design
        coordinator=coordinator,
        topics=list(Topic.objects.filter(is_active=True)),
        fakers={},
    )
    consortia = _members(n_applicants + 6, rng)

    # The 2024 Cohort, as announced: its dates are history.
    past = Cohort.objects.create(
        name=_("2024 Cohort"),
        slug="2024",
        description=_("The first cohort of the Consortia Partnership Program."),
        timezone=ANNOUNCEMENT_ZONE,
        opens_at=to_utc(dt.datetime(2024, 3, 1, 9, 0), ANNOUNCEMENT_ZONE),
        closes_at=to_utc(dt.datetime(2024, 4, 12, 23, 59), ANNOUNCEMENT_ZONE),
        program_start=dt.date(2024, 6, 1),
        program_end=dt.date(2025, 5, 31),
        checkin_cadence_months=CADENCE_MONTHS,
        target_pairs=20,
        guidelines=DEFAULT_GUIDELINES,
    )
    _backdate(past, past.opens_at - 21 * ONE_DAY)
    past_timeline = Timeline(
        decided_at=past.closes_at + 5 * ONE_DAY,
        run_at=_at_utc(dt.date(2024, 4, 26), 14),
        published_at=_at_utc(dt.date(2024, 5, 17), 15),
    )

    # The current cohort: in the second quarter of its year today.
    start, end = current_programme(today)
    close_day = start - 60 * ONE_DAY
    current = Cohort.objects.create(
        name=_cohort_name(start),
        slug=f"{start:%Y-%m}",
        description=_(
            "A year of peer partnerships between Consortium Leads, with a check-in every "
            "quarter and workshops along the way."
        ),
        timezone=ANNOUNCEMENT_ZONE,
        opens_at=wall_clock(close_day - 56 * ONE_DAY, dt.time(9, 0), ANNOUNCEMENT_ZONE),
        closes_at=wall_clock(close_day, dt.time(23, 59), ANNOUNCEMENT_ZONE),
        program_start=start,
        program_end=end,
        checkin_cadence_months=CADENCE_MONTHS,
        target_pairs=20,
        guidelines=DEFAULT_GUIDELINES,
    )
    _backdate(current, current.opens_at - 21 * ONE_DAY)
    current_timeline = Timeline(
        decided_at=current.closes_at + 7 * ONE_DAY,
        run_at=current.closes_at + 14 * ONE_DAY,
        published_at=_at_utc(start - 21 * ONE_DAY, 15),
    )

    # The next cohort: open now, until 23:59 Los Angeles time six weeks from today.
    next_close = today + 42 * ONE_DAY
    next_start = next_close + 56 * ONE_DAY
    upcoming = Cohort.objects.create(
        name=_cohort_name(next_start),
        slug=f"{next_start:%Y-%m}",
        description=_(
            "Applications are open: Consortium Leads anywhere in the world are welcome; "
            "organisations in GAP regions are prioritised."
        ),
        timezone=ANNOUNCEMENT_ZONE,
        opens_at=wall_clock(today - 14 * ONE_DAY, dt.time(9, 0), ANNOUNCEMENT_ZONE),
        closes_at=wall_clock(next_close, dt.time(23, 59), ANNOUNCEMENT_ZONE),
        program_start=next_start,
        program_end=add_months(next_start, 12) - ONE_DAY,
        checkin_cadence_months=CADENCE_MONTHS,
        target_pairs=25,
    )
    _backdate(upcoming, min(upcoming.opens_at - 7 * ONE_DAY, now))

    # Alumni of 2024 (their consortia are not the current leads', so the demo participant's is
    # new to the programme).
    alumni = []
    for index in range(n_applicants):
        org, place = consortia[(index + 6) % len(consortia)]
        submitted = seeder.submitted_between(past.opens_at, past.closes_at)
        status = rng.choices(["submitted", "accepted", "waitlisted", "declined"], [3, 6, 1, 1])[0]
        user = seeder.person(f"alum{index + 1:02d}@example.org", place, submitted - ONE_DAY)
        seeder.apply(
            past,
            user,
            org,
            place,
            status=status,
            submitted_at=submitted,
            decided_at=past_timeline.decided_at if status != "submitted" else None,
        )
        alumni.append((user, org, place))

    # The current cohort's applicants: the demo participant and lead01…, all decided.
    applications = []
    for index in range(n_applicants):
        org, place = consortia[index]
        submitted = seeder.submitted_between(current.opens_at, current.closes_at)
        email = PARTICIPANT_EMAIL if index == 0 else f"lead{index:02d}@example.org"
        user = seeder.person(email, place, submitted - ONE_DAY)
        extra = {}
        status = rng.choices(["accepted", "waitlisted", "declined"], [7, 2, 1])[0]
        if index == 0:  # the demo participant: a newer lead with a partner to meet
            status = "accepted"
            extra = {
                "years": 1,
                "preferred_role": "learning",
                "availability": PARTICIPANT_AVAILABILITY,
                "consent_share_profile": True,
            }
        applications.append(
            seeder.apply(
                current,
                user,
                org,
                place,
                status=status,
                submitted_at=submitted,
                decided_at=current_timeline.decided_at,
                **extra,
            )
        )

    # A few alumni apply again to the open cohort: something for the coordinator to review.
    for user, org, place in alumni[: max(1, n_applicants // 5)]:
        seeder.apply(
            upcoming,
            user,
            org,
            place,
            status="submitted",
            submitted_at=seeder.submitted_between(upcoming.opens_at, now),
        )

    for cohort in (past, current):
        for app in pairing.accepted_applications(cohort):
            if pairing.effective_role(app) == "experienced":
                pairing.PairingProfile.objects.create(application=app, capacity=2)

    if publish_match:
        # 2024 first: its match run is run #1.
        pairs = _pair_and_publish(past, coordinator, past_timeline)
        _run_programme(
            past,
            coordinator,
            pairs,
            rng,
            now,
            meetings=[
                (
                    Meeting.Kind.ORIENTATION,
                    _("Orientation session"),
                    _at_utc(dt.date(2024, 6, 5), 14),
                    past_timeline.published_at,
                ),
            ],
        )
        _past_workshop(
            past,
            coordinator,
            rng,
            title=_("Consortium fee models"),
            starts_at=_at_utc(dt.date(2024, 9, 18), 13),
            created_at=past_timeline.published_at,
        )
        participant = applications[0]
        pairs = _pair_and_publish(
            current, coordinator, current_timeline, now=now, must_pair=participant
        )
        published = current_timeline.published_at
        _run_programme(
            current,
            coordinator,
            pairs,
            rng,
            now,
            meetings=[
                (
                    Meeting.Kind.ORIENTATION,
                    _("Orientation session"),
                    _at_utc(_next_weekday(start + 2 * ONE_DAY, 2), 14),
                    published,
                ),
            ],
            keep_due=participant,
        )
        fee_workshop = _past_workshop(
            current,
            coordinator,
            rng,
            title=_("Consortium fee models"),
            starts_at=_at_utc(_next_weekday(start + 42 * ONE_DAY, 2), 13),
            created_at=published,
        )
        upcoming_workshop = _upcoming_workshop(
            current,
            coordinator,
            rng,
            now,
            participant=participant,
            day=_next_weekday(today + 3 * ONE_DAY, 2),
            created_at=max(published, now - 12 * ONE_DAY),
        )
        _workshop_follow_up(
            current,
            coordinator,
            rng,
            now,
            past=fee_workshop,
            planned=upcoming_workshop,
            participant=participant,
            since=published,
        )
        seed_library(
            cohort=current,
            coordinator=coordinator,
            participant=participant.applicant,
            others=[
                a.applicant
                for a in Application.objects.filter(
                    cohort=current, status=Application.Status.ACCEPTED
                )
                .exclude(pk=participant.pk)
                .select_related("applicant")
                .order_by("pk")[:8]
            ],
            since=published,
            now=now,
            rng=rng,
        )

    return {
        "coordinator": COORDINATOR_EMAIL,
        "admin": ADMIN_EMAIL,
        "participant": PARTICIPANT_EMAIL,
        "password": DEMO_PASSWORD,
        "cohorts": [past.slug, current.slug, upcoming.slug],
        "current": current.slug,
        "open": upcoming.slug,
        "applications": Application.objects.count(),
        "organizations": Organization.objects.count(),
    }


def _members(count: int, rng: random.Random) -> list[tuple[Organization, Place]]:
    """``count`` consortia (one per lead) in turn over the places, plus a few non-leads."""
    taken: set[str] = set()
    consortia: list[tuple[Organization, Place]] = []
    for index in range(count):
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
    return consortia


# --- Pairs -------------------------------------------------------------------------------------


def _pair_and_publish(
    cohort: Cohort,
    coordinator: User,
    timeline: Timeline,
    *,
    now: dt.datetime | None = None,
    must_pair: Application | None = None,
) -> list[Partnership]:
    """Run the engine, approve and publish as a coordinator would have, on the timeline's days.

    If the engine leaves ``must_pair`` (a learning lead) without a partner with whom they can
    still meet :data:`MIN_SLOTS_AHEAD` times in the round under way at ``now``, the coordinator
    pins them to the experienced lead with the most such times and runs the engine again."""
    run = pairing.run_match(cohort, actor=coordinator, min_overlap_hours=1.0)
    if must_pair is not None and now is not None:
        proposed = run.partnerships.filter(learning=must_pair).select_related("experienced")
        partner = proposed[0].experienced if proposed else None
        if partner is None or len(_slots_ahead(cohort, partner, must_pair, now)) < MIN_SLOTS_AHEAD:
            partner = _best_partner(cohort, must_pair, now, run)
            run = pairing.run_match(
                cohort,
                actor=coordinator,
                min_overlap_hours=1.0,
                pinned=[(partner.pk, must_pair.pk)],
            )
    pairing.approve_run(run, actor=coordinator)
    pairing.publish(cohort, actor=coordinator, notify=False)

    approved_at = timeline.run_at + dt.timedelta(hours=2)
    runs = list(MatchRun.objects.filter(cohort=cohort).order_by("pk"))
    for offset, earlier in enumerate(runs):  # re-runs follow a quarter of an hour apart
        at = timeline.run_at + dt.timedelta(minutes=15 * (offset + 1 - len(runs)))
        MatchRun.objects.filter(pk=earlier.pk).update(created_at=at)
        Partnership.objects.filter(run=earlier).update(created_at=at)
        ActivityLog.objects.filter(
            cohort=cohort, action="pairing.run", data__run=earlier.pk
        ).update(created_at=at)
    Partnership.objects.filter(cohort=cohort, status=Partnership.Status.PUBLISHED).update(
        approved_at=approved_at, published_at=timeline.published_at
    )
    for action, at in (
        ("pairing.approved", approved_at),
        ("pairing.published", timeline.published_at),
    ):
        ActivityLog.objects.filter(cohort=cohort, action=action).update(created_at=at)

    pairs = list(
        Partnership.objects.filter(cohort=cohort, status=Partnership.Status.PUBLISHED)
        .select_related("cohort", "experienced__applicant", "learning__applicant")
        .select_related("experienced__organization", "learning__organization")
        .order_by("pk")
    )
    url = settings.TANDEM_BASE_URL + reverse("home")
    topics = pairing.topic_names(pairs)
    for pair in pairs:
        ensure_checkins(pair)  # published before the programme: every round
        for me in (pair.experienced, pair.learning):
            partner = pair.partner_of(me)
            _sent(
                me,
                kind="pair-published",
                template="partner_published",
                context={
                    "me": me,
                    "partner": partner,
                    "pair": pair,
                    "topics": topics,
                    "cohort": cohort,
                    "url": url,
                },
                at=timeline.published_at,
                dedupe_key=f"pair-published:{pair.pk}:{me.pk}",
            )
    return pairs


def _slots_ahead(
    cohort: Cohort, experienced: Application, learning: Application, now: dt.datetime
) -> list[dt.datetime]:
    """Times the two could still meet in the round under way at ``now`` (from an hour on)."""
    today = now.date()
    for _number, first, due in rounds(cohort):
        if first <= today <= due:
            return [
                start
                for start in _slots(experienced, learning, today, due)
                if start >= now + dt.timedelta(hours=1)
            ]
    return []


def _best_partner(
    cohort: Cohort, learner: Application, now: dt.datetime, run: MatchRun
) -> Application:
    """The experienced lead a coordinator would pin ``learner`` to: among those with whom they
    can still meet :data:`MIN_SLOTS_AHEAD` times in the round under way, the best match by the
    engine's score (then: the most such times)."""

    def fit(app: Application) -> tuple[bool, float, int, int]:
        ahead = len(_slots_ahead(cohort, app, learner, now))
        verdict = pairing.score_pair(run, app.pk, learner.pk)
        score = verdict["score"] if verdict else -1.0
        return ahead >= MIN_SLOTS_AHEAD, score, ahead, -app.pk

    candidates = [
        app
        for app in pairing.accepted_applications(cohort)
        if pairing.effective_role(app) == "experienced"
        and app.organization_id != learner.organization_id
        and set(app.languages) & set(learner.languages)
    ]
    return max(candidates, key=fit)


def _sent(
    application: Application,
    *,
    kind: str,
    template: str,
    context: dict,
    at: dt.datetime,
    dedupe_key: str | None = None,
) -> None:
    """An e-mail of the outbox, sent at ``at`` (recorded, not delivered again now)."""
    subject, body = render_mail(template, context)
    message = queue_mail(
        kind=kind,
        to=application.email or application.applicant.email,
        subject=subject,
        body=body,
        user=application.applicant,
        cohort=application.cohort,
        dedupe_key=dedupe_key,
        send=False,
    )
    if message is not None:
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.SENT, created_at=at, sent_at=at
        )


# --- A programme under way ---------------------------------------------------------------------


def _run_programme(
    cohort: Cohort,
    coordinator: User,
    pairs: list[Partnership],
    rng: random.Random,
    now: dt.datetime,
    *,
    meetings: list[tuple[str, str, dt.datetime, dt.datetime]],
    keep_due: Application | None = None,
) -> None:
    """Meetings, and check-ins as far as the programme has come at ``now``.

    Rounds over everywhere are logged (a few missed). In the round under way some pairs have
    logged, some have a time confirmed or proposed ahead, some have not started; the pair of
    ``keep_due`` has logged every earlier round and not proposed a time yet."""
    for kind, title, starts_at, created_at in meetings:
        meeting = Meeting.objects.create(
            cohort=cohort,
            kind=kind,
            title=title,
            starts_at=starts_at,
            duration_minutes=90 if kind == Meeting.Kind.ORIENTATION else 60,
            video_url=f"https://meet.example.org/{cohort.slug}-{kind}"
            if kind == Meeting.Kind.ORIENTATION
            else "",
            created_by=coordinator,
            agenda=_("Welcome and introductions\nExpectations and guidelines\nHow check-ins work")
            if kind == Meeting.Kind.ORIENTATION
            else "",
        )
        Meeting.objects.filter(pk=meeting.pk).update(created_at=created_at)

    today = now.date()
    for pair in pairs:
        mine = keep_due is not None and keep_due.pk in (pair.experienced_id, pair.learning_id)
        both = (pair.experienced, pair.learning)
        for checkin in pair.checkins.order_by("round"):
            if checkin.due_date + ONE_DAY < today:  # over in every zone
                if mine or rng.random() < 0.85:
                    slots = _slots(
                        *both,
                        checkin.window_start + 14 * ONE_DAY,
                        checkin.due_date - 14 * ONE_DAY,
                    ) or _slots(*both, checkin.window_start, checkin.due_date)
                    logger = keep_due if mine else None
                    _held(checkin, pair, slots, rng, now, logger=logger)
            elif checkin.window_start <= today and not mine:
                chance = rng.random()
                if chance < 0.35:
                    slots = _slots(*both, checkin.window_start + 7 * ONE_DAY, today - 3 * ONE_DAY)
                    _held(checkin, pair, slots, rng, now)
                elif chance < 0.8:
                    slots = [
                        s
                        for s in _slots(*both, today, checkin.due_date)
                        if s >= now + dt.timedelta(hours=6)
                    ]
                    _proposed(checkin, pair, slots, rng, now, confirmed=chance < 0.65)


def _slots(
    experienced: Application, learning: Application, first: dt.date, last: dt.date
) -> list[dt.datetime]:
    """Starts of the two's shared weekly windows (half an hour or more) that begin and end on
    local dates from ``first`` to ``last`` for both of them."""
    zones = (experienced.applicant.timezone, learning.applicant.timezone)
    found: set[dt.datetime] = set()
    monday = first - first.weekday() * ONE_DAY
    while monday <= last:
        for start, end in pairing.shared_windows(experienced, learning, monday):
            if end - start >= dt.timedelta(minutes=30) and all(
                first <= to_local(at, zone).date() <= last
                for zone in zones
                for at in (start, start + dt.timedelta(minutes=CHECKIN_MINUTES))
            ):
                found.add(start)
        monday += 7 * ONE_DAY
    return sorted(found)


def _checkin_url(checkin: CheckIn) -> str:
    return settings.TANDEM_BASE_URL + reverse(
        "meetings:checkin", args=[checkin.partnership.cohort.slug, checkin.pk]
    )


def _propose(
    checkin: CheckIn,
    pair: Partnership,
    start: dt.datetime,
    proposer: Application,
    at: dt.datetime,
    *,
    confirmed: bool,
) -> None:
    """``proposer`` proposed ``start`` at ``at`` (the partner was e-mailed then)."""
    checkin.proposed_at, checkin.proposed_by = start, proposer.applicant
    checkin.duration_minutes, checkin.confirmed = CHECKIN_MINUTES, confirmed
    checkin.save()
    partner = pair.partner_of(proposer)
    _sent(
        partner,
        kind="checkin-proposed",
        template="checkin_proposed",
        context={
            "checkin": checkin,
            "partner": partner,
            "proposer": proposer.applicant,
            "late": False,
            "url": _checkin_url(checkin),
        },
        at=at,
    )


def _held(
    checkin: CheckIn,
    pair: Partnership,
    slots: list[dt.datetime],
    rng: random.Random,
    now: dt.datetime,
    *,
    logger: Application | None = None,
) -> None:
    """Proposed, confirmed, held at one of ``slots`` and logged a little later (before now)."""
    if not slots:
        return
    start = rng.choice(slots)
    proposer = rng.choice([pair.experienced, pair.learning])
    proposed_on = max(
        start - dt.timedelta(days=rng.randint(3, 12), hours=rng.randint(0, 8)),
        pair.published_at or start - 3 * ONE_DAY,
    )
    _propose(checkin, pair, start, proposer, proposed_on, confirmed=True)
    logger = logger or rng.choice([pair.experienced, pair.learning])
    ended = start + dt.timedelta(minutes=CHECKIN_MINUTES)
    challenge = rng.choice(CHECKIN_CHALLENGES)
    log_checkin(
        checkin,
        logger.applicant,
        held_on=to_local(start, logger.applicant.timezone).date(),  # the logger's own date
        held_at=start,
        progress=_(rng.choice(PROGRESS)),
        challenges=_(challenge) if challenge else "",
        next_steps=_(rng.choice(NEXT_STEPS)),
        rating=rng.randint(3, 5),
    )
    logged_at = max(
        ended, min(ended + dt.timedelta(hours=rng.randint(1, 48)), now - dt.timedelta(minutes=30))
    )
    CheckIn.objects.filter(pk=checkin.pk).update(logged_at=logged_at)
    checkin.logs.update(created_at=logged_at)  # the account is dated when it was written


def _proposed(
    checkin: CheckIn,
    pair: Partnership,
    slots: list[dt.datetime],
    rng: random.Random,
    now: dt.datetime,
    *,
    confirmed: bool,
) -> None:
    """A time ahead proposed in the last few days (and confirmed, or awaiting the partner)."""
    if not slots:
        return
    proposed_on = now - dt.timedelta(hours=rng.randint(2, 5 * 24))
    _propose(
        checkin,
        pair,
        rng.choice(slots[:4]),
        rng.choice([pair.experienced, pair.learning]),
        max(proposed_on, pair.published_at or proposed_on),
        confirmed=confirmed,
    )


# --- Training workshops -------------------------------------------------------------------------

WORKSHOP_DESCRIPTION = N_(
    "A hands-on session for Consortium Leads.\n\n"
    "- what works, from leads who have done it\n"
    "- your questions, answered by peers\n\n"
    "Bring **one question** from your consortium."
)


def _workshop(cohort, coordinator, rng, title, created_at, **fields) -> Workshop:
    workshop = Workshop.objects.create(
        cohort=cohort,
        title=title,
        description=_(WORKSHOP_DESCRIPTION),
        video_url=f"https://meet.example.org/{cohort.slug}-workshop-{Workshop.objects.count() + 1}",
        created_by=coordinator,
        **fields,
    )
    Workshop.objects.filter(pk=workshop.pk).update(created_at=created_at)
    workshop.topics.set(rng.sample(list(Topic.objects.filter(is_active=True)), 2))
    return workshop


def _attendees(cohort, rng, count, exclude=()) -> list[Application]:
    accepted = [
        a
        for a in Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED)
        .select_related("applicant")
        .order_by("pk")
        if a.pk not in exclude
    ]
    return rng.sample(accepted, min(count, len(accepted)))


COMMENTS = [
    N_("Very practical, thank you."),
    N_("Good examples from other consortia."),
    N_("I would have liked more time for questions."),
]


def _past_workshop(cohort, coordinator, rng, *, title, starts_at, created_at) -> Workshop:
    """A workshop given once, with its attendance marked and most attendees' ratings."""
    workshop = _workshop(cohort, coordinator, rng, title, created_at, capacity=20)
    session = Session.objects.create(
        workshop=workshop, label=_("All regions"), starts_at=starts_at, duration_minutes=90
    )
    for app in _attendees(cohort, rng, 14):
        attended = rng.random() < 0.85
        rated = attended and rng.random() < 0.75
        Registration.objects.create(
            session=session,
            person=app.applicant,
            status=Registration.Status.REGISTERED,
            gap=app.is_gap,
            queued_at=min(
                created_at + dt.timedelta(hours=rng.randint(1, 200)),
                starts_at - dt.timedelta(hours=rng.randint(2, 24)),
            ),
            attended=attended,
            attendance_marked_by=coordinator,
            rating=rng.choice([3, 4, 4, 5, 5]) if rated else None,
            comment=_(rng.choice(COMMENTS)) if rated and rng.random() < 0.5 else "",
            rated_at=session.ends_at + dt.timedelta(minutes=rng.randint(10, 600))
            if rated
            else None,
        )
    return workshop


def _upcoming_workshop(cohort, coordinator, rng, now, *, participant, day, created_at) -> Workshop:
    """A workshop in two sessions a few days ahead: the Americas session is full with a
    waitlist, and the seat a cancellation freed this morning is offered to the demo participant
    (until tomorrow); the APAC session has seats left. A quarter of the seats are held for GAP
    regions."""
    experienced = _attendees(cohort, rng, 1, exclude={participant.pk})
    workshop = _workshop(
        cohort,
        coordinator,
        rng,
        _("Metadata quality for repositories"),
        created_at,
        capacity=8,
        gap_share=25,
        offer_hours=24,
    )
    workshop.facilitators.set([a.applicant for a in experienced])
    apac = Session.objects.create(
        workshop=workshop, label=_("APAC session"), starts_at=_at_utc(day, 2), duration_minutes=90
    )
    americas = Session.objects.create(
        workshop=workshop,
        label=_("Americas session"),
        starts_at=_at_utc(day, 15),
        duration_minutes=90,
    )
    taken = {participant.pk, *(a.pk for a in experienced)}
    people = _attendees(cohort, rng, 60, exclude=taken)
    queued = created_at + dt.timedelta(hours=2)

    def add(session, app, status, **extra):
        nonlocal queued
        queued += dt.timedelta(minutes=rng.randint(20, 300))
        return Registration.objects.create(
            session=session,
            person=app.applicant,
            status=status,
            gap=app.is_gap,
            queued_at=min(queued, now - dt.timedelta(hours=12)),
            **extra,
        )

    S = Registration.Status
    pool = list(people)

    def take(count: int, gap: bool | None = None) -> list[Application]:
        found = [a for a in pool if gap is None or a.is_gap == gap][:count]
        for app in found:
            pool.remove(app)
        return found

    # Americas: the two held seats taken by GAP registrants, five of the six others by anyone
    # (the demo participant's GAP status decides the sixth), one of them given up this morning.
    seated = take(2, gap=True) + take(5, gap=False)
    held = sum(a.is_gap for a in seated)
    # Full with the demo participant's offered seat; the held seats are the GAP registrants'.
    workshop.capacity, workshop.gap_share = len(seated) + 1, 25 if held == 2 else 0
    workshop.save(update_fields=["capacity", "gap_share"])
    for app in seated:
        add(americas, app, S.REGISTERED)
    for app in take(1):
        cancelled = add(americas, app, S.REGISTERED)
        offered_at = now - dt.timedelta(hours=5)
        Registration.objects.filter(pk=cancelled.pk).update(
            status=S.CANCELLED, cancelled_at=offered_at
        )
        add(
            americas,
            participant,
            S.OFFERED,
            offered_at=offered_at,
            offer_expires_at=offered_at + dt.timedelta(hours=workshop.offer_hours),
        )
        for app in take(3):  # full: the others wait
            add(americas, app, S.WAITLISTED)
    for app in take(min(4, workshop.capacity - 1)):  # seats left
        add(apac, app, S.REGISTERED)
    return workshop


# --- Workshop follow-up: topics the cohort proposes, materials, the demo participant's seat ------

TOPIC_PROPOSALS = [
    (
        N_("Negotiating fees with member organisations"),
        N_("Several of us renegotiate our consortium fees this year and want to compare models."),
        "fee-models-billing",
    ),
    (
        N_("Onboarding a new repository in its first month"),
        N_("What to check, which training to give, and how to avoid a year of bad metadata."),
        "recruiting-onboarding",
    ),
    (
        N_("Making the case for PIDs to a ministry"),
        N_("Arguments and examples that worked for national PID policies."),
        "pid-advocacy-policy",
    ),
    (
        N_("Running helpdesk support with one person"),
        N_("Templates, office hours and when to escalate to DataCite support."),
        "helpdesk-support",
    ),
    (
        N_("Grant funding for consortium work"),
        N_("Which funders paid for consortium staff, and how the proposals were written."),
        "sustainability-funding",
    ),
    (N_("Reporting usage to our members"), "", None),
]


def _slides_pdf(title: str) -> bytes:
    """A two-page slide deck (generated text; nothing copied)."""
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_font("helvetica", "B", 22)
    pdf.add_page()
    pdf.multi_cell(0, 12, title, align="C")
    pdf.set_font("helvetica", "", 14)
    pdf.add_page()
    for line in (
        "Three fee models in DataCite consortia (demo)",
        "1. Flat fee per organisation",
        "2. Tiers by DOIs registered",
        "3. Cost recovery shared by size",
    ):
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _workshop_follow_up(cohort, coordinator, rng, now, *, past, planned, participant, since):
    """Topics proposed and upvoted by the cohort (the first one planned as the upcoming
    workshop), the past workshop's slides and recording (filed in the resource library), and
    the demo participant among its attendees, so that their certificate can be downloaded."""
    seat = Registration.objects.filter(session__workshop=past, person=participant.applicant)
    session = past.sessions.first()
    if not seat.exists():
        Registration.objects.create(
            session=session,
            person=participant.applicant,
            status=Registration.Status.REGISTERED,
            gap=participant.is_gap,
            queued_at=session.starts_at - dt.timedelta(days=3),
            attended=True,
            attendance_marked_by=coordinator,
        )
    else:
        seat.update(attended=True, attendance_marked_by=coordinator)
    slides = Material.objects.create(
        workshop=past, kind=Material.Kind.SLIDES, title=_("Slides: consortium fee models")
    )
    upload = ContentFile(_slides_pdf(past.title), name="fee-models-slides.pdf")
    slides.file.save(upload.name, upload, save=True)
    recording = Material.objects.create(
        workshop=past,
        kind=Material.Kind.RECORDING,
        title=_("Recording"),
        url=f"https://video.example.org/recordings/{cohort.slug}-fee-models",
    )
    Material.objects.filter(pk__in=[slides.pk, recording.pk]).update(
        added_at=session.ends_at + dt.timedelta(hours=20)
    )
    upload.seek(0)
    workshop_materials.file_in_library(slides, upload, actor=coordinator)
    workshop_materials.file_in_library(recording, actor=coordinator)

    people = [
        a.applicant
        for a in Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED)
        .select_related("applicant")
        .order_by("pk")
    ]
    topics = {t.slug: t for t in Topic.objects.all()}
    span = max(1, int((now - since).total_seconds() // 3600) - 24)
    for k, (title, why, slug) in enumerate(TOPIC_PROPOSALS):
        proposer = people[(7 * k + 3) % len(people)]
        proposal = TopicProposal.objects.create(
            cohort=cohort,
            title=_(title),
            description=_(why) if why else "",
            topic=topics.get(slug) if slug else None,
            proposed_by=proposer,
            workshop=planned if k == 0 else None,
        )
        created = since + dt.timedelta(hours=rng.randint(1, span))
        TopicProposal.objects.filter(pk=proposal.pk).update(created_at=created)
        voters = {proposer.pk: proposer}
        for person in rng.sample(people, min(len(people), rng.randint(2, 18 - 2 * k))):
            voters.setdefault(person.pk, person)
        if k in (1, 2):
            voters.setdefault(participant.applicant_id, participant.applicant)
        TopicVote.objects.bulk_create(
            TopicVote(proposal=proposal, voter=person) for person in voters.values()
        )
        TopicVote.objects.filter(proposal=proposal).update(created_at=created)
