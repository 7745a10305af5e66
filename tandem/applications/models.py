"""Applications of Consortium Leads to a cohort: what they tell about themselves and the
programme's decision."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.cohorts.models import Cohort, Topic
from tandem.core.timezones import person_zone


class Role(models.TextChoices):
    """The one pairing role: what a participant is in a pair (``tandem.partnerships`` assigns
    it). Values are shared with :class:`Application.RolePreference`."""

    EXPERIENCED = "experienced", _("Experienced lead")
    LEARNING = "learning", _("Learning lead")


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class RolePreference(models.TextChoices):
        """The role an applicant asks for; pairing assigns a :class:`Role`."""

        EXPERIENCED = Role.EXPERIENCED.value, _("Experienced partner")
        LEARNING = Role.LEARNING.value, _("Learning partner")
        EITHER = "either", _("Either")

    DECISIONS = (Status.ACCEPTED, Status.WAITLISTED, Status.DECLINED)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)

    # Organisation
    organization = models.ForeignKey(
        "members.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    lead_since_year = models.PositiveSmallIntegerField(
        _("year it became a Consortium Lead"), null=True, blank=True
    )
    consortium_org_count = models.PositiveIntegerField(
        _("consortium organisations"), null=True, blank=True
    )
    repository_count = models.PositiveIntegerField(_("repositories"), null=True, blank=True)
    dois_per_year = models.PositiveIntegerField(
        _("DOIs registered per year"), null=True, blank=True
    )
    is_gap = models.BooleanField(
        "GAP", default=False, help_text="Snapshot of the organisation's GAP eligibility."
    )

    # Applicant
    full_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    orcid = models.URLField("ORCID iD", blank=True)
    timezone = models.CharField(max_length=64, blank=True)
    languages = models.JSONField(
        default=dict, blank=True, help_text="ISO 639-1 code → proficiency 1–3."
    )
    availability = models.JSONField(
        default=list,
        blank=True,
        help_text='Weekly windows in local time: [["mon","09:00","12:00"], …].',
    )

    # Participation
    preferred_role = models.CharField(max_length=12, choices=RolePreference.choices, blank=True)
    years_leading = models.PositiveSmallIntegerField(null=True, blank=True)
    experience_level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    goals = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    project_idea = models.TextField(_("collaborative project idea"), blank=True)
    accepted_guidelines = models.BooleanField(default=False)
    consent_share_profile = models.BooleanField(default=False)

    # Review
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_gap", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "applicant"], name="one_application_per_cohort"
            ),
        ]
        indexes = [
            # The review list's default order (GAP first, then oldest): a page of it is read
            # from this index instead of sorting the whole cohort.
            models.Index(
                fields=["cohort", "-is_gap", "submitted_at", "id"], name="application_review_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name or self.applicant} → {self.cohort}"

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", args=[self.cohort.slug, self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def zone(self) -> str:
        """The applicant's own zone (their profile's), in which they see every time.

        ``timezone`` above is only the zone the weekly ``availability`` was written in."""
        return person_zone(self.applicant)

    def topic_levels(self, kind: str) -> dict[str, int]:
        return {t.topic.slug: t.level for t in self.topics.all() if t.kind == kind}


class ApplicationTopic(models.Model):
    """A level 1–3 for one topic, either offered as expertise or sought as a challenge."""

    class Kind(models.TextChoices):
        EXPERTISE = "expertise", _("Expertise offered")
        CHALLENGE = "challenge", _("Challenge sought")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="topics")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(3)]
    )

    class Meta:
        ordering = ["kind", "topic__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "topic", "kind"], name="one_level_per_topic"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.topic} ({self.level}/3)"
