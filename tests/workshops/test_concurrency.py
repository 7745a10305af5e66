"""Two cancellations at the same instant: two seats freed, offered to the first two in the
queue — never one seat twice, nobody skipped (the session row is locked)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from tandem.workshops import services
from tandem.workshops.models import Registration

from .factories import SessionFactory, WorkshopFactory
from .helpers import participant_of

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and concurrent writers need PostgreSQL"
    ),
]
Status = Registration.Status


def race(*jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.parametrize("attempt", range(3))
def test_two_cancellations_at_the_same_instant(attempt):
    workshop = WorkshopFactory(capacity=2)
    session = SessionFactory(workshop=workshop)
    people = [participant_of(workshop.cohort) for _ in range(5)]
    now = session.starts_at - dt.timedelta(days=3)
    for n, person in enumerate(people):
        services.register(session, person, now=now + dt.timedelta(minutes=n))
    a, b, c, d, e = (Registration.objects.get(person=p) for p in people)
    instant = now + dt.timedelta(hours=1)
    errors = race(
        lambda: services.cancel(a, actor=people[0], now=instant),
        lambda: services.cancel(b, actor=people[1], now=instant),
    )
    assert errors == []
    statuses = {r.person_id: r.status for r in Registration.objects.filter(session=session)}
    assert statuses[people[2].pk] == Status.OFFERED
    assert statuses[people[3].pk] == Status.OFFERED
    assert statuses[people[4].pk] == Status.WAITLISTED
    holding = [s for s in statuses.values() if s in (Status.REGISTERED, Status.OFFERED)]
    assert len(holding) == workshop.capacity


@pytest.mark.parametrize("attempt", range(3))
def test_a_cancellation_racing_a_registration_gives_the_seat_once(attempt):
    workshop = WorkshopFactory(capacity=1)
    session = SessionFactory(workshop=workshop)
    first, waiting, newcomer = (participant_of(workshop.cohort) for _ in range(3))
    now = session.starts_at - dt.timedelta(days=3)
    services.register(session, first, now=now)
    services.register(session, waiting, now=now + dt.timedelta(minutes=1))
    instant = now + dt.timedelta(hours=1)
    errors = race(
        lambda: services.cancel(Registration.objects.get(person=first), actor=first, now=instant),
        lambda: services.register(session, newcomer, now=instant),
    )
    assert errors == []
    holding = Registration.objects.filter(session=session, status__in=services.HOLDS_SEAT)
    assert [r.person_id for r in holding] == [waiting.pk]  # the queue first, never two seats
    assert Registration.objects.get(person=newcomer).status == Status.WAITLISTED
