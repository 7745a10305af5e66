"""Calendar downloads (.ics of one meeting or check-in) and each person's private feed.

Each file is in its reader's profile zone; what a file guarantees (exact instants, also in a
repeated hour, escaped names, stable identity) is set out in :mod:`tandem.meetings.calendar`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from tandem.partnerships.models import Partnership

from . import services
from .calendar import calendar_for, checkin_event, meeting_event
from .models import CalendarFeed, CheckIn, Meeting, new_token

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _ics(body: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _tzname(user) -> str:
    return getattr(user, "timezone", "") or "UTC"


@require_GET
@login_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting as .ics, in the downloader's zone; 404 for anyone who may not see it."""
    meeting = get_object_or_404(Meeting.objects.select_related("cohort"), pk=pk)
    if not services.can_see_meeting(request.user, meeting):
        raise Http404
    body = calendar_for([meeting_event(meeting)], _tzname(request.user), meeting.title)
    return _ics(body, f"{slugify(meeting.title) or 'meeting'}.ics")


@require_GET
@login_required
def checkin_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmed check-in as .ics: only its two partners (published pair) or a coordinator."""
    checkin = get_object_or_404(
        CheckIn.objects.select_related(
            "partnership__cohort", "partnership__experienced", "partnership__learning"
        ),
        pk=pk,
    )
    pair = checkin.partnership
    allowed = request.user.is_coordinator or (
        pair.status == Partnership.Status.PUBLISHED and services.is_partner(request.user, checkin)
    )
    if not allowed or not (checkin.confirmed and checkin.proposed_at):
        raise Http404
    name = gettext("Check-in %(round)s") % {"round": checkin.round}
    body = calendar_for([checkin_event(checkin)], _tzname(request.user), name)
    return _ics(body, f"check-in-{checkin.round}-{checkin.pk}.ics")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private subscription of the token's owner. No login: the token is the secret."""
    calendar_feed = get_object_or_404(
        CalendarFeed.objects.select_related("user"), token=token, user__is_active=True
    )
    user = calendar_feed.user
    events = [meeting_event(m) for m in services.meetings_for(user)]
    events += [
        checkin_event(c)
        for c in services.checkins_for(user).filter(confirmed=True, proposed_at__isnull=False)
    ]
    body = calendar_for(
        events,
        _tzname(user),
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
