"""Background jobs of pairing (Django's tasks framework; ``manage.py db_worker`` runs them).

A match of a large cohort takes seconds: the web page stores it as a queued run and this task
computes it, writing its stage and progress on the run, which the run page polls. Publishing
many pairs e-mails both partners of each: above the same limit that is a task too."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.tasks import task

from tandem.cohorts.models import Cohort

from . import services
from .models import MatchRun, Partnership


@task
def run_match_task(run_id: int) -> str:
    """Compute a queued match run; returns its final status (``done`` or ``failed``)."""
    return services.compute_queued_run(run_id).status


def start_match(cohort: Cohort, *, actor, **params) -> MatchRun:
    """Run a match from a web page: in the request for a cohort of up to
    ``TANDEM_SYNC_MATCH_LIMIT`` accepted participants (as ``services.run_match``, raising
    ``PairingInputError``), otherwise as a queued run handed to :func:`run_match_task`.

    The queued run and its task are written in one transaction, so a worker never sees a task
    without its run."""
    if not services.runs_in_background(cohort):
        return services.run_match(cohort, actor=actor, **params)
    with transaction.atomic():
        run = services.queue_match(cohort, actor=actor, **params)
        run_match_task.enqueue(run.pk)
    run.refresh_from_db(fields=["status", "stage", "progress", "error"])  # done, if immediate
    return run


@task
def publish_task(cohort_id: int, actor_id: int | None) -> int:
    """Publish a cohort's approved pairs (``services.publish``); returns how many."""
    cohort = Cohort.objects.get(pk=cohort_id)
    actor = get_user_model().objects.filter(pk=actor_id).first()
    return services.publish(cohort, actor=actor)


def start_publish(cohort: Cohort, *, actor) -> tuple[int, bool]:
    """Publish from a web page: ``(pairs, queued)``. Up to ``TANDEM_SYNC_MATCH_LIMIT`` people
    to e-mail (two per pair) it is done in the request; beyond, :func:`publish_task` does it
    (publishing twice publishes nothing twice)."""
    approved = Partnership.objects.filter(cohort=cohort, status=Partnership.Status.APPROVED).count()
    if 2 * approved <= settings.TANDEM_SYNC_MATCH_LIMIT:
        return services.publish(cohort, actor=actor), False
    publish_task.enqueue(cohort.pk, getattr(actor, "pk", None))
    return approved, True
