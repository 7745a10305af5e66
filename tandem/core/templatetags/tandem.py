"""Template helpers: times shown in a given zone, with the zone named."""

from django import template
from django.utils import timezone

from .. import languages
from ..timezones import range_text, to_local, utc_offset_label, zone_name

register = template.Library()


@register.filter
def in_zone(value, tzname: str):
    """The wall-clock time in ``tzname`` of an aware datetime, as a *naive* datetime:
    ``{{ when|in_zone:cohort.timezone|date:"D H:i" }}``.

    Naive on purpose: Django's ``date``/``time`` filters convert an aware value back to the
    viewer's active zone, which would undo the conversion."""
    if not value or not tzname:
        return value
    return to_local(value, zone_name(tzname)).replace(tzinfo=None)


@register.simple_tag
def zoned_now(tzname: str) -> str:
    """The current local time in ``tzname``, e.g. ``Tue 14:05 (UTC+03:00)``."""
    now, tzname = timezone.now(), zone_name(tzname)
    return f"{to_local(now, tzname):%a %H:%M} ({utc_offset_label(now, tzname)})"


@register.simple_tag
def zoned_range(start, end, tzname: str, named: bool = False) -> str:
    """``Mon 09:00–11:00`` of two instants in ``tzname``; with ``named=True`` the zone follows:
    ``Mon 09:00–11:00 Asia/Amman (UTC+03:00)``."""
    return range_text(start, end, tzname, named)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key) if hasattr(mapping, "get") else key


@register.filter
def first_word(value: str) -> str:
    """A person's first name as written (``Miłosz`` of ``Miłosz Śmieszek``)."""
    return (value or "").split(" ")[0]


@register.filter
def language_name(code: str) -> str:
    return languages.language_name(code)


@register.simple_tag
def zoned(value, tzname: str | None = None) -> str:
    """``12 Apr 2024, 23:59 America/Los_Angeles (UTC−07:00)``; current zone by default."""
    if not value:
        return ""
    tzname = zone_name(tzname or timezone.get_current_timezone_name())
    local = to_local(value, tzname)
    return f"{local:%d %b %Y, %H:%M} {tzname.replace('_', ' ')} ({utc_offset_label(value, tzname)})"
