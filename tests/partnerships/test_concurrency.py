"""Two coordinators approving at the same instant must not give anyone two partners."""

import threading

import pytest
from django.db import connection, connections

from tandem.partnerships import services
from tandem.partnerships.models import Partnership
from tests.accounts.factories import CoordinatorFactory
from tests.pairing_fixtures import make_app

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and concurrent writers need PostgreSQL"
    ),
]


def race(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            job()
            outcomes[index] = "ok"
        except services.PairingConflict as error:
            outcomes[index] = f"conflict: {error}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_approvals_never_give_a_learning_lead_two_partners(pairing_cohort, attempt):
    cohort, p = pairing_cohort
    one, two = CoordinatorFactory(), CoordinatorFactory()
    a = Partnership.objects.create(cohort=cohort, experienced=p["eva"], learning=p["lin"])
    b = Partnership.objects.create(cohort=cohort, experienced=p["ed"], learning=p["lin"])
    outcomes = race(lambda: services.approve(a, actor=one), lambda: services.approve(b, actor=two))
    assert sorted(o[:8] for o in outcomes) == ["conflict", "ok"]
    assert Partnership.objects.filter(learning=p["lin"], status="approved").count() == 1


def test_concurrent_approvals_respect_experienced_capacity(pairing_cohort):
    cohort, p = pairing_cohort
    lou = make_app(cohort, "Lou Learner", "learning", needs=["metadata-quality"])
    one, two = CoordinatorFactory(), CoordinatorFactory()
    a = Partnership.objects.create(cohort=cohort, experienced=p["eva"], learning=p["lin"])
    b = Partnership.objects.create(cohort=cohort, experienced=p["eva"], learning=lou)
    outcomes = race(lambda: services.approve(a, actor=one), lambda: services.approve(b, actor=two))
    assert sorted(o[:8] for o in outcomes) == ["conflict", "ok"]
    assert Partnership.objects.filter(experienced=p["eva"], status="approved").count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_approve_all_racing_a_single_approval_gives_nobody_two_partners(pairing_cohort, attempt):
    cohort, p = pairing_cohort
    one, two = CoordinatorFactory(), CoordinatorFactory()
    run = services.run_match(cohort, actor=one)
    eva_lin = run.partnerships.get(experienced=p["eva"])
    other = Partnership.objects.create(cohort=cohort, experienced=p["ed"], learning=p["lin"])
    outcomes = race(
        lambda: services.approve_run(run, actor=one), lambda: services.approve(other, actor=two)
    )
    assert Partnership.objects.filter(learning=p["lin"], status="approved").count() == 1
    eva_lin.refresh_from_db()
    other.refresh_from_db()
    assert (eva_lin.status == "approved") != (other.status == "approved")
    assert outcomes[0] == "ok"  # approve all reports refusals, it does not raise
