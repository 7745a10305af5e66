"""The resource library: templates, best practices, slides, recordings and guides shared by the
programme's participants and staff, in several languages, with versions, found by what is
inside them, and seen only by the people their visibility names."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.cohorts.models import Cohort, Topic
from tandem.partnerships.models import Partnership


class Kind(models.TextChoices):
    TEMPLATE = "template", _("Template")
    BEST_PRACTICE = "best_practice", _("Best practice")
    SLIDES = "slides", _("Slides")
    RECORDING = "recording", _("Recording")
    GUIDE = "guide", _("Guide")
    OTHER = "other", _("Other")


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", _("CC BY 4.0 (attribution)")
    CC_BY_SA = "CC-BY-SA-4.0", _("CC BY-SA 4.0 (attribution, share alike)")
    CC_BY_NC = "CC-BY-NC-4.0", _("CC BY-NC 4.0 (attribution, non-commercial)")
    CC0 = "CC0-1.0", _("CC0 1.0 (public domain dedication)")
    PROGRAMME_ONLY = "programme-only", _("For use within the programme only")


class Visibility(models.TextChoices):
    PAIR = "pair", _("My pair")
    COHORT = "cohort", _("My cohort")
    PARTICIPANTS = "participants", _("All programme participants")
    PUBLIC = "public", _("Public")


#: Visibilities a participant's contribution reaches only after a coordinator's review.
REVIEWED = (Visibility.COHORT, Visibility.PARTICIPANTS, Visibility.PUBLIC)


class Status(models.TextChoices):
    PENDING = "pending", _("Pending review")
    CHANGES = "changes", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REMOVED = "removed", _("Removed")


class Resource(models.Model):
    """One resource in one language. Language variants of the same resource share a
    ``group`` key; its files and links are its :class:`Version` rows (the latest is current)."""

    group = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TEMPLATE)
    topics = models.ManyToManyField(Topic, blank=True, related_name="resources")
    language = models.CharField(_("language"), max_length=8, default="en")
    licence = models.CharField(
        _("licence"), max_length=16, choices=Licence.choices, default=Licence.CC_BY
    )
    visibility = models.CharField(
        _("visible to"), max_length=12, choices=Visibility.choices, default=Visibility.COHORT
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="resources"
    )
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="resources"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="resources"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    review_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    featured = models.BooleanField(default=False)
    download_count = models.PositiveIntegerField(default=0)
    useful_count = models.PositiveIntegerField(default=0)
    version_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Denormalised from the latest version, so that a search is one query: the title, the
    # description and the text inside the latest file (search_vector: PostgreSQL only).
    search_document = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "visibility", "-created_at"]),
            models.Index(fields=["status", "-download_count"]),
            models.Index(fields=["status", "-useful_count"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(visibility="pair") | models.Q(partnership__isnull=False),
                name="pair_resource_has_partnership",
            ),
            models.CheckConstraint(
                condition=~models.Q(visibility="cohort") | models.Q(cohort__isnull=False),
                name="cohort_resource_has_cohort",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", args=[self.pk])

    @property
    def needs_review(self) -> bool:
        return self.status in (Status.PENDING, Status.CHANGES)


def blob_name(extension: str) -> str:
    """A random name in the storage: never the uploader's file name."""
    suffix = f".{extension}" if extension else ""
    return f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class IndexState(models.TextChoices):
    """How far the text inside a version's file was read for search (shown to its owner and
    the coordinators)."""

    PENDING = "pending", _("Being indexed…")
    INDEXED = "indexed", _("Indexed")
    PARTIAL = (
        "partial",
        _("Only part of the text could be read in time: the rest is not searchable"),
    )
    UNREAD = "unread", _("Text could not be read in time: searchable by title and description only")


class Version(models.Model):
    """A file (kept in the ``resources`` storage under a random name) or a link. Earlier
    versions stay downloadable."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    blob = models.CharField(max_length=200, blank=True, help_text="Name in the storage.")
    url = models.URLField(_("link"), blank=True, max_length=500)
    filename = models.CharField(max_length=160, blank=True, help_text="Sanitised display name.")
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    text = models.TextField(blank=True, help_text="Text extracted from the file.")
    extracted = models.BooleanField(default=False)
    index_state = models.CharField(
        max_length=8, choices=IndexState.choices, default=IndexState.INDEXED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="one_version_number"),
            models.CheckConstraint(
                condition=(models.Q(blob="") & ~models.Q(url=""))
                | (~models.Q(blob="") & models.Q(url="")),
                name="version_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"

    @property
    def is_link(self) -> bool:
        return bool(self.url)


class Useful(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="useful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="useful_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} finds {self.resource} useful"


class Comment(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resource", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.resource}"
