"""The calendar app's profile section: the person's private calendar link."""

from django.urls import reverse

from tandem.core.profile import Section, register

from .models import CalendarFeed


def _feed(request):
    feed, _ = CalendarFeed.objects.get_or_create(user=request.user)
    feed_url = request.build_absolute_uri(reverse("calendar:feed", args=[feed.token]))
    return {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]}


def register_profile_section() -> None:
    register(Section("calendar", "calendars/_profile_calendar.html", _feed, order=10))
