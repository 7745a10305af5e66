"""A run's review, cell by cell: what each proposal shows, made ready as text in Python.

A page shows ten proposals; each has its partners' languages, the shared hours in both zones,
six to nine reasons and up to six alternatives with scores. Written with template tags and
filters (``{% zoned_range %}`` twice per window, ``{% reason %}``, ``floatformat``, nested
loops) that was about 150 template nodes a row, 13 ms of a page's 18 ms of template work.
Here each cell is built once, with the same translations (the same message ids as the
template had) and the same formatting, and the template prints strings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import get_format
from django.utils.translation import gettext as _

from tandem.applications.models import Application
from tandem.core.templatetags.tandem import first_word
from tandem.core.timezones import range_text

from .models import Partnership
from .reasons import render


def decimals(value: float, places: int) -> str:
    """``value`` with ``places`` decimals in the active language, rounded half up: what the
    ``floatformat:places`` filter shows for a number, without its per-call overhead."""
    number = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{number:.{places}f}"
    separator = get_format("DECIMAL_SEPARATOR")
    return text.replace(".", separator) if separator != "." else text


def spoken(application: Application) -> str:
    """``EN3 FR2`` : each language code and proficiency."""
    return " ".join(f"{code.upper()}{level}" for code, level in application.languages.items())


def shared_hours(
    pair: Partnership, windows: Iterable[tuple[dt.datetime, dt.datetime]]
) -> list[str]:
    """Each shared window as both partners see it, named by first name."""
    e, l_ = pair.experienced, pair.learning
    e_zone, l_zone = e.zone, l_.zone
    e_name, l_name = first_word(e.full_name), first_word(l_.full_name)
    return [
        _("%(e_time)s for %(e_name)s = %(l_time)s for %(l_name)s")
        % {
            "e_time": range_text(start, end, e_zone, named=True),
            "e_name": e_name,
            "l_time": range_text(start, end, l_zone, named=True),
            "l_name": l_name,
        }
        for start, end in windows
    ]


def alternatives_text(
    found: list[dict[str, Any]], names: Mapping[str, str]
) -> list[tuple[str, str]]:
    """(name, score) of each best alternative partner."""
    return [(names.get(x["id"], ""), decimals(x["score"], 2)) for x in found]


def proposal(
    pair: Partnership,
    windows: Iterable[tuple[dt.datetime, dt.datetime]],
    alternatives: Mapping[str, list[dict[str, Any]]],
    names: Mapping[str, str],
    pid,
) -> dict[str, Any]:
    """One proposal of a run's review as its row shows it (``partnerships/run.html``)."""
    e, l_ = pair.experienced, pair.learning
    windows = list(windows)
    return {
        "pair": pair,
        "windows": windows,  # the shared instants (UTC), as shown in ``shared_hours``
        "e_zone": e.zone,
        "l_zone": l_.zone,
        "e_languages": spoken(e),
        "l_languages": spoken(l_),
        "e_first": first_word(e.full_name),
        "l_first": first_word(l_.full_name),
        "score": decimals(pair.score, 3),
        "overlap": _("%(hours)s h/week (tightest week)")
        % {"hours": decimals(pair.overlap_hours, 1)},
        "shared_hours": shared_hours(pair, windows),
        "reasons": [render(r, names) for r in pair.reasons],
        "alt_e": alternatives_text(alternatives.get(pid(e.pk), []), names),
        "alt_l": alternatives_text(alternatives.get(pid(l_.pk), []), names),
    }
