"""``{% load reasons %}``: the pairing engine's reasons in the active language, with names.

``{% reason r %}`` or ``{% reason r people %}``, where ``r`` is one stored reason or ``why``
(``{"code", "params"}``) and ``people`` maps engine ids (``a42``) to applications or names.
"""

from django import template

from ..reasons import People, render

register = template.Library()


@register.simple_tag
def reason(item, people: People = None) -> str:
    return render(item, people)
