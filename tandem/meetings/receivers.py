"""How meetings react to other apps' events (connected in ``apps.py``)."""

from django.dispatch import receiver

from tandem.partnerships.signals import pairs_published

from . import services


@receiver(pairs_published, dispatch_uid="meetings.checkin_rounds_of_published_pairs")
def checkin_rounds_of_published_pairs(sender, pairs, **kwargs) -> None:
    """Published pairs get their quarterly check-in rounds."""
    for pair in pairs:
        services.ensure_checkins(pair)
