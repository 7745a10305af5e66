"""``{% load checkins %}``: ``{{ status|status_label }}``, a check-in's status as people read it
(``CheckIn.STATUS_LABELS``, the same words as the check-ins overview's badges)."""

from django import template

from ..models import CheckIn

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    labels = CheckIn.STATUS_LABELS
    return labels.get(status, labels["upcoming"])
