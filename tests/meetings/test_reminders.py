import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from tandem.meetings import services
from tandem.meetings.models import CheckIn, Meeting
from tandem.notifications.models import OutboxMessage
from tandem.notifications.services import send_reminders
from tandem.partnerships.models import Partnership
from tests.pairing_fixtures import make_app

# Every test here runs at each odd instant of tests/clocks.py (frozen): none may depend on the hour.
pytestmark = [pytest.mark.django_db, pytest.mark.integration, pytest.mark.usefixtures("clock")]


def make_due(pair, days: int) -> CheckIn:
    checkin = pair.checkins.get(round=1)
    checkin.due_date = timezone.now().date() + dt.timedelta(days=days)
    checkin.save()
    return checkin


def test_due_in_7_days_reminds_both_partners_once(published_pair):
    _, people, pair = published_pair
    make_due(pair, 5)
    sent = send_reminders()
    assert sorted(r.to for r in sent) == sorted([people["eva"].email, people["lin"].email])
    assert all(r.kind == "checkin-due" for r in sent)
    assert send_reminders() == []  # a second run sends nothing
    assert OutboxMessage.objects.filter(kind="checkin-due").count() == 2


def test_overdue_reminder(published_pair):
    _, people, pair = published_pair
    make_due(pair, -2)
    kinds = {r.kind for r in send_reminders()}
    assert kinds == {"checkin-overdue"}


def test_logged_checkins_are_not_reminded(published_pair):
    _, _, pair = published_pair
    checkin = make_due(pair, 3)
    checkin.logged_at = timezone.now()
    checkin.save()
    assert send_reminders() == []


def test_meeting_tomorrow_in_recipients_zone(published_pair):
    cohort, people, _ = published_pair
    start = (timezone.now() + dt.timedelta(hours=20)).replace(minute=0, second=0, microsecond=0)
    Meeting.objects.create(cohort=cohort, title="Orientation", starts_at=start)
    sent = [r for r in send_reminders() if r.kind == "meeting-tomorrow"]
    assert {r.to for r in sent} == {a.email for a in services.cohort_participants(cohort)}
    lin = next(r for r in sent if r.to == people["lin"].email)
    local = start.astimezone(dt.timezone(dt.timedelta(hours=3)))
    assert f"{local:%H:%M} Africa/Nairobi (UTC+03:00)" in lin.body


def test_what_the_outbox_holds_is_not_planned_again(published_pair):
    """The provider leaves out in SQL what was reminded already (the job would drop it by its
    key), and still plans what one partner has not had yet."""
    cohort, people, pair = published_pair
    checkin = make_due(pair, -2)
    start = (timezone.now() + dt.timedelta(hours=20)).replace(minute=0, second=0, microsecond=0)
    Meeting.objects.create(cohort=cohort, title="Orientation", starts_at=start)
    first = services.plan_reminders(timezone.now())
    assert {r.kind for r in first} == {"checkin-overdue", "meeting-tomorrow"}
    send_reminders()
    assert services.plan_reminders(timezone.now()) == []
    # Lin's overdue reminder is lost from the outbox: the check-in is planned again, for her.
    OutboxMessage.objects.filter(kind="checkin-overdue", user=people["lin"].applicant).delete()
    OutboxMessage.objects.filter(kind="meeting-tomorrow", user=people["eva"].applicant).delete()
    again = {(r.kind, r.to) for r in services.plan_reminders(timezone.now())}
    assert ("checkin-overdue", people["lin"].email) in again
    assert ("meeting-tomorrow", people["eva"].email) in again
    assert ("meeting-tomorrow", people["lin"].email) not in again
    assert {r.to for r in send_reminders()} == {people["lin"].email, people["eva"].email}
    assert (
        OutboxMessage.objects.filter(
            kind="checkin-overdue",
            dedupe_key__startswith=f"checkin-overdue:cohort{cohort.pk}-round{checkin.round}:",
        ).count()
        == 2
    )  # the same round, reminded once per person


def second_learner(cohort, people, pair) -> Partnership:
    """Eva's second learner, Lia, published with her like Lin."""
    lia = make_app(cohort, "Lia Pérez", "learning", country="PE", tz="America/Lima")
    second = Partnership.objects.create(
        cohort=cohort,
        experienced=people["eva"],
        learning=lia,
        status=Partnership.Status.PUBLISHED,
        published_at=pair.published_at,
    )
    services.ensure_checkins(second)
    return second


@pytest.mark.parametrize(("days", "kind"), [(-2, "checkin-overdue"), (5, "checkin-due")])
def test_one_mail_a_person_and_round_naming_each_partner(published_pair, days, kind):
    """Eva has two learners: one mail for round 1 (not one per pair), naming both; each
    learner's mail names Eva. A second run sends nothing more."""
    cohort, people, pair = published_pair
    second = second_learner(cohort, people, pair)
    lia = second.learning
    make_due(pair, days)
    make_due(second, days)
    sent = [r for r in send_reminders() if r.kind == kind]
    by_person = {}
    for r in sent:
        by_person.setdefault(r.to, []).append(r)
    assert sorted(by_person) == sorted(
        [people["eva"].applicant.email, people["lin"].applicant.email, lia.applicant.email]
    )
    assert all(len(mails) == 1 for mails in by_person.values())
    (eva,) = by_person[people["eva"].applicant.email]
    assert "with Lia Pérez and Lin Learner" in eva.subject
    assert "Check-in 1 with Lia Pérez and Lin Learner" in eva.body
    (lin,) = by_person[people["lin"].applicant.email]
    assert "check-in 1 with eva expert" in lin.subject.lower()
    assert "with Eva Expert" in lin.body
    assert [r for r in send_reminders() if r.kind == kind] == []
    assert OutboxMessage.objects.filter(kind=kind).count() == 3


def test_the_overdue_subject_names_the_partner(published_pair):
    _, people, pair = published_pair
    make_due(pair, -2)
    subjects = {r.to: r.subject for r in send_reminders()}
    assert subjects[people["lin"].applicant.email] == "Check-in 1 with Eva Expert is overdue"


def test_reminders_sent_under_the_old_per_checkin_keys_are_not_sent_again(published_pair):
    """Migration meetings 0010 turns the outbox's per-check-in keys into per-round keys."""
    cohort, people, pair = published_pair
    second = second_learner(cohort, people, pair)
    eva, lin, lia = people["eva"].applicant, people["lin"].applicant, second.learning.applicant
    old = [
        (eva, make_due(pair, -2)),
        (eva, make_due(second, -2)),  # the duplicate of the same round
        (lin, pair.checkins.get(round=1)),
    ]
    for user, checkin in old:
        OutboxMessage.objects.create(
            kind="checkin-overdue",
            to=user.email,
            user=user,
            subject="Check-in 1 is overdue",
            body="…",
            dedupe_key=f"checkin-overdue:checkin{checkin.pk}:{user.pk}",
        )
    migration = importlib.import_module("tandem.meetings.migrations.0010_round_reminder_keys")
    migration.round_keys(apps, None)
    keys = set(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    round_key = f"cohort{cohort.pk}-round1"
    assert f"checkin-overdue:{round_key}:{eva.pk}" in keys
    assert f"checkin-overdue:{round_key}:{lin.pk}" in keys
    assert [r.to for r in send_reminders() if r.kind == "checkin-overdue"] == [lia.email]
