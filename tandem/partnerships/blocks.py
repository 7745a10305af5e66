"""The partnerships app's home-page block: the person's partner cards."""

from django.utils import timezone

from tandem.core.blocks import Block, register
from tandem.core.timezones import local_date, person_zone

from . import services


def _partners(request):
    user = request.user
    today = local_date(timezone.now(), person_zone(user))  # the person's own date, not UTC's
    partners = [
        {
            "pair": pair,
            "me": me,
            "partner": partner,
            "windows": services.shared_windows(me, partner, today),
            "expertise": [t for t in partner.topics.all() if t.kind == "expertise"],
        }
        for pair, me, partner in services.partnerships_of(user)
    ]
    return {"partners": partners} if partners else None


def register_blocks() -> None:
    register(Block("partners", "partnerships/_home_partners.html", _partners, order=10))
