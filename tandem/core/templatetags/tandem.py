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
def zoned(value, tzname: str | None = None) -> str:
    """``12 Apr 2024, 23:59 America/Los_Angeles (UTC−07:00)``; current zone by default."""
    if not value:
        return ""
    tzname = tzname or timezone.get_current_timezone_name()
    local = to_local(value, tzname)
    return f"{local:%d %b %Y, %H:%M} {tzname.replace('_', ' ')} ({utc_offset_label(value, tzname)})"
