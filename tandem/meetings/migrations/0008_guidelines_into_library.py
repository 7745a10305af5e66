"""Each meeting's guidelines document becomes a library resource (one place and one permission
model for files): a Resource of kind "guide" for the meeting's cohort, published, owned by the
meeting's creator, with a first Version holding a copy of the file in the ``resources`` storage
under a random name (the file's name kept as its display name), its content type by extension
and the text inside it, indexed for search. The meeting then links to it (``guidelines``).

Historical models only; the helpers called are plain functions of names and bytes (the
library's text extraction and the search vector's SQL expression), not model methods. The old
file stays in the default storage (deleting it inside a transaction that may roll back would
lose it); 0009 drops the field. Reverse: the resources stay in the library, the meetings just
lose the link (0009's reverse brings back an empty ``guidelines_document``)."""

import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import migrations

from tandem.core.uploads import CONTENT_TYPES, display_name, extension
from tandem.resources.extract import clean, extract_text

log = logging.getLogger(__name__)

TITLE = "Guidelines – {title}"
DESCRIPTION = "The guidelines of the meeting “{title}”."


def blob_name(ext: str) -> str:
    """A random name in the library's storage (as ``tandem.resources.models.blob_name``)."""
    return f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}" + (f".{ext}" if ext else "")


def file_into_library(meeting, Resource, Version, raw: bytes):
    """A resource and its first version for ``meeting``'s guidelines file of bytes ``raw``."""
    filename = display_name(meeting.guidelines_document.name, fallback="guidelines")
    ext = extension(filename)
    blob = storages["resources"].save(blob_name(ext), ContentFile(raw))
    text = extract_text(raw, filename)
    title = TITLE.format(title=meeting.title)[:200]
    description = DESCRIPTION.format(title=meeting.title)
    resource = Resource.objects.create(
        title=title,
        description=description,
        kind="guide",
        language="en",
        licence="CC-BY-4.0",
        visibility="cohort",
        cohort_id=meeting.cohort_id,
        owner_id=meeting.created_by_id,
        status="published",
        version_count=1,
        search_document=clean("\n".join([title, description, text])),
    )
    Version.objects.create(
        resource=resource,
        number=1,
        blob=blob,
        filename=filename,
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
        size=len(raw),
        text=text,
        extracted=True,
        uploaded_by_id=meeting.created_by_id,
    )
    return resource


def forwards(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Resource = apps.get_model("resources", "Resource")
    Version = apps.get_model("resources", "Version")
    made = []
    meetings = Meeting.objects.exclude(guidelines_document="").filter(guidelines__isnull=True)
    for meeting in meetings.order_by("pk").iterator():
        try:
            with meeting.guidelines_document.open("rb") as handle:
                raw = handle.read()
        except (FileNotFoundError, OSError):
            log.warning(
                "meeting %s: guidelines file %s is missing; not moved",
                meeting.pk,
                meeting.guidelines_document.name,
            )
            continue
        resource = file_into_library(meeting, Resource, Version, raw)
        Meeting.objects.filter(pk=meeting.pk).update(guidelines=resource)
        made.append(resource.pk)
    if made and schema_editor.connection.vendor == "postgresql":
        from tandem.resources.indexing import search_vector_expression

        Resource.objects.filter(pk__in=made).update(search_vector=search_vector_expression())


def backwards(apps, schema_editor):
    """Keep the resources (they may be linked or downloaded since); unset the links."""
    Meeting = apps.get_model("meetings", "Meeting")
    Meeting.objects.filter(guidelines__isnull=False).update(guidelines=None)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_meeting_guidelines")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
