"""The search index of the library: the text inside a version's file, and each resource's
search document (title, description, the latest version's text) with, on PostgreSQL, its
weighted ``tsvector`` (GIN-indexed), so a search is one query."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.core.files.storage import storages
from django.db.models import Value
from django.db.models.functions import Left

from .extract import clean, extract_text
from .models import Resource, Version
from .plaintext import plain_text
from .selectors import is_postgres, vector_config

#: Characters of the search document (title, description, the latest file's text) indexed.
MAX_DOCUMENT_CHARS = 200_000


def storage():
    """The library's file storage (``STORAGES["resources"]``: local files or S3)."""
    return storages["resources"]


def extract_version(version: Version) -> None:
    """Read the text inside a version's file and index it (the resource's search document
    follows its latest version)."""
    with storage().open(version.blob, "rb") as handle:
        text = extract_text(handle, version.filename or version.blob)
    Version.objects.filter(pk=version.pk).update(text=text, extracted=True)
    version.text, version.extracted = text, True
    refresh_search(version.resource)


def refresh_search(resource: Resource) -> None:
    """Rebuild the resource's search document (title, description, latest version's text) and,
    on PostgreSQL, its weighted search vector: words stemmed in the resource's language and as
    written (``simple``), so a search in any language finds exact words. A Markdown or CSV
    file's text goes in as plain words (``plaintext``): what the snippets show."""
    latest = resource.versions.order_by("-number").values_list("text", "filename").first()
    text, name = latest or ("", "")
    document = clean("\n".join([resource.title, resource.description, plain_text(text, name)]))
    Resource.objects.filter(pk=resource.pk).update(search_document=document[:MAX_DOCUMENT_CHARS])
    if is_postgres():
        update_vectors(Resource.objects.filter(pk=resource.pk))


def search_vector_expression():
    """Title (weight A), description (B) and the whole document (C), stemmed in the row's own
    language, plus the title as written (``simple``). The query stems the words in every
    language (``selectors.pg_query``), so one vector per row is enough: small enough to stay in
    the row (``STORAGE MAIN``, migration 0003; out of it, in the TOAST table, every match cost
    two more lookups), which keeps counting and ranking thousands of matches fast."""
    config = vector_config()
    body = Left("search_document", MAX_DOCUMENT_CHARS)
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("description", weight="B", config=config)
        + SearchVector(body, weight="C", config=config)
        + SearchVector("title", weight="A", config=Value("simple"))
    )


def update_vectors(resources) -> int:
    return resources.update(search_vector=search_vector_expression())
