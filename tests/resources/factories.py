"""Resources for tests, shared through the service (so versions, search documents and
statuses are what the app itself writes)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.demo import documents
from tandem.resources import services
from tandem.resources.models import Resource, Status, Visibility


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def text_file(words: str = "Be kind and curious.", name: str = "notes.md") -> SimpleUploadedFile:
    return upload(name, words.encode())


def pdf_file(words: str, name: str = "guide.pdf") -> SimpleUploadedFile:
    return upload(name, documents.pdf("A guide", [words]))


def docx_file(words: str, name: str = "template.docx") -> SimpleUploadedFile:
    return upload(name, documents.docx("A template", [words]))


def make_resource(
    owner,
    *,
    title: str = "Mentoring agreement template",
    visibility: str = Visibility.PUBLIC,
    file=None,
    status: str | None = None,
    **kwargs,
) -> Resource:
    resource = services.share(
        owner,
        title=title,
        file=file if file is not None else text_file(),
        visibility=visibility,
        **kwargs,
    )
    if status is not None and resource.status != status:
        Resource.objects.filter(pk=resource.pk).update(status=status)
        resource.status = status
    return resource


__all__ = ["Status", "make_resource", "upload", "text_file", "pdf_file", "docx_file"]
