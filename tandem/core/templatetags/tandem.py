"""Template helpers: times shown in a given zone, with the zone named."""

from django import template
from django.utils import timezone

from ..timezones import to_local, utc_offset_label

register = template.Library()


@register.filter
def in_zone(value, tzname: str):
    """An aware datetime converted to ``tzname``: ``{{ when|in_zone:cohort.timezone }}``."""
    if not value or not tzname:
        return value
    return to_local(value, tzname)


@register.simple_tag
def zoned_now(tzname: str) -> str:
    """The current local time in ``tzname``, e.g. ``Tue 14:05 (UTC+03:00)``."""
    now = timezone.now()
    return f"{to_local(now, tzname):%a %H:%M} ({utc_offset_label(now, tzname)})"


@register.simple_tag
def zoned_range(start, end, tzname: str) -> str:
    """``Mon 09:00–11:00`` of two instants in ``tzname``."""
    a, b = to_local(start, tzname), to_local(end, tzname)
    return f"{a:%a %H:%M}–{b:%H:%M}" if a.date() == b.date() else f"{a:%a %H:%M}–{b:%a %H:%M}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key) if hasattr(mapping, "get") else key


@register.filter
def first_word(value: str) -> str:
    """A person's first name as written (``Miłosz`` of ``Miłosz Śmieszek``)."""
    return (value or "").split(" ")[0]


@register.filter
def language_name(code: str) -> str:
    from ..languages import language_name as name

    return name(code)


@register.simple_tag
def zoned(value, tzname: str | None = None) -> str:
    """``12 Apr 2024, 23:59 America/Los_Angeles (UTC−07:00)``; current zone by default."""
    if not value:
        return ""
    tzname = tzname or timezone.get_current_timezone_name()
    local = to_local(value, tzname)
    return f"{local:%d %b %Y, %H:%M} {tzname.replace('_', ' ')} ({utc_offset_label(value, tzname)})"
