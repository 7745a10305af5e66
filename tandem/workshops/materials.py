"""A workshop's materials: slides (a file checked by its content, or a link), a recording link,
anything else. Added by coordinators and the workshop's facilitators; listed on the workshop's
materials page for everyone who may see the workshop; files are served only through a
permission-checked view (:func:`tandem.core.uploads.document_response`), never as public media.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core.services import log_activity
from tandem.core.uploads import CONTENT_TYPES

from .models import Material, Workshop

#: File types accepted as workshop materials (checked by content, see tandem.core.uploads).
MATERIAL_TYPES = [
    ext for ext in ("pdf", "pptx", "odp", "docx", "odt", "txt", "md") if ext in CONTENT_TYPES
]
MAX_BYTES = getattr(settings, "TANDEM_MATERIAL_MAX_BYTES", 25 * 1024 * 1024)


def add(workshop: Workshop, form, *, actor) -> Material:
    """Save a valid :class:`~.forms_run.MaterialForm` as ``workshop``'s material."""
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
    return material


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
