"""Training workshops: a workshop, its sessions, registrations with a waitlist, topic proposals.

A *workshop* ("Running a consortium: leadership") belongs to the cohort that plans it and may be
opened to other cohorts. It is given in one or more *sessions* — the same workshop at different
times for different regions ("APAC session", "Americas session"). People register for one
session; past its capacity they queue on the waitlist. When a seat frees, the first in the queue
is *offered* it until ``offer_expires_at``; an offer not taken passes on. A share of each
session's seats can be held for participants from GAP regions.

Attendance and the attendee's rating live on the registration (one row per person and session).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from tandem.cohorts.models import Cohort, Topic

from . import markdown


class Workshop(models.Model):
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="workshops",
        help_text=_("The cohort that plans the workshop (its coordinators' pages list it)."),
    )
    also_open_to = models.ManyToManyField(
        Cohort,
        blank=True,
        related_name="guest_workshops",
        help_text=_("Other cohorts whose participants may register."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=markdown.MAX_LENGTH,
        help_text=_("Markdown; shown sanitised."),
    )
    description_html = models.TextField(
        blank=True, editable=False, help_text="The description rendered and sanitised, at save."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="workshops")
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_workshops",
        help_text=_("Staff or participants; a facilitator may edit this workshop only."),
    )
    language = models.CharField(_("language"), max_length=12, default="en")
    video_url = models.URLField(_("video link"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("seats per session"), default=30, validators=[MinValueValidator(1)]
    )
    gap_share = models.PositiveSmallIntegerField(
        _("share of seats held for GAP regions (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Seats held for participants from GAP regions until the session starts."),
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to take an offered seat"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Rendered once here, never on a page view (Markdown is slow on some input).
        fields = kwargs.get("update_fields")
        if fields is None or "description" in fields:
            self.description_html = markdown.render(self.description)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "description_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("workshops:detail", args=[self.cohort.slug, self.pk])

    @property
    def description_safe(self) -> SafeString:
        """The stored HTML of the description (sanitised by nh3 when saved)."""
        return mark_safe(self.description_html)  # noqa: S308


class Session(models.Model):
    """One time the workshop is given. Stored in UTC; everyone sees it in their own zone."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="sessions")
    label = models.CharField(
        _("label"), max_length=80, blank=True, help_text=_("e.g. “APAC session”.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar revision number.")

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.workshop} – {self.label or f'{self.starts_at:%Y-%m-%d %H:%M} UTC'}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class Registration(models.Model):
    """A person's place for one session: a seat, a place in the queue, or an offered seat."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waitlist")
        OFFERED = "offered", _("Seat offered")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Offer expired")

    HOLDS_SEAT = (Status.REGISTERED, Status.OFFERED)

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_registrations"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    gap = models.BooleanField(
        default=False, help_text=_("From a GAP-region organisation when they registered.")
    )
    queued_at = models.DateTimeField(help_text=_("Registration time: the waitlist's order."))
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, help_text=_("Unknown until marked."))
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="one_registration_per_session"
            )
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.session} ({self.status})"


class Material(models.Model):
    """Slides, a recording link … attached to a workshop (filed in the resource library when
    the library exists)."""

    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        RECORDING = "recording", _("Recording")
        OTHER = "other", _("Other")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SLIDES)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(upload_to="workshops/", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class TopicProposal(models.Model):
    """A workshop topic proposed by someone in the cohort; others upvote it."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="topic_proposals")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("why it matters"), blank=True)
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The vocabulary topic it is about, to compare with applications."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    workshop = models.ForeignKey(
        Workshop,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        help_text=_("The workshop planned from it, once there is one."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class TopicVote(models.Model):
    proposal = models.ForeignKey(TopicProposal, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="one_vote_per_proposal")
        ]

    def __str__(self) -> str:
        return f"{self.voter} for {self.proposal}"
