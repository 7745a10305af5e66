"""The demo is alive on whatever day it is seeded.

Every test freezes the clock (time-machine) and checks the seeded data against expectations
computed here with plain ``zoneinfo`` and calendar arithmetic, not with the seeding code."""

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from tandem.accounts.models import User
from tandem.applications.models import Application
from tandem.cohorts.models import Cohort
from tandem.core.models import ActivityLog
from tandem.demo import seed as demo
from tandem.meetings.models import CheckIn, CheckInLog, Meeting
from tandem.meetings.services import held_as_planned, suggested_times
from tandem.notifications.models import OutboxMessage
from tandem.partnerships.models import MatchRun, Partnership
from tandem.workshops import services
from tandem.workshops.models import Registration, Session, Workshop
from tests.clocks import ODD_INSTANTS

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

LA = ZoneInfo("America/Los_Angeles")
UTC = dt.UTC

# The suite's odd instants (tests/clocks.py) and a few more where the demo's calendar is tricky.
INSTANTS = [pytest.param(at, id=name) for name, at in ODD_INSTANTS.items()] + [
    pytest.param(dt.datetime(2026, 12, 6, 23, 30, tzinfo=UTC), id="sun-2330Z"),
    pytest.param(dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC), id="eu-sprung-forward"),
    pytest.param(dt.datetime(2026, 11, 1, 9, 0, tzinfo=UTC), id="us-falling-back"),
    # Round 2 cannot be due a week later (no programme starts on 29-31 February 2027): 5 days.
    pytest.param(dt.datetime(2027, 8, 22, 22, 0, tzinfo=UTC), id="end-of-august"),
]


def plus_months(day: dt.date, months: int) -> dt.date:
    """``day`` ``months`` calendar months later, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def local_day(instant: dt.datetime, zone: str) -> dt.date:
    return instant.astimezone(ZoneInfo(zone)).date()


def check_account(checkin: CheckIn, account: CheckInLog, now: dt.datetime) -> None:
    """An account is written by a partner after the meeting, before now, with notes and a
    rating, dated on its author's own calendar."""
    pair = checkin.partnership
    author = account.author
    assert author.pk in (pair.experienced.applicant_id, pair.learning.applicant_id)
    assert account.progress and account.next_steps and 1 <= account.rating <= 5
    assert account.created_at <= now
    assert account.held_on <= local_day(now, author.timezone)
    assert checkin.window_start <= account.held_on <= checkin.due_date
    assert account.held_on <= local_day(account.created_at, author.timezone)
    if checkin.proposed_at:  # held as confirmed: on the confirmed day, in the author's zone
        assert checkin.confirmed and checkin.proposed_at < account.created_at
        assert account.held_on == local_day(checkin.proposed_at, author.timezone)
        assert held_as_planned(checkin, account)


def participant_pair(summary) -> Partnership:
    pairs = Partnership.objects.filter(status="published", cohort__slug=summary["current"]).filter(
        learning__applicant__email=demo.PARTICIPANT_EMAIL
    ) | Partnership.objects.filter(
        status="published",
        cohort__slug=summary["current"],
        experienced__applicant__email=demo.PARTICIPANT_EMAIL,
    )
    assert pairs.count() == 1
    return pairs.get()


def check_current_cohort_is_in_its_second_quarter(now, summary):
    today = now.date()
    current = Cohort.objects.get(slug=summary["current"])
    assert current.program_start <= today < current.program_end
    assert plus_months(current.program_start, 3) <= today < plus_months(current.program_start, 6)
    assert current.program_end == plus_months(current.program_start, 12) - dt.timedelta(days=1)
    assert current.phase(now) == "running"
    # Its application window is history, entered as Los Angeles wall-clock times.
    closes = current.closes_at.astimezone(LA)
    assert (closes.hour, closes.minute) == (23, 59)
    assert current.opens_at < current.closes_at < now
    assert Partnership.objects.filter(cohort=current, status="published").count() >= 3
    # Round 2 of every pair is the one under way, due within the week.
    second = CheckIn.objects.filter(partnership__cohort=current, round=2)
    assert second.exists()
    for checkin in second:
        assert checkin.window_start <= today <= checkin.due_date
        assert 0 <= (checkin.due_date - today).days <= 7
        assert checkin.window_start == plus_months(current.program_start, 3)


