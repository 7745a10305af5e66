"""A workshop's materials: slides (a file checked by its content, or a link), a recording link,
anything else. Added by coordinators and the workshop's facilitators; listed on the workshop's
materials page for everyone who may see the workshop, and filed in the resource library for the
workshop's cohort (``tandem.resources.services.share``); files are served only through a
permission-checked view (:func:`tandem.core.uploads.document_response`), never as public media.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core.services import log_activity
from tandem.core.uploads import CONTENT_TYPES
from tandem.resources import services as library
from tandem.resources.models import Visibility

from .models import Material, Workshop

#: File types accepted as workshop materials (checked by content, see tandem.core.uploads).
MATERIAL_TYPES = [
    ext for ext in ("pdf", "pptx", "odp", "docx", "odt", "txt", "md") if ext in CONTENT_TYPES
]
MAX_BYTES = getattr(settings, "TANDEM_MATERIAL_MAX_BYTES", 25 * 1024 * 1024)


def add(workshop: Workshop, form, *, actor) -> Material:
    """Save a valid :class:`~.forms.run.MaterialForm` as ``workshop``'s material, and file it
    in the resource library for the workshop's cohort (``material.resource``: the library's
    entry, or ``None`` with ``material.not_filed`` saying why, e.g. a facilitator who is not
    in the cohort: the material is kept on the workshop either way)."""
    upload = form.cleaned_data.get("file")
    with transaction.atomic():
        material = form.save(commit=False)
        material.workshop = workshop
        material.added_by = actor
        material.save()
        log_activity(
            actor,
            "workshops.material_added",
            _("Added “%(title)s” to “%(workshop)s”")
            % {"title": material.title, "workshop": workshop.title},
            cohort=workshop.cohort,
            workshop=workshop.pk,
            material=material.pk,
        )
        material.resource, material.not_filed = file_in_library(material, upload, actor=actor)
    return material


def file_in_library(material: Material, upload=None, *, actor):
    """Share ``material`` in the resource library with its workshop's cohort: (the resource,
    ``""``), or (``None``, why not)."""
    workshop = material.workshop
    if upload is not None:
        upload.seek(0)
    try:
        resource = library.share(
            actor,
            title=material.title,
            file=upload if material.file else None,
            url=material.url,
            kind=material.kind,
            visibility=Visibility.COHORT,
            cohort=workshop.cohort,
            language=workshop.language,
            topics=list(workshop.topics.all()),
            description=_("Material of the training workshop “%(workshop)s”.")
            % {"workshop": workshop.title},
        )
    except ValidationError as error:
        return None, " ".join(error.messages)
    return resource, ""


def remove(material: Material, *, actor) -> None:
    workshop = material.workshop
    log_activity(
        actor,
        "workshops.material_removed",
        _("Removed “%(title)s” from “%(workshop)s”")
        % {"title": material.title, "workshop": workshop.title},
        cohort=workshop.cohort,
        workshop=workshop.pk,
        material=material.pk,
    )
    file = material.file
    material.delete()
    if file:
        # Once the deletion is committed (a rolled-back request keeps the row and its file).
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))
