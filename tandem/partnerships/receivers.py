"""How partnerships react to other apps' events (connected in ``apps.py``)."""

from django.db import transaction
from django.dispatch import receiver

from tandem.applications.signals import participation_ended

from . import services


@receiver(participation_ended, dispatch_uid="partnerships.end_pairs_of_leaver")
def end_pairs_of_leaver(sender, application, actor, reason, **kwargs) -> None:
    """A participant left the cohort: their pairs end, their partners are told and become
    matchable again by the next run."""
    with transaction.atomic():
        services.end_pairs_of(application, actor=actor, reason=reason)
