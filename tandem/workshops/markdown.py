"""Workshop descriptions: Markdown rendered to HTML, then sanitised.

``markdown`` turns the text into HTML (raw HTML in it passes through); ``nh3`` (the Rust
``ammonia`` sanitiser) then keeps only an allow-list of tags and attributes: no ``<script>``,
no event handlers, no ``style``, and links only to http(s) and mailto addresses (a
``javascript:`` link loses its target). Links get ``rel="noopener noreferrer nofollow"``.
"""

from __future__ import annotations

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render(text: str) -> SafeString:
    """Safe HTML of a Markdown ``text`` (an empty string for none)."""
    if not text:
        return mark_safe("")
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308  (sanitised by nh3 just above)
