import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.cohorts.models import Cohort
from tandem.meetings import services
from tandem.meetings.models import CheckIn
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import CohortFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.mark.unit
def test_quarterly_rounds_cover_the_program():
    cohort = Cohort(
        program_start=dt.date(2024, 6, 1),
        program_end=dt.date(2025, 5, 31),
        checkin_cadence_months=3,
    )
    assert services.rounds(cohort) == [
        (1, dt.date(2024, 6, 1), dt.date(2024, 8, 31)),
        (2, dt.date(2024, 9, 1), dt.date(2024, 11, 30)),
        (3, dt.date(2024, 12, 1), dt.date(2025, 2, 28)),
        (4, dt.date(2025, 3, 1), dt.date(2025, 5, 31)),
    ]


@pytest.mark.unit
def test_month_arithmetic_clamps_to_month_end():
    assert services.add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)
    assert services.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


def test_publishing_creates_checkins_idempotently(published_pair):
    cohort, _, pair = published_pair
    rounds = list(pair.checkins.values_list("round", flat=True))
    assert rounds == [1, 2, 3, 4]  # the first round is still open (30 days in)
    assert services.ensure_checkins(pair) == []
    assert services.sync_checkins(cohort) == 0


def _local_date(instant: dt.datetime, zone: str) -> dt.date:
    return instant.astimezone(ZoneInfo(zone)).date()


def test_pair_proposes_confirms_and_logs(clock, client, published_pair):
    cohort, people, pair = published_pair
    checkin = pair.checkins.get(round=1)
    url = reverse("meetings:checkin", args=[cohort.slug, checkin.pk])
    client.force_login(people["eva"].applicant)
    page = client.get(url)
    suggestions = page.context["propose_form"].fields["suggested"].choices[1:]
    assert suggestions, "the pair shares Monday/Wednesday mornings"
    now = timezone.now()
    for value, _label in suggestions:  # always in the future, at any hour of any day
        assert dt.datetime.fromisoformat(value) >= now + dt.timedelta(hours=1)
    client.post(url + "propose/", {"suggested": suggestions[0][0], "duration": "45"})
    checkin.refresh_from_db()
    assert checkin.proposed_at and checkin.proposed_by == people["eva"].applicant
    assert any("proposed a time" in m.subject for m in mail.outbox)
    # The proposer cannot confirm their own proposal; the partner can.
    client.post(url + "confirm/")
    checkin.refresh_from_db()
    assert not checkin.confirmed
    lin = people["lin"].applicant
    client.force_login(lin)
    client.post(url + "confirm/")
    checkin.refresh_from_db()
    today_nairobi = _local_date(timezone.now(), "Africa/Nairobi")
    assert checkin.confirmed and checkin.status(today_nairobi) == "scheduled"
    # Before the meeting, its log is refused: it has not happened yet.
    held = _local_date(checkin.proposed_at, "Africa/Nairobi")
    log = {
        "held_on": held.isoformat(),
        "progress": "Drafted a fee model.",
        "challenges": "",
        "next_steps": "Share it with members.",
        "rating": "5",
    }
    if held > today_nairobi:
        assert client.post(url + "log/", log).status_code == 400
    clock.move_to(checkin.ends_at + dt.timedelta(minutes=5))
    # The log form proposes the day of the confirmed time, in Lin's own zone.
    page = client.get(url)
    assert page.status_code == 200, page
    assert page.context["log_form"].initial["held_on"] == held
    response = client.post(url + "log/", log)
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.status(held) == "done" and checkin.held_on == held
    assert [(e.author, e.rating) for e in checkin.logs.all()] == [(lin, 5)]


def test_log_with_missing_fields_rerenders_with_errors(client, published_pair):
    cohort, people, pair = published_pair
    checkin = pair.checkins.get(round=1)
    client.force_login(people["lin"].applicant)
    response = client.post(
        reverse("meetings:checkin_action", args=[cohort.slug, checkin.pk, "log"]), {"rating": "9"}
    )
    assert response.status_code == 400
    assert "progress" in response.context["log_form"].errors
    checkin.refresh_from_db()
    assert checkin.logged_at is None


def test_custom_time_in_own_zone_and_past_refused(clock, client, published_pair):
    cohort, people, pair = published_pair
    checkin = pair.checkins.get(round=2)
    lin = people["lin"].applicant
    lin.timezone = "Africa/Nairobi"  # UTC+3
    lin.save()
    client.force_login(lin)
    day = checkin.window_start + dt.timedelta(days=10)  # well inside round 2
    local = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    url = reverse("meetings:checkin_action", args=[cohort.slug, checkin.pk, "propose"])
    client.post(url, {"custom": local.strftime("%Y-%m-%dT15:00"), "duration": "60"})
    checkin.refresh_from_db()
    assert checkin.proposed_at == local  # 15:00 Nairobi = 12:00 UTC
    assert checkin.sequence == 0
    client.post(url, {"custom": "2020-01-01T10:00", "duration": "60"})
    checkin.refresh_from_db()
    assert checkin.proposed_at == local
    client.post(url, {"custom": local.strftime("%Y-%m-%dT16:00"), "duration": "60"})
    checkin.refresh_from_db()
    assert checkin.sequence == 1  # a moved check-in is a new iCalendar revision


