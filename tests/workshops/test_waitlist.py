"""Registering, capacity, the waitlist, offers that expire and pass on, GAP holds."""

import datetime as dt

import pytest
import time_machine

from tandem.core.models import ActivityLog
from tandem.notifications.models import OutboxMessage
from tandem.workshops import services
from tandem.workshops.models import Registration
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import CohortFactory

from .factories import SessionFactory, WorkshopFactory
from .helpers import participant_of

pytestmark = pytest.mark.integration
Status = Registration.Status
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def session(db, frozen):
    workshop = WorkshopFactory(capacity=2, offer_hours=24)
    return SessionFactory(workshop=workshop, starts_at=NOW + dt.timedelta(days=10))


def people(session, n, gap=False):
    return [participant_of(session.workshop.cohort, gap=gap) for _ in range(n)]


def status(person, session):
    return Registration.objects.get(person=person, session=session).status


def test_seats_then_waitlist_in_order(session, frozen):
    a, b, c, d = people(session, 4)
    for person in (a, b, c, d):
        services.register(session, person)
        frozen.shift(dt.timedelta(minutes=1))
    assert [status(p, session) for p in (a, b, c, d)] == [
        Status.REGISTERED,
        Status.REGISTERED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    ]
    assert services.waitlist_position(Registration.objects.get(person=d)) == 2
    assert ActivityLog.objects.filter(action="workshop.waitlisted").count() == 2


def test_cancel_offers_the_seat_to_the_first_in_the_queue(session, frozen):
    a, b, c, d = people(session, 4)
    for person in (a, b, c, d):
        services.register(session, person)
        frozen.shift(dt.timedelta(minutes=1))
    reg_a = services.cancel(Registration.objects.get(person=a), actor=a)
    reg_c = Registration.objects.get(person=c)
    assert reg_a.status == Status.CANCELLED
    assert reg_c.status == Status.OFFERED
    assert reg_c.offer_expires_at == reg_c.offered_at + dt.timedelta(hours=24)
    assert status(d, session) == Status.WAITLISTED
    mail = OutboxMessage.objects.get(kind="workshop-offer")
    assert mail.to == c.email and session.workshop.title in mail.subject
    # Taking the seat before the deadline.
    frozen.shift(dt.timedelta(hours=23))
    services.accept_offer(reg_c, actor=c)
    assert status(c, session) == Status.REGISTERED
    assert status(d, session) == Status.WAITLISTED


def test_an_offer_not_taken_expires_and_passes_on(session, frozen):
    a, b, c, d = people(session, 4)
    for person in (a, b, c, d):
        services.register(session, person)
        frozen.shift(dt.timedelta(minutes=1))
    services.cancel(Registration.objects.get(person=a), actor=a)
    frozen.shift(dt.timedelta(hours=24))  # exactly at the deadline: lapsed
    assert services.expire_offers() == 1
    assert status(c, session) == Status.EXPIRED
    reg_d = Registration.objects.get(person=d)
    assert reg_d.status == Status.OFFERED
    assert OutboxMessage.objects.filter(kind="workshop-offer", to=d.email).count() == 1
    # Idempotent: a second run changes nothing and sends nothing.
    assert services.expire_offers() == 0
    assert OutboxMessage.objects.filter(kind="workshop-offer").count() == 2
    with pytest.raises(services.WorkshopError, match="expired"):
        services.accept_offer(Registration.objects.get(person=c), actor=c)


def test_a_lapsed_offer_passes_on_without_the_job(session, frozen):
    """Correctness does not depend on the periodic job: any touch of the session settles."""
    a, b, c, d = people(session, 4)
    for person in (a, b, c, d):
        services.register(session, person)
    services.cancel(Registration.objects.get(person=a), actor=a)
    frozen.shift(dt.timedelta(hours=25))
    with pytest.raises(services.WorkshopError, match="expired"):
        services.accept_offer(Registration.objects.get(person=c), actor=c)
    assert status(d, session) == Status.OFFERED


def test_declining_passes_the_offer_on(session, frozen):
    a, b, c, d = people(session, 4)
    for person in (a, b, c, d):
        services.register(session, person)
        frozen.shift(dt.timedelta(minutes=1))
    services.cancel(Registration.objects.get(person=a), actor=a)
    services.cancel(Registration.objects.get(person=c), actor=c)  # declines the offer
    assert status(c, session) == Status.CANCELLED
    assert status(d, session) == Status.OFFERED
    assert ActivityLog.objects.filter(action="workshop.declined").count() == 1


def test_an_offer_never_outlasts_the_start(session, frozen):
    a, b, c = people(session, 3)
    for person in (a, b, c):
        services.register(session, person)
    frozen.move_to(session.starts_at - dt.timedelta(hours=2))
    services.cancel(Registration.objects.get(person=a), actor=a)
    assert Registration.objects.get(person=c).offer_expires_at == session.starts_at


