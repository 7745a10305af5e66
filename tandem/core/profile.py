"""Profile-page sections: each app registers what it adds to a person's profile page.

An app calls :func:`register` in its ``AppConfig.ready()``; the profile page
(``accounts:profile``) shows, after the person's name and time zone, every section in
``order``. So a new app adds its settings (a calendar link, which e-mails to receive …) without
editing the profile page or any other app.

A section with a ``form`` is saved by the profile page itself: the form posts to the profile
page with a submit button named ``save_<name>``; a valid form is saved, ``saved`` is shown and
the person is sent back to ``#<name>``. The template receives ``section`` (the
:class:`Section`) and ``s`` (its ``context`` plus ``form``); the page's context also names the
form ``<name>_form``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.http import HttpRequest, QueryDict


class SectionForm(Protocol):
    def is_valid(self) -> bool: ...

    def save(self) -> Any: ...


@dataclass(frozen=True)
class Section:
    name: str  # the anchor (``#name``) and the submit button ``save_<name>``
    template: str
    context: Callable[[HttpRequest], dict[str, Any]] | None = None
    # The section's form, bound to the posted data (or unbound when ``data`` is None).
    form: Callable[[HttpRequest, QueryDict | None], SectionForm] | None = None
    saved: str = ""  # the message after a successful save (translatable)
    order: int = 100


_sections: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add (or replace, by name) a section."""
    _sections[section.name] = section
    return section


def sections() -> list[Section]:
    """Every registered section, in order."""
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))


def posted_section(request: HttpRequest) -> Section | None:
    """The section whose form this POST saves (its ``save_<name>`` button), if any."""
    if request.method != "POST":
        return None
    return next(
        (s for s in sections() if s.form is not None and f"save_{s.name}" in request.POST), None
    )
