"""Calendar downloads (.ics of one object, looked up through the app that registered it) and
each person's private feed (the events of every registered source).

Each file is in its reader's profile zone; what a file guarantees (exact instants, also in a
repeated hour, escaped names, stable identity) is set out in :mod:`tandem.calendars.ics`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from tandem.core.timezones import person_zone

from . import events
from .ics import calendar_for
from .models import CalendarFeed, new_token

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _ics(body: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
@login_required
def download(request: HttpRequest, pk: int, source: str) -> HttpResponse:
    """One object as .ics, in the downloader's zone; 404 for anyone who may not see it (its
    app's ``download`` says)."""
    registered = events.source(source)
    found = registered.download(request.user, pk) if registered and registered.download else None
    if found is None:
        raise Http404
    body = calendar_for([found.event], person_zone(request.user), found.name)
    return _ics(body, found.filename)


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private subscription of the token's owner. No login: the token is the secret."""
    calendar_feed = get_object_or_404(
        CalendarFeed.objects.select_related("user"), token=token, user__is_active=True
    )
    user = calendar_feed.user
    body = calendar_for(
        events.events_for(user),
        person_zone(user),
        gettext("Tandem: program meetings"),
        uid=f"feed-{calendar_feed.pk}@tandem",  # one calendar across refreshes
    )
    return _ics(body, "tandem.ics", attachment=False)


@require_POST
@login_required
def feed_reset(request: HttpRequest) -> HttpResponse:
    """Give the signed-in person a new feed token; the old address stops working at once."""
    CalendarFeed.objects.update_or_create(user=request.user, defaults={"token": new_token()})
    messages.success(
        request,
        gettext(
            "Your calendar link was reset. The old link no longer works: subscribe again with "
            "the new one below."
        ),
    )
    return redirect(reverse("accounts:profile") + "#calendar")
