"""Writes of the resource library: share, new versions and language variants, review, use.

Other apps file their documents here with :func:`share` (a workshop's slides, a meeting's
guidelines), so that every file has one place and one permission model."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.applications.models import Application
from tandem.cohorts.models import Cohort
from tandem.core.services import log_activity
from tandem.core.uploads import display_name, extension, validate_document, validate_size
from tandem.notifications.services import queue_mail, render_mail
from tandem.partnerships.models import Partnership

from .indexing import extract_version, refresh_search, storage
from .models import (
    REVIEWED,
    Comment,
    IndexState,
    Kind,
    Licence,
    Resource,
    Status,
    Useful,
    Version,
    Visibility,
    blob_name,
)
from .selectors import is_coordinator
from .tasks import extract_text_task

#: File types the library accepts (the content is checked: tandem.core.uploads).
FILE_TYPES = [
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "odp",
    "csv",
    "md",
    "txt",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
]


def check_file(upload) -> str:
    """Size and type by content; the checked content type, or ``ValidationError``."""
    validate_size(upload, settings.TANDEM_RESOURCE_MAX_BYTES)
    return validate_document(upload, allowed=FILE_TYPES)


def check_url(url: str) -> None:
    if url and not url.lower().startswith(("https://", "http://")):
        raise ValidationError(_("A link must start with https:// or http://."), code="url")


def accepted_cohorts(user):
    return Cohort.objects.filter(
        applications__applicant=user, applications__status=Application.Status.ACCEPTED
    ).order_by("-program_start", "-pk")


def own_pairs(user):
    """The published pairs ``user`` is a partner in, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Partnership.objects.none()
    return (
        Partnership.objects.filter(status=Partnership.Status.PUBLISHED)
        .filter(Q(experienced__applicant=user) | Q(learning__applicant=user))
        .order_by("-published_at", "-pk")
    )


def _place(actor, visibility: str, cohort, partnership, owner=None):
    """The cohort and pair a resource of ``visibility`` belongs to, checked for ``actor``. "My
    pair" is a pair of ``owner`` (the actor unless given): the one chosen, else their newest;
    a coordinator may choose any published pair."""
    coordinator = is_coordinator(actor)
    if visibility == Visibility.PAIR:
        pairs = own_pairs(owner or actor)
        if partnership is not None:
            allowed = (
                Partnership.objects.filter(status=Partnership.Status.PUBLISHED)
                if coordinator
                else pairs
            )
            if not allowed.filter(pk=partnership.pk).exists():
                raise ValidationError(_("You can share with your own pair only."), code="pair")
        else:
            partnership = pairs.first()
        if partnership is None:
            raise ValidationError(
                _("“My pair” needs a published partnership: you have none yet."), code="pair"
            )
        return partnership.cohort, partnership
    if visibility == Visibility.COHORT:
        if cohort is None and not coordinator:
            cohort = accepted_cohorts(actor).first()
        if cohort is None:
            raise ValidationError(_("Choose the cohort to share with."), code="cohort")
        if not coordinator and not accepted_cohorts(actor).filter(pk=cohort.pk).exists():
            raise ValidationError(
                _("You can share with a cohort you take part in only."), code="cohort"
            )
        return cohort, None
    return cohort, None


def _status_for(actor, visibility: str) -> str:
    if is_coordinator(actor) or visibility not in REVIEWED:
        return Status.PUBLISHED
    return Status.PENDING


@transaction.atomic
def share(
    actor,
    *,
    title: str,
    file=None,
    url: str = "",
    kind: str = Kind.OTHER,
    visibility: str = Visibility.COHORT,
    cohort=None,
    partnership=None,
    language: str = "en",
    topics: Iterable = (),
    description: str = "",
    licence: str = Licence.CC_BY,
    variant_of: Resource | None = None,
    featured: bool = False,
    change_note: str = "",
) -> Resource:
    """Share a file or a link. A participant's resource for their cohort, all participants or
    the public waits for a coordinator's review; one for their pair (and anything a coordinator
    shares) is published at once. ``variant_of``: the same resource in another language.
    Raises ``ValidationError`` (bad file, link, cohort or pair)."""
    if bool(file) == bool(url):
        raise ValidationError(_("Upload a file or give a link (one of the two)."), code="source")
    cohort, partnership = _place(actor, visibility, cohort, partnership)
    resource = Resource(
        title=title,
        description=description,
        kind=kind,
        language=language,
        licence=licence,
        visibility=visibility,
        cohort=cohort,
        partnership=partnership,
        owner=actor if getattr(actor, "is_authenticated", False) else None,
        status=_status_for(actor, visibility),
        featured=featured and is_coordinator(actor),
    )
    if variant_of is not None:
        resource.group = variant_of.group
    resource.save()
    resource.topics.set(topics)
    add_version(actor, resource, file=file, url=url, change_note=change_note, _review=False)
    log_activity(
        actor,
        "resources.share",
        f"Shared “{title}” ({visibility})",
        cohort=cohort,
        resource=resource.pk,
    )
    return resource


