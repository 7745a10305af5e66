"""Cohorts and the topic vocabulary (applications to a cohort live in ``tandem.applications``)."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.timezones import to_local

from .vocabulary import DEFAULT_GUIDELINES


class Cohort(models.Model):
    """One run of the program. Its application window is exact instants (UTC) plus the zone the
    coordinators set it in, so "April 12, 2024, 23:59 PT" stays exactly that."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    timezone = models.CharField(
        max_length=64,
        default="America/Los_Angeles",
        help_text=_("The zone the application window is announced in."),
    )
    opens_at = models.DateTimeField(help_text=_("Applications open (stored in UTC)."))
    closes_at = models.DateTimeField(help_text=_("Application deadline (stored in UTC)."))
    program_start = models.DateField()
    program_end = models.DateField()
    target_pairs = models.PositiveSmallIntegerField(default=10)
    checkin_cadence_months = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Months between partner check-ins (3 = quarterly)."),
    )
    guidelines = models.TextField(default=DEFAULT_GUIDELINES)
    several_leads_per_consortium = models.BooleanField(
        _("allow several leads per consortium"),
        default=False,
        help_text=_(
            "Off: a consortium has one lead in this cohort, and a second application for "
            "the same consortium is refused."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="cohort_window_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(program_end__gt=models.F("program_start")),
                name="cohort_program_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cohorts:detail", args=[self.slug])

    def is_open(self, now: dt.datetime | None = None) -> bool:
        """Open from ``opens_at`` up to and including ``closes_at``, to the second."""
        now = now or timezone.now()
        return self.opens_at <= now <= self.closes_at

    def phase(self, now: dt.datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now <= self.closes_at:
            return "open"
        if now.date() <= self.program_end:
            return "running" if now.date() >= self.program_start else "reviewing"
        return "finished"

    @property
    def opens_local(self) -> dt.datetime:
        return to_local(self.opens_at, self.timezone)

    @property
    def closes_local(self) -> dt.datetime:
        return to_local(self.closes_at, self.timezone)


class Topic(models.Model):
    """An entry of the controlled vocabulary of expertise and challenges (staff edit it)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name
