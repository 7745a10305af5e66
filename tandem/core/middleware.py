from zoneinfo import ZoneInfo

from django.utils import timezone

from .timezones import is_valid_timezone


class UserTimezoneMiddleware:
    """Show every page in the signed-in person's own time zone (UTC for visitors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        tzname = getattr(user, "timezone", "") if user is not None else ""
        if tzname and is_valid_timezone(tzname):
            timezone.activate(ZoneInfo(tzname))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
