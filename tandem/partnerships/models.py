"""Match runs (stored engine runs) and partnerships (pairs) of a cohort."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.applications.models import Application, Role
from tandem.cohorts.models import Cohort


class PairingProfile(models.Model):
    """A coordinator's override of an accepted applicant's pairing role and capacity."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="pairing_profile"
    )
    role = models.CharField(max_length=12, choices=Role.choices, blank=True)
    capacity = models.PositiveSmallIntegerField(
        default=1, help_text="How many learning leads an experienced lead partners with."
    )

    def __str__(self) -> str:
        return f"{self.application.full_name}: {self.role or 'proposed'}"


class MatchRun(models.Model):
    """One run of the pairing engine: what went in, what came out, who ran it and when.

    A large cohort's run is computed by a task (``partnerships.tasks``): it is stored
    *queued*, then *running* with its stage and progress, then *done* or *failed* (with the
    error). A run started and finished in the request is stored *done*."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Stage(models.TextChoices):
        """What a running run is doing, and how far along that is (percent)."""

        QUEUED = "queued", _("waiting for a worker")
        READING = "reading", _("reading the applications")
        SCORING = "scoring", _("scoring every pair")
        SOLVING = "solving", _("finding the best assignment")
        EXPLAINING = "explaining", _("explaining the pairs")
        ALTERNATIVES = "alternatives", _("ranking alternatives")
        SAVING = "saving", _("saving the proposals")
        DONE = "done", _("done")

    PROGRESS = {
        "queued": 0,
        "reading": 5,
        "scoring": 15,
        "solving": 55,
        "explaining": 65,
        "alternatives": 80,
        "saving": 90,
        "done": 100,
    }

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="match_runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    settings = models.JSONField(default=dict)
    input = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    # Copies of result["stats"] and result["unmatched"], so that a run's page and the runs
    # table read a few kilobytes, not the whole result document (hundreds of kilobytes
    # compressed for 2,000 people) out of the database on every view.
    summary = models.JSONField(default=dict, blank=True)
    unmatched = models.JSONField(default=list, blank=True)
    alternatives = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DONE)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.DONE)
    progress = models.PositiveSmallIntegerField(default=100, help_text="Percent done.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Run #{self.pk} of {self.cohort}"

    @property
    def stats(self) -> dict:
        """The result's summary numbers (``summary``: kept apart from ``result``, which pages
        leave out; a run saved without it falls back on its result)."""
        if self.summary or "result" in self.get_deferred_fields():
            return self.summary or {}
        return self.result.get("stats", {})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Partnership(models.Model):
    """A pair. Proposed pairs belong to a run; approved and published pairs are the cohort's."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        ENDED = "ended", _("Ended")

    ACTIVE = (Status.APPROVED, Status.PUBLISHED)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="partnerships")
    run = models.ForeignKey(
        MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="partnerships"
    )
    experienced = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    learning = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    score = models.FloatField(default=0.0)
    overlap_hours = models.FloatField(default=0.0)
    reasons = models.JSONField(default=list, blank=True)
    pinned = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.TextField(blank=True)
    # An ended pair is never proposed again in the cohort, until staff allow it with a note.
    rematch_allowed_at = models.DateTimeField(null=True, blank=True)
    rematch_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "pk"]
        indexes = [
            # A run's proposals a page at a time, in the review's order (proposed first, best
            # score first): read from the index, not sorted after joining every pair.
            models.Index(fields=["run", "-status", "-score", "id"], name="partnership_run_review"),
            # The cohort's pairs a page at a time (best score first).
            models.Index(fields=["cohort", "-score", "id"], name="partnership_cohort_score"),
        ]
        constraints = [
            # A learning lead has at most one active partner: the database says no to a
            # second approval, even when two coordinators click at the same instant.
            models.UniqueConstraint(
                fields=["learning"],
                condition=Q(status__in=["approved", "published"]),
                name="one_active_partner_per_learning_lead",
            ),
            models.CheckConstraint(
                condition=~Q(experienced=models.F("learning")), name="partners_differ"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.experienced.full_name} ↔ {self.learning.full_name} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def partner_of(self, application: Application) -> Application:
        return self.learning if application.pk == self.experienced_id else self.experienced
