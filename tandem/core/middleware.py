from django.utils import timezone
from django.utils.translation import gettext

from .responses import bad_input
from .timezones import is_valid_timezone, zone


class UserTimezoneMiddleware:
    """Show every page in the signed-in person's own time zone (UTC for visitors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        tzname = getattr(user, "timezone", "") if user is not None else ""
        if tzname and is_valid_timezone(tzname):
            timezone.activate(zone(tzname))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class RejectNulMiddleware:
    """A NUL character is never valid input. PostgreSQL refuses it in any text, so a NUL in the
    path or in a query-string parameter (``?status=%00``, an admin list filter, a calendar
    token…) would reach the database and answer 500 there. Answer 400 first, naming where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = nul_parameters(request)
        if where:
            return bad_input(
                request,
                gettext("The address contains a NUL character, which is never valid input."),
                [gettext("%(name)s: contains a NUL character.") % {"name": name} for name in where],
            )
        return self.get_response(request)


def nul_parameters(request) -> list[str]:
    """Where ``request``'s address has a NUL: ``path`` and/or the names of query parameters."""
    where = ["path"] if "\x00" in request.path else []
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            where.append(name.replace("\x00", "\\x00"))
    return where
