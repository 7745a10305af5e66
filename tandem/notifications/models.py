"""The e-mail outbox and each person's reminder opt-outs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """Every e-mail Tandem sends passes through here, so staff can see and retry it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Held for a digest")

    kind = models.CharField(
        max_length=60, help_text="What the message is, e.g. application-submitted."
    )
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    # Mail history outlives its cohort: deleting a cohort keeps its messages (cohort emptied).
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    dedupe_key = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text="Messages with the same key are sent once (idempotent jobs).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.status})"


class ReminderOptOut(models.Model):
    """A person turned one kind of reminder off. The kinds are those the apps registered
    (:mod:`tandem.notifications.reminders`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_opt_outs"
    )
    kind = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: no {self.kind}"


class DigestChoice(models.Model):
    """A person receives one kind of reminder bundled in a daily or weekly digest instead of
    at once (no row: at once). :func:`tandem.notifications.digests.send_digests` sends them."""

    class Period(models.TextChoices):
        DAILY = "daily", _("in a daily digest (08:00 your time)")
        WEEKLY = "weekly", _("in a weekly digest (Monday 08:00 your time)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_choices"
    )
    kind = models.CharField(max_length=60)
    period = models.CharField(max_length=10, choices=Period.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_digest_choice_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.period}"
