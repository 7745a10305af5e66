"""The meetings app's home-page blocks: the person's check-ins and upcoming meetings."""

from django.utils import timezone

from tandem.core.blocks import Block, register
from tandem.core.timezones import local_date, person_zone

from . import services

#: What the home page's check-ins block shows of each round (not the pairs' answers or notes).
_BLOCK_COLUMNS = (
    *services.STATUS_COLUMNS,
    "proposed_at",
    "partnership__cohort__slug",
    "partnership__experienced__full_name",
    "partnership__learning__full_name",
)


def _checkins(request):
    today = local_date(timezone.now(), person_zone(request.user))  # the person's own date
    rounds = services.checkins_for(request.user).only(*_BLOCK_COLUMNS)
    checkins = [
        (c, status)
        for c in rounds
        if (status := c.status(today)) in ("due", "scheduled", "overdue")
    ]
    return {"checkins": checkins} if checkins else None


def _meetings(request):
    meetings = list(services.upcoming(services.meetings_for(request.user), timezone.now())[:10])
    return {"meetings": meetings} if meetings else None


def register_blocks() -> None:
    register(Block("checkins", "meetings/_home_checkins.html", _checkins, order=20))
    register(Block("meetings", "meetings/_home_meetings.html", _meetings, order=30))
