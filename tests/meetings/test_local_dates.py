"""Dates are each person's own dates; a person has one zone (their profile's) everywhere.

Expected values are worked out here with zoneinfo, independently of the code under test."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tandem.cohorts.models import Cohort
from tandem.meetings import services
from tandem.meetings.models import Meeting
from tandem.notifications.services import send_reminders

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

LA, BERLIN, NAIROBI = (
    ZoneInfo(z) for z in ("America/Los_Angeles", "Europe/Berlin", "Africa/Nairobi")
)


def at(zone: ZoneInfo, *args) -> dt.datetime:
    """The instant at which clocks in ``zone`` show ``args`` (unambiguous times only)."""
    return dt.datetime(*args, tzinfo=zone).astimezone(dt.UTC)


def set_zone(application, tzname: str) -> None:
    application.applicant.timezone = tzname
    application.applicant.save()


@pytest.fixture
def due_today_in_la(clock_free_pair):
    """Check-in 1 due on 2026-06-10; Lin (the learning lead) lives in Los Angeles."""
    cohort, people, pair = clock_free_pair
    set_zone(people["lin"], "America/Los_Angeles")
    checkin = pair.checkins.get(round=1)
    checkin.window_start, checkin.due_date = dt.date(2026, 3, 11), dt.date(2026, 6, 10)
    checkin.save()
    return cohort, people, pair, checkin


@pytest.fixture
def clock_free_pair(published_pair_at):
    return published_pair_at(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC))


@pytest.fixture
def published_pair_at(request):
    """Build the ``published_pair`` fixture with "now" at a given instant."""

    def build(instant: dt.datetime):
        with time_machine.travel(instant, tick=False):
            return request.getfixturevalue("published_pair")

    return build


def test_not_overdue_in_la_at_1707_on_the_due_day(client, due_today_in_la):
    cohort, people, pair, checkin = due_today_in_la
    instant = at(LA, 2026, 6, 10, 17, 7)  # = 2026-06-11 00:07 UTC, 02:07 in Berlin
    assert instant.date() == dt.date(2026, 6, 11)
    with time_machine.travel(instant, tick=False):
        client.force_login(people["lin"].applicant)
        home = client.get("/")
        assert [
            status for _c, status in home.context["blocks_by_name"]["checkins"]["checkins"]
        ] == ["due"]
        page = client.get(reverse("meetings:checkin", args=[cohort.slug, checkin.pk]))
        assert page.context["status"] == "due"
        client.force_login(people["eva"].applicant)  # in Berlin it is the 11th: overdue
        home = client.get("/")
        assert [
            status for _c, status in home.context["blocks_by_name"]["checkins"]["checkins"]
        ] == ["overdue"]


def test_overdue_reminder_follows_each_partners_date(due_today_in_la):
    _, people, _, _ = due_today_in_la
    with time_machine.travel(at(LA, 2026, 6, 10, 17, 7), tick=False):
        planned = {(r.to, r.kind) for r in services.plan_reminders(dt.datetime.now(dt.UTC))}
    assert planned == {
        (people["eva"].applicant.email, "checkin-overdue"),  # 02:07 on the 11th in Berlin
        (people["lin"].applicant.email, "checkin-due"),  # 17:07 on the 10th in LA
    }
    with time_machine.travel(at(LA, 2026, 6, 11, 0, 1), tick=False):
        sent = send_reminders()
    assert {(r.to, r.kind) for r in sent} == {
        (people["eva"].applicant.email, "checkin-overdue"),
        (people["lin"].applicant.email, "checkin-overdue"),
    }


def test_due_in_seven_days_counts_the_recipients_days(due_today_in_la):
    _, people, _, _ = due_today_in_la
    # 2026-06-02 20:00 in LA = 2026-06-03 03:00 UTC = 05:00 on the 3rd in Berlin.
    with time_machine.travel(at(LA, 2026, 6, 2, 20, 0), tick=False):
        kinds = {(r.to, r.kind) for r in services.plan_reminders(dt.datetime.now(dt.UTC))}
    # On the 2nd in LA the due date is 8 days away; in Berlin it is already the 3rd (7 days).
    assert kinds == {(people["eva"].applicant.email, "checkin-due")}


@pytest.mark.parametrize(
    ("tzname", "word"),
    [
        ("Europe/London", "Today"),  # now 01:00, starts 23:30 the same day (GMT in January)
        ("Africa/Nairobi", "Tomorrow"),  # now 04:00, starts 02:30 the next day
        ("Pacific/Auckland", "Tomorrow"),  # now 14:00, starts 12:30 the next day (NZDT)
        ("Pacific/Honolulu", "Tomorrow"),  # now 15:00 the day before, starts 13:30
        ("Asia/Kathmandu", "Tomorrow"),  # now 06:45, starts 05:15 the next day
        ("America/St_Johns", "Tomorrow"),  # now 21:30 the day before, starts 20:00
        ("Atlantic/Azores", "Today"),  # now 00:00, starts 22:30 the same day (UTC−1)
    ],
)
def test_meeting_reminder_says_today_or_tomorrow_by_the_recipients_date(
    published_pair_at, tzname, word
):
    now = dt.datetime(2026, 1, 14, 1, 0, tzinfo=dt.UTC)
    cohort, people, _ = published_pair_at(now - dt.timedelta(days=1))
    start = dt.datetime(2026, 1, 14, 23, 30, tzinfo=dt.UTC)
    Meeting.objects.create(cohort=cohort, title="Orientation", starts_at=start)
    set_zone(people["lin"], tzname)
    zone = ZoneInfo(tzname)
    same_day = now.astimezone(zone).date() == start.astimezone(zone).date()
    assert word == ("Today" if same_day else "Tomorrow")  # the table above, checked by zoneinfo
    with time_machine.travel(now, tick=False):
        sent = [r for r in send_reminders() if r.kind == "meeting-tomorrow"]
    lin = next(r for r in sent if r.to == people["lin"].applicant.email)
    assert lin.subject == f"{word}: Orientation"
    assert f"{start.astimezone(zone):%H:%M} {tzname.replace('_', ' ')}" in lin.body


def test_profile_zone_is_the_persons_zone_on_home_page_and_in_emails(client, clock_free_pair):
    """Lin applied from Nairobi, then moved to Tokyo: Tokyo is her zone everywhere."""
    cohort, people, pair = clock_free_pair
    lin = people["lin"]
    assert lin.timezone == "Africa/Nairobi"
    set_zone(lin, "Asia/Tokyo")
    with time_machine.travel(dt.datetime(2026, 5, 4, 1, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(lin.applicant)
        home = client.get("/")
        body = home.content.decode()
        windows = home.context["blocks_by_name"]["partners"]["partners"][0]["windows"]
        assert windows
        start, end = windows[0]
        tokyo = start.astimezone(ZoneInfo("Asia/Tokyo"))
        assert f"{tokyo:%a %H:%M}–{end.astimezone(ZoneInfo('Asia/Tokyo')):%H:%M} Asia/Tokyo" in body
        assert "Africa/Nairobi" not in body
        # Eva proposes a time: Lin's e-mail names it in Tokyo time.
        checkin = pair.checkins.get(round=1)
        proposed = dt.datetime(2026, 5, 11, 8, 0, tzinfo=dt.UTC)
        services.propose(checkin, people["eva"].applicant, proposed)
    message = mail.outbox[-1]
    assert message.to == [lin.applicant.email]
    assert "11 May 2026, 17:00 Asia/Tokyo (UTC+09:00)" in message.body


def test_log_form_default_date_is_the_loggers_date(client, clock_free_pair):
    cohort, people, pair = clock_free_pair
    set_zone(people["lin"], "America/Los_Angeles")
    checkin = pair.checkins.get(round=1)
    url = reverse("meetings:checkin", args=[cohort.slug, checkin.pk])
    instant = at(LA, 2026, 5, 6, 20, 0)  # 7 May in UTC and in Berlin
    with time_machine.travel(instant, tick=False):
        client.force_login(people["lin"].applicant)
        assert client.get(url).context["log_form"].initial["held_on"] == dt.date(2026, 5, 6)
        client.force_login(people["eva"].applicant)
        assert client.get(url).context["log_form"].initial["held_on"] == dt.date(2026, 5, 7)


def test_logged_date_differing_from_the_confirmed_day_must_be_acknowledged(client, clock_free_pair):
    cohort, people, pair = clock_free_pair
    checkin = pair.checkins.get(round=1)
    # Confirmed for Monday 2026-05-04 22:30 UTC = Tuesday 01:30 in Nairobi.
    checkin.proposed_at = dt.datetime(2026, 5, 4, 22, 30, tzinfo=dt.UTC)
    checkin.proposed_by, checkin.confirmed = people["eva"].applicant, True
    checkin.save()
    url = reverse("meetings:checkin", args=[cohort.slug, checkin.pk])
    log = {"progress": "Fees.", "next_steps": "Members.", "rating": "4"}
    with time_machine.travel(dt.datetime(2026, 5, 8, 9, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(people["lin"].applicant)
        assert client.get(url).context["log_form"].initial["held_on"] == dt.date(2026, 5, 5)
        response = client.post(url + "log/", {**log, "held_on": "2026-05-04"})
        assert response.status_code == 400
        assert "May 5, 2026" in response.context["log_form"].errors["held_on"][0]
        checkin.refresh_from_db()
        assert checkin.logged_at is None
        # Saying so is enough, and the page shows the difference.
        response = client.post(url + "log/", {**log, "held_on": "2026-05-04", "other_day": "on"})
        assert response.status_code == 302
        page = client.get(url)
        assert [a["as_planned"] for a in page.context["accounts"]] == [False]
        assert "held-other-day" in page.content.decode()


def test_logged_time_hours_from_the_confirmed_time_must_be_acknowledged(client, clock_free_pair):
    cohort, people, pair = clock_free_pair
    checkin = pair.checkins.get(round=1)
    # Confirmed for 2026-05-04 14:00 in Nairobi (11:00 UTC), Lin's zone.
    checkin.proposed_at = at(NAIROBI, 2026, 5, 4, 14, 0)
    checkin.proposed_by, checkin.confirmed = people["eva"].applicant, True
    checkin.save()
    url = reverse("meetings:checkin", args=[cohort.slug, checkin.pk])
    log = {"held_on": "2026-05-04", "progress": "Fees.", "next_steps": "Members.", "rating": "4"}
    with time_machine.travel(dt.datetime(2026, 5, 8, 9, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(people["lin"].applicant)
        assert client.get(url).context["log_form"].initial["held_time"] == dt.time(14, 0)
        response = client.post(url + "log/", {**log, "held_time": "03:00"})
        assert response.status_code == 400
        error = response.context["log_form"].errors["held_time"][0]
        assert "14:00" in error and "03:00" in error
        checkin.refresh_from_db()
        assert checkin.logged_at is None
        # Saying so is enough; the time is kept (UTC) and the page shows the difference.
        response = client.post(url + "log/", {**log, "held_time": "03:00", "other_time": "on"})
        assert response.status_code == 302
        assert checkin.logs.get().held_at == at(NAIROBI, 2026, 5, 4, 3, 0)
        page = client.get(url)
        assert [a["at_planned_time"] for a in page.context["accounts"]] == [False]
        assert "held-other-time" in page.content.decode()
        # Within three hours of the confirmed time, nothing to acknowledge.
        client.force_login(people["eva"].applicant)  # Berlin: confirmed for 13:00
        response = client.post(url + "log/", {**log, "held_time": "15:30"})
        assert response.status_code == 302
        assert checkin.logs.get(author=people["eva"].applicant).held_at == at(
            BERLIN, 2026, 5, 4, 15, 30
        )


def test_log_in_the_future_of_the_logger_is_refused(client, clock_free_pair):
    cohort, people, pair = clock_free_pair
    set_zone(people["lin"], "America/Los_Angeles")
    checkin = pair.checkins.get(round=1)
    url = reverse("meetings:checkin", args=[cohort.slug, checkin.pk])
    log = {"progress": "Fees.", "next_steps": "Members.", "rating": "4"}
    # 2026-05-07 02:00 UTC is still 6 May in Los Angeles: the 7th is tomorrow for Lin.
    with time_machine.travel(dt.datetime(2026, 5, 7, 2, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(people["lin"].applicant)
        response = client.post(url + "log/", {**log, "held_on": "2026-05-07"})
        assert response.status_code == 400 and "held_on" in response.context["log_form"].errors
        response = client.post(url + "log/", {**log, "held_on": "2026-05-06"})
        assert response.status_code == 302


# --- Rounds and proposals -----------------------------------------------------------------


@pytest.mark.unit
def test_rounds_have_no_one_day_tail():
    cohort = Cohort(
        program_start=dt.date(2025, 1, 31),
        program_end=dt.date(2025, 4, 30),
        checkin_cadence_months=3,
    )
    assert services.rounds(cohort) == [(1, dt.date(2025, 1, 31), dt.date(2025, 4, 30))]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("start", "end", "expected_last"),
    [
        # A tail of 45 days (half of the 90-day quarter) stays a round of its own ...
        (dt.date(2025, 1, 1), dt.date(2026, 2, 14), (5, dt.date(2026, 1, 1), dt.date(2026, 2, 14))),
        # ... one of 44 days joins the round before.
        (
            dt.date(2025, 1, 1),
            dt.date(2026, 2, 13),
            (4, dt.date(2025, 10, 1), dt.date(2026, 2, 13)),
        ),
    ],
)
def test_a_short_tail_joins_the_round_before(start, end, expected_last):
    cohort = Cohort(program_start=start, program_end=end, checkin_cadence_months=3)
    rounds = services.rounds(cohort)
    assert rounds[-1] == expected_last
    # The rounds tile the programme: no gap, no overlap, first day to last day.
    assert rounds[0][1] == start and rounds[-1][2] == end
    for (_, _, due), (_, nxt, _) in zip(rounds, rounds[1:], strict=False):
        assert nxt == due + dt.timedelta(days=1)


def test_proposal_before_the_round_opens_is_refused_after_due_is_flagged(client, clock_free_pair):
    cohort, people, pair = clock_free_pair
    checkin = pair.checkins.get(round=2)
    url = reverse("meetings:checkin_action", args=[cohort.slug, checkin.pk, "propose"])
    eva = people["eva"].applicant
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC), tick=False):
        client.force_login(eva)
        before = checkin.window_start - dt.timedelta(days=1)
        client.post(url, {"custom": f"{before.isoformat()}T12:00", "duration": "60"})
        checkin.refresh_from_db()
        assert checkin.proposed_at is None
        # 00:30 on the round's first day in Berlin is 01:30 the same day in Nairobi: accepted.
        first = checkin.window_start
        client.post(url, {"custom": f"{first.isoformat()}T00:30", "duration": "60"})
        checkin.refresh_from_db()
        assert checkin.proposed_at == at(BERLIN, first.year, first.month, first.day, 0, 30)
        assert not services.is_late(checkin)
        late = checkin.due_date + dt.timedelta(days=3)
        response = client.post(
            url, {"custom": f"{late.isoformat()}T12:00", "duration": "60"}, follow=True
        )
        checkin.refresh_from_db()
        assert checkin.proposed_at == at(BERLIN, late.year, late.month, late.day, 12, 0)
        assert services.is_late(checkin)
        assert "counts as late" in response.content.decode()


def test_suggestions_stay_inside_the_round_for_both_partners(clock, published_pair):
    _, people, pair = published_pair
    now = dt.datetime.now(dt.UTC)
    for checkin in pair.checkins.all():
        for start in services.suggested_times(checkin, now, limit=40):
            assert start >= now + dt.timedelta(hours=1)
            for zone in (BERLIN, NAIROBI):
                assert checkin.window_start <= start.astimezone(zone).date() <= checkin.due_date
