"""Pages of long lists: every list page shows one page of rows (``?page=N``), with links to the
others that keep the rest of the address (filters, sort), so a list costs the same few queries
at 10 rows and at 10,000.

A page number that is not a number, or past the end, shows the first or the last page (Django's
:meth:`~django.core.paginator.Paginator.get_page`): never an error."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

#: Rows per page of the coordinator lists.
PER_PAGE = 50


def page_of(
    request: HttpRequest,
    object_list: Sequence,
    *,
    per_page: int = PER_PAGE,
    param: str = "page",
    count: int | None = None,
) -> Page:
    """The page of ``object_list`` that ``request``'s ``?<param>=`` asks for (a queryset is
    counted with one query and sliced with one more; ``count``, when the caller knows it
    already, saves the first)."""
    paginator = Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached property: this is its value
    return paginator.get_page(request.GET.get(param))
