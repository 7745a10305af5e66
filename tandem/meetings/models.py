"""Program meetings (orientation, workshops …) and quarterly check-ins per pair."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.cohorts.models import Cohort
from tandem.partnerships.models import Partnership

#: The limit of the former guidelines upload, named by migration 0001 (guidelines are library
#: resources now, limited by ``TANDEM_RESOURCE_MAX_BYTES``).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def validate_upload_size(upload) -> None:
    """Referenced by migration 0001 only."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"The file is {upload.size // 1024 // 1024} MB; the limit is 10 MB.")


class Meeting(models.Model):
    """A meeting for the whole cohort. Stored in UTC; everyone sees it in their own zone.
    (Training workshops are the workshops app's: ``tandem.workshops``.)"""

    class Kind(models.TextChoices):
        ORIENTATION = "orientation", "Orientation session"
        PROGRAM = "program", "Program meeting"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ORIENTATION)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    video_url = models.URLField("video link", blank=True)
    agenda = models.TextField(blank=True)
    # The guidelines are a library resource (one place and one permission model for files):
    # downloaded through the library, by whoever the resource's visibility lets see it.
    guidelines = models.ForeignKey(
        "resources.Resource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("guidelines"),
    )
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar revision number.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M} UTC)"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.cohort.slug, self.pk])

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class CheckIn(models.Model):
    """One check-in round of a pair (quarterly by default), from proposal to log."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="checkins")
    round = models.PositiveSmallIntegerField()
    window_start = models.DateField()
    due_date = models.DateField(help_text="Last day of the round.")
    proposed_at = models.DateTimeField(null=True, blank=True, help_text="Proposed time (UTC).")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed = models.BooleanField(default=False)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar revision number.")
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    # The first log decides that the check-in took place (status "done"); each partner's own
    # account, with every edit, is a CheckInLog.
    held_on = models.DateField(null=True, blank=True, help_text="As the first log gives it.")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "round"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "round"], name="one_checkin_per_round")
        ]

    def __str__(self) -> str:
        return f"Check-in {self.round} of {self.partnership}"

    #: Each status as people read it (badges, the overview, the check-in page).
    STATUS_LABELS = {
        "done": _("done"),
        "overdue": _("overdue"),
        "scheduled": _("scheduled"),
        "due": _("due"),
        "upcoming": _("upcoming"),
    }

    def status(self, today: dt.date) -> str:
        """done, scheduled, overdue, due (round open) or upcoming."""
        if self.logged_at:
            return "done"
        if today > self.due_date:
            return "overdue"
        if self.confirmed:
            return "scheduled"
        return "due" if today >= self.window_start else "upcoming"

    @property
    def ends_at(self) -> dt.datetime | None:
        if not self.proposed_at:
            return None
        return self.proposed_at + dt.timedelta(minutes=self.duration_minutes)


class CheckInLog(models.Model):
    """One partner's account of a held check-in. Nothing is overwritten: both partners keep
    their own account, and an edit is a new row (the latest per author is current)."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="logs")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_on = models.DateField()
    held_at = models.DateTimeField(
        null=True, blank=True, help_text="When it began, if the author gave the time (UTC)."
    )
    progress = models.TextField("progress on goals")
    challenges = models.TextField(blank=True)
    next_steps = models.TextField()
    rating = models.PositiveSmallIntegerField(
        null=True,  # only accounts from before ratings were required lack one
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="How useful was it? 1–5",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["checkin", "created_at", "pk"]
        indexes = [models.Index(fields=["checkin", "author", "created_at"])]

    def __str__(self) -> str:
        return f"{self.checkin}: account of {self.author}"
