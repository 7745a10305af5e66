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
