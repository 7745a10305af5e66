"""``{% load reasons %}``: the pairing engine's reasons in the active language, with names.

``{% reason r %}`` or ``{% reason r people %}``, where ``r`` is one stored reason or ``why``
(``{"code", "params"}``) and ``people`` maps engine ids (``a42``) to applications or names.
``{% participant_reasons pair.reasons me.pk pair.experienced_id partner.full_name topics as
why %}``: the plain sentences a participant (``me``) reads about their partner; ``topics``
maps topic slugs to names.
"""

from django import template

from tandem.core.templatetags.tandem import first_word

from ..reasons import People, for_participant, render

register = template.Library()


@register.simple_tag
def reason(item, people: People = None) -> str:
    return render(item, people)


@register.simple_tag
def participant_reasons(reasons, me_pk, experienced_pk, partner, topics=None) -> list[str]:
    return for_participant(
        reasons or [],
        experienced=me_pk is not None and me_pk == experienced_pk,
        partner=first_word(partner),
        topics=topics,
    )
