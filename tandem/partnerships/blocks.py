"""The partnerships app's home-page block: the person's partner cards."""

from django.utils import timezone

from tandem.core.blocks import Block, register
from tandem.core.timezones import local_date, person_zone

from . import services


def _partners(request):
    user = request.user
    today = local_date(timezone.now(), person_zone(user))  # the person's own date, not UTC's
    pairs = services.partnerships_of(user)
    expertise = services.expertise_of(partner for _pair, _me, partner in pairs)
    topics = services.topic_names(pair for pair, _me, _partner in pairs)
    partners = [
        {
            "pair": pair,
            "me": me,
            "partner": partner,
            "windows": services.shared_windows(me, partner, today),
            "expertise": expertise[partner.pk],
        }
        for pair, me, partner in pairs
    ]
    return {"partners": partners, "topics": topics} if partners else None


def register_blocks() -> None:
    register(Block("partners", "partnerships/_home_partners.html", _partners, order=10))
