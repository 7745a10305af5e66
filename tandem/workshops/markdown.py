"""Workshop descriptions: Markdown rendered to HTML, then sanitised — once, when saved.

``markdown`` turns the text into HTML (raw HTML in it passes through); ``nh3`` (the Rust
``ammonia`` sanitiser) then keeps only an allow-list of tags and attributes: no ``<script>``,
no event handlers, no ``style``, and links only to http(s) and mailto addresses (a
``javascript:`` link loses its target). Links get ``rel="noopener noreferrer nofollow"``.

Python-Markdown is super-linear on some input: every ``[`` scans to the end of its paragraph for
its ``]`` and ``(…)`` (20,000 ``[`` took two minutes), a long run of backticks is tried as every
code-span length, and each ``<`` without a ``>`` is parsed as a tag up to the end. So a text is
at most ``MAX_LENGTH`` characters (the form refuses more), the workshop stores the HTML beside
the Markdown (a page view never parses Markdown), and the render is bounded: the link and image
patterns share a budget of characters they may scan (ample for any real text: a real link scans
only its own text and address), a run of more than ``MAX_BACKTICKS`` backticks is shortened to
that many, and when a text has more than ``MAX_OPEN_TAGS`` ``<`` that no ``>`` closes, those
are written as ``&lt;`` (they could be no tag anyway).
"""

from __future__ import annotations

import re

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension

TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

MAX_LENGTH = 20_000
SCAN_BUDGET = 200_000  # characters the link patterns may scan in one render (10 × the cap)
MAX_BACKTICKS = 32
MAX_OPEN_TAGS = 100

LINK_PATTERNS = (
    "reference",
    "link",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
)
BACKTICK_RUN = re.compile("`{" + str(MAX_BACKTICKS + 1) + ",}")
OPEN_TAG = re.compile(r"<(?=[^<>]*(?:<|\Z))")  # a "<" that no ">" closes before the next "<"


class BoundedLinks(Extension):
    """The link and image patterns stop looking for links once they have scanned
    ``SCAN_BUDGET`` characters: further brackets are plain text."""

    def extendMarkdown(self, md_):
        left = [SCAN_BUDGET]

        def bounded(scan, refused):
            def wrapper(data, index, *args):
                if left[0] <= 0:
                    return refused(index)
                result = scan(data, index, *args)
                left[0] -= max(result[-2] - index, 0) + 1  # result[-2]: where the scan ended
                return result

            return wrapper

        for name in LINK_PATTERNS:
            if name in md_.inlinePatterns:
                pattern = md_.inlinePatterns[name]
                pattern.getText = bounded(pattern.getText, lambda i: ("", i, False))
                if hasattr(pattern, "getLink"):
                    pattern.getLink = bounded(pattern.getLink, lambda i: ("", None, i, False))


def _defused(text: str) -> str:
    text = BACKTICK_RUN.sub("`" * MAX_BACKTICKS, text)
    if len(OPEN_TAG.findall(text)) > MAX_OPEN_TAGS:
        text = OPEN_TAG.sub("&lt;", text)
    return text


def render(text: str) -> SafeString:
    """Safe HTML of a Markdown ``text`` (an empty string for none), in bounded time."""
    if not text:
        return mark_safe("")
    converter = md.Markdown(
        extensions=["tables", "sane_lists", BoundedLinks()], output_format="html"
    )
    html = converter.convert(_defused(text))
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308  (sanitised by nh3 just above)
