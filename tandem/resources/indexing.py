"""The search index of the library: the text inside a version's file, and each resource's
search document (title, description, the latest version's text) with, on PostgreSQL, its
weighted ``tsvector`` (GIN-indexed), so a search is one query."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.files.storage import storages
from django.db.models import Value
from django.db.models.functions import Left

from .extract import Limits, clean, extract
from .models import IndexState, Resource, Version
from .plaintext import plain_text
from .selectors import is_postgres, vector_config

#: Characters of the search document (title, description, the latest file's text) indexed.
MAX_DOCUMENT_CHARS = 200_000


def storage():
    """The library's file storage (``STORAGES["resources"]``: local files or S3)."""
    return storages["resources"]


def limits(*, in_request: bool = False) -> Limits:
    """The work reading one file may take (``TANDEM_RESOURCE_EXTRACT_*``); in a web request
    the time is ``TANDEM_RESOURCE_SYNC_EXTRACT_SECONDS``."""
    return Limits(
        seconds=settings.TANDEM_RESOURCE_SYNC_EXTRACT_SECONDS
        if in_request
        else settings.TANDEM_RESOURCE_EXTRACT_SECONDS,
        max_bytes=settings.TANDEM_RESOURCE_EXTRACT_MAX_BYTES,
        max_pages=settings.TANDEM_RESOURCE_EXTRACT_MAX_PAGES,
        max_page_bytes=settings.TANDEM_RESOURCE_EXTRACT_MAX_PAGE_BYTES,
    )


def extract_version(version: Version, *, in_request: bool = False) -> bool:
    """Read the text inside a version's file within the budget and index it (the resource's
    search document follows its latest version): ``indexed``, or ``partial`` / ``unread`` if
    the budget ran out first, keeping what was read. In a request (``in_request``) a file not
    read in time is left for the task: nothing is stored and ``False`` is returned."""
    with storage().open(version.blob, "rb") as handle:
        result = extract(handle, version.filename or version.blob, limits(in_request=in_request))
    if in_request and result.timed_out:
        return False
    if result.complete:
        state = IndexState.INDEXED
    else:
        state = IndexState.PARTIAL if result.text else IndexState.UNREAD
    Version.objects.filter(pk=version.pk).update(
        text=result.text, extracted=True, index_state=state
    )
    version.text, version.extracted, version.index_state = result.text, True, state
    refresh_search(version.resource)
    return True


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
