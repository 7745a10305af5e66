"""``{% pagination page query target %}``: the links to a list's other pages.

``query`` is the list's address without its page (``gap=yes&sort=name``), so each link keeps the
filters and the sort; ``target`` (a CSS selector) makes the links replace only that element with
htmx, pushing the address, as the filters do; without JavaScript they are ordinary links."""

from __future__ import annotations

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.inclusion_tag("pagination.html")
def pagination(page, query: str = "", target: str = "", param: str = "page") -> dict:
    def href(number: int) -> str:
        return "?" + "&".join(part for part in (query, urlencode({param: number})) if part)

    links = {}
    if page.has_previous():
        links["first"] = href(1)
        links["previous"] = href(page.previous_page_number())
    if page.has_next():
        links["next"] = href(page.next_page_number())
        links["last"] = href(page.paginator.num_pages)
    return {"page": page, "links": links, "target": target}