@transaction.atomic
def add_version(
    actor, resource: Resource, *, file=None, url: str = "", change_note: str = "", _review=True
) -> Version:
    """A new version (file or link); earlier ones stay. A participant's new version of a
    resource that needs review goes back to the review queue."""
    if bool(file) == bool(url):
        raise ValidationError(_("Upload a file or give a link (one of the two)."), code="source")
    version = Version(resource=resource, change_note=change_note, uploaded_by=actor)
    if file:
        version.content_type = check_file(file)
        version.filename = display_name(file.name)
        version.size = file.size or 0
        version.index_state = IndexState.PENDING  # until its text is read
        file.seek(0)
        version.blob = storage().save(blob_name(extension(file.name)), file)
    else:
        check_url(url)
        version.url = url
        version.extracted = True
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    version.number = (resource.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version.save()
    Resource.objects.filter(pk=resource.pk).update(version_count=version.number)
    resource.version_count = version.number
    if _review and resource.visibility in REVIEWED and not is_coordinator(actor):
        _set_status(resource, Status.PENDING)
    if file:
        small = version.size <= settings.TANDEM_RESOURCE_SYNC_EXTRACT_BYTES
        if not (small and extract_version(version, in_request=True)):
            # Read by the task; usable meanwhile, found by its title and description.
            transaction.on_commit(lambda: extract_text_task.enqueue(version.pk))
    refresh_search(resource)
    if _review:
        log_activity(
            actor,
            "resources.version",
            f"Version {version.number} of “{resource.title}”",
            cohort=resource.cohort,
            resource=resource.pk,
        )
    return version


def _set_status(resource: Resource, status: str) -> None:
    resource.status = status
    Resource.objects.filter(pk=resource.pk).update(status=status)


@transaction.atomic
def edit(actor, resource: Resource, fields: dict, topics=None) -> Resource:
    """Change what describes a resource; a participant's change of a reviewed resource goes
    back to review. A pair's resource stays with its pair unless another pair is chosen
    (``fields["partnership"]``, one of the owner's) or the visibility changes."""
    fields = dict(fields)
    visibility = fields.get("visibility", resource.visibility)
    chosen = fields.pop("partnership", None)
    keep_pair = (
        visibility == resource.visibility == Visibility.PAIR
        and resource.partnership_id is not None
        and (chosen is None or chosen.pk == resource.partnership_id)
    )
    if keep_pair:
        fields.pop("cohort", None)
        cohort, partnership = resource.cohort, resource.partnership
    else:
        cohort, partnership = _place(
            actor, visibility, fields.get("cohort"), chosen, owner=resource.owner
        )
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.cohort, resource.partnership = cohort or resource.cohort, partnership
    if resource.visibility in REVIEWED and not is_coordinator(actor):
        resource.status = Status.PENDING
    elif resource.status != Status.PUBLISHED and resource.visibility not in REVIEWED:
        resource.status = Status.PUBLISHED
    resource.save()
    if topics is not None:
        resource.topics.set(topics)
    refresh_search(resource)
    log_activity(
        actor,
        "resources.edit",
        f"Edited “{resource.title}”",
        cohort=resource.cohort,
        resource=resource.pk,
    )
    return resource


@transaction.atomic
def review(actor, resource: Resource, *, approve: bool, note: str = "") -> Resource:
    """Approve (publish) or ask for changes, with a note e-mailed to the owner."""
    resource.status = Status.PUBLISHED if approve else Status.CHANGES
    resource.review_note = note
    resource.reviewed_by, resource.reviewed_at = actor, timezone.now()
    resource.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    log_activity(
        actor,
        "resources.review",
        f"{'Approved' if approve else 'Changes asked for'} “{resource.title}”",
        cohort=resource.cohort,
        resource=resource.pk,
    )
    owner = resource.owner
    if owner is not None and owner.email:
        subject, body = render_mail(
            "resource_reviewed",
            {
                "resource": resource,
                "approved": approve,
                "note": note,
                "url": settings.TANDEM_BASE_URL + resource.get_absolute_url(),
                "person": owner,
            },
        )
        queue_mail(
            kind="resource_reviewed",
            to=owner.email,
            subject=subject,
            body=body,
            user=owner,
            cohort=resource.cohort,
        )
    return resource


def set_featured(actor, resource: Resource, featured: bool) -> None:
    Resource.objects.filter(pk=resource.pk).update(featured=featured)
    resource.featured = featured
    log_activity(
        actor,
        "resources.feature",
        f"{'Featured' if featured else 'Unfeatured'} “{resource.title}”",
        resource=resource.pk,
    )


def remove(actor, resource: Resource) -> None:
    """Take a resource out of the library (its files are kept for the back office)."""
    _set_status(resource, Status.REMOVED)
    log_activity(
        actor,
        "resources.remove",
        f"Removed “{resource.title}”",
        cohort=resource.cohort,
        resource=resource.pk,
    )


def count_download(resource: Resource) -> None:
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)


def toggle_useful(actor, resource: Resource) -> bool:
    """Mark (or unmark) a resource as useful, once per person; whether it is marked now."""
    deleted, _rows = Useful.objects.filter(resource=resource, user=actor).delete()
    marked = not deleted
    if marked:
        try:
            with transaction.atomic():
                Useful.objects.create(resource=resource, user=actor)
        except IntegrityError:  # a double click: already marked
            pass
    count = Useful.objects.filter(resource=resource).count()
    Resource.objects.filter(pk=resource.pk).update(useful_count=count)
    return marked


def comment(actor, resource: Resource, body: str) -> Comment:
    return Comment.objects.create(resource=resource, author=actor, body=body)