def test_no_registration_or_cancellation_after_the_start(session, frozen):
    a, b = people(session, 2)
    services.register(session, a)
    frozen.move_to(session.starts_at)
    with pytest.raises(services.WorkshopError, match="started"):
        services.register(session, b)
    with pytest.raises(services.WorkshopError, match="started"):
        services.cancel(Registration.objects.get(person=a), actor=a)
    assert not Registration.objects.filter(person=b).exists()


def test_one_session_per_workshop_and_once(session, frozen):
    other = SessionFactory(workshop=session.workshop, label="APAC session")
    (a,) = people(session, 1)
    services.register(session, a)
    with pytest.raises(services.WorkshopError, match="already registered"):
        services.register(session, a)
    with pytest.raises(services.WorkshopError, match="another session"):
        services.register(other, a)
    services.cancel(Registration.objects.get(person=a), actor=a)
    assert services.register(other, a).status == Status.REGISTERED


def test_cancelled_can_register_again_at_the_back(session, frozen):
    a, b, c = people(session, 3)
    for person in (a, b, c):
        services.register(session, person)
        frozen.shift(dt.timedelta(minutes=1))
    services.cancel(Registration.objects.get(person=a), actor=a)  # c is offered the seat
    again = services.register(session, a)
    assert again.status == Status.WAITLISTED and again.queued_at == NOW + dt.timedelta(minutes=3)
    assert Registration.objects.filter(person=a).count() == 1


def test_only_participants_of_open_cohorts_register(session, frozen):
    guest_cohort = CohortFactory()
    session.workshop.also_open_to.add(guest_cohort)
    outsider, guest = UserFactory(), participant_of(guest_cohort)
    with pytest.raises(services.WorkshopError, match="Only participants"):
        services.register(session, outsider)
    assert services.register(session, guest).status == Status.REGISTERED


def test_only_the_registered_person_cancels_or_accepts(session, frozen):
    a, b = people(session, 2)
    reg = services.register(session, a)
    with pytest.raises(services.WorkshopError):
        services.cancel(reg, actor=b)
    with pytest.raises(services.WorkshopError):
        services.accept_offer(reg, actor=b)


# --- GAP holds --------------------------------------------------------------------------------


@pytest.fixture
def gap_session(db, frozen):
    workshop = WorkshopFactory(capacity=4, gap_share=25)  # ceil(4 × 25 %) = 1 seat held
    return SessionFactory(workshop=workshop, starts_at=NOW + dt.timedelta(days=10))


def test_held_seats_are_rounded_up(db):
    assert services.held_seats(WorkshopFactory(capacity=10, gap_share=15)) == 2
    assert services.held_seats(WorkshopFactory(capacity=10, gap_share=0)) == 0
    assert services.held_seats(WorkshopFactory(capacity=3, gap_share=100)) == 3


def test_a_non_gap_registrant_waits_when_only_held_seats_remain(gap_session, frozen):
    others = people(gap_session, 4)
    (gap,) = people(gap_session, 1, gap=True)
    for person in others:
        services.register(gap_session, person)
    assert [status(p, gap_session) for p in others] == [Status.REGISTERED] * 3 + [Status.WAITLISTED]
    reg = services.register(gap_session, gap)
    assert reg.status == Status.REGISTERED and reg.gap


def test_a_freed_non_held_seat_goes_to_the_first_in_the_queue_gap_or_not(gap_session, frozen):
    a, b, c, d, e = people(gap_session, 5)
    (g1,) = people(gap_session, 1, gap=True)
    for person in (a, b, c):
        services.register(gap_session, person)
    services.register(gap_session, g1)  # the held seat
    services.register(gap_session, d)
    frozen.shift(dt.timedelta(minutes=1))
    services.register(gap_session, e)
    services.cancel(Registration.objects.get(person=a), actor=a)
    assert status(d, gap_session) == Status.OFFERED  # first in line, nobody skipped
    assert status(e, gap_session) == Status.WAITLISTED


def test_a_freed_held_seat_skips_non_gap_people_for_the_next_gap_one(gap_session, frozen):
    a, b, c, d = people(gap_session, 4)
    g1, g2 = people(gap_session, 2, gap=True)
    for person in (a, b, c, g1):
        services.register(gap_session, person)
        frozen.shift(dt.timedelta(minutes=1))
    services.register(gap_session, d)  # waits: only the held seat was left
    frozen.shift(dt.timedelta(minutes=1))
    services.register(gap_session, g2)  # waits: full
    services.cancel(Registration.objects.get(person=g1), actor=g1)
    assert status(d, gap_session) == Status.WAITLISTED
    assert status(g2, gap_session) == Status.OFFERED
