"""Migration partnerships 0006 copies each run's stats and unmatched out of its result."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tandem.partnerships.models import MatchRun
from tests.cohorts.factories import CohortFactory

pytestmark = pytest.mark.integration

BEFORE = [("partnerships", "0005_review_indexes")]


@pytest.mark.django_db(transaction=True)
def test_existing_runs_get_their_summary_and_unmatched():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        OldRun = executor.loader.project_state(BEFORE).apps.get_model("partnerships", "MatchRun")
        cohort = CohortFactory()
        stats = {"pairs": 3, "gap_matched": 1, "total_score": 2.5}
        unmatched = [{"id": "a9", "why": [{"code": "no_capacity", "params": {}}]}]
        done = OldRun.objects.create(
            cohort_id=cohort.pk, result={"pairs": [], "stats": stats, "unmatched": unmatched}
        )
        empty = OldRun.objects.create(cohort_id=cohort.pk, result={})
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    run = MatchRun.objects.get(pk=done.pk)
    assert (run.summary, run.unmatched, run.stats) == (stats, unmatched, stats)
    assert (
        MatchRun.objects.get(pk=empty.pk).summary,
        MatchRun.objects.get(pk=empty.pk).unmatched,
    ) == ({}, [])