def check_participant_has_a_due_checkin_to_propose(now, summary):
    pair = participant_pair(summary)
    me = User.objects.get(email=demo.PARTICIPANT_EMAIL)
    checkins = {c.round: c for c in pair.checkins.all()}
    first, due = checkins[1], checkins[2]
    assert first.status(now.date()) == "done"
    assert first.logged_by_id == me.pk
    for account in first.logs.select_related("author"):
        check_account(first, account, now)
    # Due today, by the UTC date and by the participant's own date.
    for today in (now.date(), local_day(now, me.timezone)):
        assert due.status(today) == "due"
        assert due.window_start <= today <= due.due_date
    assert due.proposed_at is None and due.logged_at is None
    ahead = [t for t in suggested_times(due, now) if t > now]
    assert ahead, "the participant must be able to propose a time"
    assert any(
        local_day(t, zone) <= due.due_date
        for t in ahead
        for zone in {pair.experienced.applicant.timezone, pair.learning.applicant.timezone}
    )
    assert all(c.status(now.date()) == "upcoming" for r, c in checkins.items() if r > 2)


def check_checkins_are_logged_in_the_past_only(now, summary):
    logged = CheckIn.objects.filter(logged_at__isnull=False).select_related(
        "logged_by", "partnership__experienced", "partnership__learning"
    )
    current = logged.filter(partnership__cohort__slug=summary["current"])
    assert current.count() >= 2
    assert current.filter(round=1).exists()
    for checkin in logged:
        assert checkin.logged_at <= now
        assert checkin.held_on <= local_day(now, checkin.logged_by.timezone)
        assert checkin.logs.exists()
        for account in checkin.logs.select_related("author"):
            check_account(checkin, account, now)
    # A time proposed but not held yet lies ahead; rounds not open yet are untouched.
    for checkin in CheckIn.objects.filter(logged_at__isnull=True, proposed_at__isnull=False):
        assert checkin.proposed_at > now
        assert checkin.window_start <= now.date() <= checkin.due_date
    assert not CheckIn.objects.filter(window_start__gt=now.date(), proposed_at__isnull=False)


def check_orientation_is_past_and_a_workshop_is_ahead(now, summary):
    meetings = Meeting.objects.filter(cohort__slug=summary["current"])
    orientation = meetings.get(kind=Meeting.Kind.ORIENTATION)
    assert orientation.ends_at <= now
    current = Cohort.objects.get(slug=summary["current"])
    for meeting in Meeting.objects.all():
        assert meeting.created_at <= min(now, meeting.starts_at)
    # Training workshops: one behind with attendance and ratings, one ahead with a waitlist
    # and a seat offered to the demo participant until tomorrow.
    sessions = Session.objects.filter(workshop__cohort=current)
    ahead = sessions.filter(starts_at__gt=now)
    assert ahead.exists()
    for session in ahead:
        assert session.starts_at.date() <= current.program_end
    behind = Registration.objects.filter(session__in=sessions.filter(starts_at__lt=now))
    assert behind.filter(attended=True).exists() and behind.filter(rating__isnull=False).exists()
    assert all(r.rated_at <= now for r in behind.filter(rating__isnull=False))
    waiting = Registration.objects.filter(session__in=ahead, status="waitlisted")
    assert waiting.exists()
    offer = Registration.objects.get(session__in=ahead, status="offered")
    assert offer.person.email == summary["participant"]
    assert offer.offered_at < now < offer.offer_expires_at
    assert all(r.queued_at < now for r in Registration.objects.all())
    for workshop in Workshop.objects.all():
        assert workshop.created_at <= now
        for session in workshop.sessions.all():
            assert services.seats_of(session).taken <= workshop.capacity
    assert services.expire_offers(now) == 0  # the demo's waitlists are settled


