"""Widgets for long choice lists.

Django renders a ``<select>`` through one template per ``<option>``: about 80 µs an option, so
the language list (180 options) costs 15 ms and the zone list (600) about 50 ms on every page
that shows them — most of a list page's time. :class:`QuickSelect` renders the same HTML in
Python (the same ``get_context()``, so attributes, selection, optgroups and escaping are
Django's) at a fraction of the cost.
"""

from __future__ import annotations

from html import escape

from django import forms
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """``flatatt`` without Django's lazy-aware escaping (the values here are plain strings)."""
    out = []
    for key, value in attrs.items():
        if value is True:
            out.append(f" {key}")
        elif value is not False and value is not None:
            out.append(f' {key}="{escape(str(value))}"')
    return "".join(out)


def _option(option: dict) -> str:
    attrs = {} if option["value"] is None else {"value": option["value"]}
    attrs.update(option["attrs"])
    return f"<option{_attrs(attrs)}>{escape(str(option['label']))}</option>"


class QuickSelect(forms.Select):
    """A ``forms.Select`` rendered without a template per option."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f'<optgroup label="{escape(str(group))}">')
            parts.extend(_option(option) for option in options)
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


class ZoneSelect(QuickSelect):
    """The zone picker: a ``QuickSelect`` that tandem.js makes searchable (``data-zone-picker``),
    and that keeps showing a stored zone the list does not offer (an old zone with no
    canonical equivalent), so saving the form never changes a person's zone unasked."""

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        chosen = [v for v in value if v]
        shown = any(option["selected"] for _g, options, _i in groups for option in options)
        if chosen and not shown:
            option = self.create_option(name, chosen[0], chosen[0], True, len(groups))
            groups.append((None, [option], len(groups)))
        return groups