def test_coordinator_overview_shows_done_due_overdue(coordinator_client, published_pair):
    cohort, people, pair = published_pair
    first = pair.checkins.get(round=1)
    first.logged_at, first.held_on = timezone.now(), timezone.now().date()
    first.save()
    CheckIn.objects.filter(pk=pair.checkins.get(round=2).pk).update(
        window_start=dt.date(2020, 1, 1), due_date=dt.date(2020, 3, 1)
    )
    response = coordinator_client.get(reverse("meetings:checkins", args=[cohort.slug]))
    row = next(r for r in response.context["rows"] if r["pair"] == pair)
    assert row["done"] == 1 and row["overdue"] == 1
    assert "1: done" in response.content.decode()


def test_only_partners_see_and_act_on_a_checkin(client, published_pair):
    cohort, people, pair = published_pair
    checkin = pair.checkins.get(round=1)
    url = reverse("meetings:checkin", args=[cohort.slug, checkin.pk])
    client.force_login(people["leo"].applicant)  # in the cohort, other pair
    assert client.get(url).status_code == 404
    assert client.post(url + "log/", {"progress": "x"}).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(reverse("meetings:checkins", args=[cohort.slug])).status_code == 403


def test_checkin_under_another_cohort_is_not_found(client, published_pair):
    cohort, people, pair = published_pair
    other = CohortFactory()
    client.force_login(people["eva"].applicant)
    url = reverse("meetings:checkin", args=[other.slug, pair.checkins.first().pk])
    assert client.get(url).status_code == 404


def test_both_partners_accounts_are_kept_and_edits_keep_history(clock, client, published_pair):
    cohort, people, pair = published_pair
    checkin = pair.checkins.get(round=1)
    eva, lin = people["eva"].applicant, people["lin"].applicant
    url = reverse("meetings:checkin_action", args=[cohort.slug, checkin.pk, "log"])
    today = timezone.now().astimezone(ZoneInfo("Europe/Berlin")).date()
    held = max(checkin.window_start, today - dt.timedelta(days=1))
    log = {"held_on": held.isoformat(), "next_steps": "Share it.", "rating": "5"}
    client.force_login(eva)
    assert client.post(url, {**log, "progress": "Eva: fee model."}).status_code == 302
    client.force_login(lin)
    held_lin = min(held, timezone.now().astimezone(ZoneInfo("Africa/Nairobi")).date())
    log_lin = {**log, "held_on": held_lin.isoformat(), "rating": "3"}
    assert client.post(url, {**log_lin, "progress": "Lin: onboarding."}).status_code == 302
    assert client.post(url, {**log_lin, "progress": "Lin: onboarding, v2."}).status_code == 302
    checkin.refresh_from_db()
    assert checkin.logged_by == eva  # the first log marked it done; nobody's words were replaced
    assert [(e.author, e.progress) for e in checkin.logs.order_by("pk")] == [
        (eva, "Eva: fee model."),
        (lin, "Lin: onboarding."),
        (lin, "Lin: onboarding, v2."),
    ]
    page = client.get(reverse("meetings:checkin", args=[cohort.slug, checkin.pk]))
    current = {a["current"].author: a["current"].progress for a in page.context["accounts"]}
    assert current == {eva: "Eva: fee model.", lin: "Lin: onboarding, v2."}
    body = page.content.decode()
    assert "Eva: fee model." in body and "Lin: onboarding, v2." in body
    assert "1 earlier version" in body


def test_superuser_coordinator_cannot_act_for_a_participant(client, published_pair):
    from tests.accounts.factories import UserFactory

    cohort, people, pair = published_pair
    admin = UserFactory(is_superuser=True, is_staff=True, is_coordinator=True)
    checkin = pair.checkins.get(round=1)
    client.force_login(admin)
    page = client.get(reverse("meetings:checkin", args=[cohort.slug, checkin.pk]))
    assert page.status_code == 200 and page.context["can_act"] is False
    url = reverse("meetings:checkin_action", args=[cohort.slug, checkin.pk, "log"])
    log = {"held_on": checkin.window_start.isoformat(), "progress": "x", "next_steps": "y"}
    assert client.post(url, {**log, "rating": "4"}).status_code == 403
    assert not checkin.logs.exists()
    with pytest.raises(services.CheckInError):
        services.log(
            checkin,
            admin,
            held_on=checkin.window_start,
            progress="x",
            challenges="",
            next_steps="y",
            rating=4,
        )


def test_the_check_in_log_speaks_of_notes_not_an_account(client, published_pair):
    cohort, people, pair = published_pair
    checkin = pair.checkins.get(round=1)
    url = reverse("meetings:checkin", args=[cohort.slug, checkin.pk])
    log = {"held_on": checkin.window_start.isoformat(), "progress": "x", "next_steps": "y"}
    client.force_login(people["eva"].applicant)
    assert client.post(url + "log/", {**log, "rating": "4"}).status_code == 302
    body = client.get(url).content.decode()
    assert "Edit your notes" in body and "Save your notes" in body
    assert "Edit your account" not in body and "Save your account" not in body
    client.force_login(people["lin"].applicant)
    body = client.get(url).content.decode()
    assert "Add your own notes" in body and "Add your own account" not in body