def check_open_cohort_accepts_applications_now(now, summary):
    cohort = Cohort.objects.get(slug=summary["open"])
    assert cohort.is_open(now) and cohort.phase(now) == "open"
    assert cohort.closes_at - now >= dt.timedelta(weeks=4)
    closes = cohort.closes_at.astimezone(LA)
    assert (closes.hour, closes.minute) == (23, 59)
    # The deadline names exactly one instant in its zone (no DST gap or repeated hour).
    wall = closes.replace(tzinfo=None)
    assert (
        wall.replace(tzinfo=LA, fold=0).utcoffset() == wall.replace(tzinfo=LA, fold=1).utcoffset()
    )
    assert wall.replace(tzinfo=LA).astimezone(UTC) == cohort.closes_at
    assert cohort.program_start > closes.date()
    # Applications already in were sent while it was open.
    apps = Application.objects.filter(cohort=cohort)
    assert apps.exists()
    for app in apps:
        assert cohort.opens_at <= app.submitted_at <= now
    assert [c.slug for c in Cohort.objects.all() if c.is_open(now)] == [cohort.slug]


def check_no_record_is_dated_in_the_future_or_out_of_order(now, _summary):
    for message in OutboxMessage.objects.select_related("cohort"):
        assert message.created_at <= now
        assert message.sent_at is None or message.sent_at <= now
    for entry in ActivityLog.objects.select_related("cohort"):
        assert entry.created_at <= now
        if entry.cohort and entry.action.startswith("pairing."):
            assert entry.created_at > entry.cohort.closes_at
    published = OutboxMessage.objects.filter(kind="pair-published").select_related("cohort")
    assert published.exists()
    for message in published:
        assert message.cohort.closes_at < message.created_at <= now
    for run in MatchRun.objects.select_related("cohort"):
        assert run.cohort.closes_at < run.created_at <= now
    for pair in Partnership.objects.filter(status="published").select_related("cohort"):
        assert pair.cohort.closes_at < pair.approved_at <= pair.published_at <= now
        assert pair.published_at.date() <= pair.cohort.program_start
    for app in Application.objects.select_related("cohort", "applicant"):
        assert app.created_at <= now and app.updated_at <= now
        assert app.applicant.date_joined <= app.created_at
        if app.submitted_at:
            assert app.created_at <= app.submitted_at
            assert app.cohort.opens_at <= app.submitted_at <= app.cohort.closes_at
        if app.decided_at:
            assert app.cohort.closes_at < app.decided_at <= now
    for cohort in Cohort.objects.all():
        assert cohort.created_at <= min(now, cohort.opens_at)
    assert all(user.date_joined <= now for user in User.objects.all())


def check_pages_show_the_live_demo(client, summary):
    current = Cohort.objects.get(slug=summary["current"])
    opened = Cohort.objects.get(slug=summary["open"])
    assert opened.name in client.get(reverse("home")).content.decode()
    client.force_login(User.objects.get(email=demo.PARTICIPANT_EMAIL))
    home = client.get(reverse("home")).content.decode()
    assert f"Your partner in {current.name}" in home
    assert "status-due" in home
    due = participant_pair(summary).checkins.get(round=2)
    assert client.get(reverse("meetings:checkin", args=[current.slug, due.pk])).status_code == 200
    assert "A seat is offered to you" in home  # the workshops block
    browse = client.get(reverse("workshops:list", args=[current.slug])).content.decode()
    assert "Metadata quality for repositories" in browse


@pytest.mark.parametrize("now", INSTANTS)
def test_demo_seeded_at_any_instant_is_alive(now, client):
    """Seed the demo (24 applicants per cohort) at a frozen instant and check, still at that
    instant, every promise of a live demo."""
    with time_machine.travel(now, tick=False):
        summary = demo.seed(n_applicants=24)
        check_current_cohort_is_in_its_second_quarter(now, summary)
        check_participant_has_a_due_checkin_to_propose(now, summary)
        check_checkins_are_logged_in_the_past_only(now, summary)
        check_orientation_is_past_and_a_workshop_is_ahead(now, summary)
        check_open_cohort_accepts_applications_now(now, summary)
        check_no_record_is_dated_in_the_future_or_out_of_order(now, summary)
        check_pages_show_the_live_demo(client, summary)


def test_the_2024_cohort_stays_as_announced_and_finished():
    with time_machine.travel(dt.datetime(2026, 6, 1, 0, 5, tzinfo=UTC), tick=False):
        demo.seed(n_applicants=24)
        past = Cohort.objects.get(slug="2024")
        assert past.closes_at == dt.datetime(2024, 4, 13, 6, 59, tzinfo=UTC)  # 23:59 PDT
        assert past.phase() == "finished"
        assert Application.objects.filter(cohort=past).count() == 24
        assert not Application.objects.filter(
            cohort=past, applicant__email=demo.PARTICIPANT_EMAIL
        ).exists()
        assert Partnership.objects.filter(cohort=past, status="published").exists()
        assert CheckIn.objects.filter(partnership__cohort=past, logged_at__isnull=False).exists()
        assert MatchRun.objects.order_by("pk").first().cohort == past  # run #1


def test_without_publishing_nobody_is_paired():
    with time_machine.travel(dt.datetime(2026, 11, 1, 9, 0, tzinfo=UTC), tick=False):
        demo.seed(n_applicants=20, publish_match=False)
    assert not MatchRun.objects.exists() and not Partnership.objects.exists()
    assert Application.objects.filter(cohort__slug="2024", status="accepted").exists()


@pytest.mark.parametrize(
    ("day", "at", "expected"),
    [
        # 02:30 does not exist on 2026-03-08 in Los Angeles: the next day, PDT (UTC-7).
        (dt.date(2026, 3, 8), dt.time(2, 30), dt.datetime(2026, 3, 9, 9, 30, tzinfo=UTC)),
        # 01:30 happens twice on 2026-11-01: the next day, PST (UTC-8).
        (dt.date(2026, 11, 1), dt.time(1, 30), dt.datetime(2026, 11, 2, 9, 30, tzinfo=UTC)),
        # 23:59 on the day clocks go back is unambiguous (PST).
        (dt.date(2026, 11, 1), dt.time(23, 59), dt.datetime(2026, 11, 2, 7, 59, tzinfo=UTC)),
    ],
)
def test_wall_clock_deadlines_avoid_dst_gaps_and_overlaps(day, at, expected):
    assert demo.wall_clock(day, at, "America/Los_Angeles") == expected


def test_every_day_of_a_year_falls_in_a_second_round_due_within_the_week():
    """From August 2027 (after a short February) to August 2028 (after a leap day)."""
    day = dt.date(2027, 8, 1)
    while day < dt.date(2028, 9, 1):
        start, end = demo.current_programme(day)
        assert plus_months(start, 3) <= day < plus_months(start, 6), day
        due = plus_months(start, 6) - dt.timedelta(days=1)
        assert 4 <= (due - day).days <= 7, day
        assert end == plus_months(start, 12) - dt.timedelta(days=1)
        day += dt.timedelta(days=1)


def test_seed_demo_command_builds_a_realistic_demo():
    with time_machine.travel(dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC), tick=False):
        call_command("seed_demo")
        current = Cohort.objects.exclude(slug="2024").filter(program_start__lte="2026-03-29")
        apps = Application.objects.filter(cohort=current.get())
        assert apps.count() == 60
        assert apps.filter(is_gap=True).exists() and apps.filter(is_gap=False).exists()
        assert len({a.organization.country.code for a in apps.select_related("organization")}) >= 30
        assert len({a.timezone for a in apps}) >= 30
        assert {a.preferred_role for a in apps} >= {"experienced", "learning"}
        assert Application.objects.filter(cohort__slug="2024").count() == 60
        assert User.objects.filter(email="coordinator@example.org", is_coordinator=True).exists()
        assert sum(c.is_open() for c in Cohort.objects.all()) == 1
        # It refuses to run twice, unless asked to skip.
        with pytest.raises(CommandError):
            call_command("seed_demo")
        call_command("seed_demo", "--if-empty")


def test_demo_coordinator_is_not_a_superuser_and_admin_is_separate(db):
    from django.contrib.auth import get_user_model

    from tandem.demo.seed import ADMIN_EMAIL, COORDINATOR_EMAIL, seed

    with time_machine.travel(ODD_INSTANTS["wed-0805Z"], tick=False):
        seed(n_applicants=12)
    users = get_user_model().objects
    coordinator = users.get(email=COORDINATOR_EMAIL)
    assert coordinator.is_coordinator and not coordinator.is_superuser and not coordinator.is_staff
    admin = users.get(email=ADMIN_EMAIL)
    assert admin.is_superuser and admin.is_staff
