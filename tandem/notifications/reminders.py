"""Reminder providers: each app registers what reminders it sends and how to plan them.

An app calls :func:`register` in its ``AppConfig.ready()`` with a provider, a function of the
instant ``now`` returning every :class:`Reminder` due then, and the kinds it sends, each with a
label. The periodic job (:func:`tandem.notifications.services.send_reminders`) asks every
provider, drops what the recipient turned off and what was sent before, and queues the rest;
the profile page lists every registered kind, so a person can turn each one off. So a new app
adds reminders without editing this app or any other."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import translation
from django.utils.functional import lazy

from .models import OutboxMessage

KIND_MAX_LENGTH = 60  # ReminderOptOut.kind and OutboxMessage.kind


@dataclass
class Reminder:
    """One e-mail to one person. ``dedupe_key`` makes sending it idempotent: a reminder whose
    key is in the outbox is never sent again. ``subject`` and ``body`` may be the lazy strings of
    :func:`lazy_mail`, rendered only when read."""

    kind: str
    user: Any
    to: str
    subject: str
    body: str
    dedupe_key: str
    cohort: Any = None


Provider = Callable[[dt.datetime], Iterable[Reminder]]


def lazy_mail(render: Callable[[], tuple[str, str]]) -> tuple[Any, Any]:
    """``(subject, body)`` as lazy strings, rendered by ``render`` (once for both) when either is
    first read, in the language active now. A provider plans every due reminder, but most are
    dropped (turned off, sent before) and the outbox preview shows one page: only the mails
    someone reads or the job sends are rendered."""
    language = _planning_language.get()
    rendered = _Rendered(render, translation.get_language() if language is None else language)
    return _part(rendered, 0), _part(rendered, 1)


# The language active when plan() began, read once for all its reminders: Django keeps the
# active language in an asgiref Local, and reading it costs ~50 µs — a third of the planning
# time of thousands of reminders when read per reminder.
_planning_language: ContextVar[str | None] = ContextVar("planning_language", default=None)


class _Rendered:
    """``render()`` once, in ``language`` (cheaper than a ``functools.cache`` per reminder)."""

    __slots__ = ("render", "language", "mail")

    def __init__(self, render: Callable[[], tuple[str, str]], language: str | None) -> None:
        self.render, self.language, self.mail = render, language, None

    def __call__(self) -> tuple[str, str]:
        if self.mail is None:
            with translation.override(self.language):
                self.mail = self.render()
        return self.mail


# One lazy factory for all (``lazy`` builds a proxy class per call, too slow per reminder).
_part = lazy(lambda rendered, index: rendered()[index], str)


def dedupe_key(kind: str, key: str, user_pk: int) -> str:
    """The outbox key of reminder ``kind`` about ``key`` for a person: sent once per key."""
    return f"{kind}:{key}:{user_pk}"


def sent_before(kind: str, key: str | tuple[str, ...], user_field: str) -> Exists:
    """For a provider's query: whether the outbox holds the :func:`dedupe_key` of reminder
    ``kind`` for the row's person (``user_field``: the row's field holding the user's id)
    about ``key`` (a string, or texts and the row's fields in turn: ``("checkin", "pk")`` for
    ``checkin<pk>``, ``("cohort", "cohort_id", "-round", "round")`` for
    ``cohort<id>-round<n>``). The job drops such a reminder anyway; a provider that leaves it
    out in SQL plans only what is new, so its time follows what is due now, not everything ever
    reminded."""

    def text(field: str) -> Cast:
        return Cast(OuterRef(field), output_field=CharField())

    pieces = (key,) if isinstance(key, str) else key
    parts = [Value(f"{kind}:")]
    parts += [text(piece) if index % 2 else Value(piece) for index, piece in enumerate(pieces)]
    parts += [Value(":"), text(user_field)]
    return Exists(OutboxMessage.objects.filter(dedupe_key=Concat(*parts, output_field=CharField())))


@dataclass(frozen=True)
class ReminderSource:
    name: str
    provider: Provider
    kinds: dict[str, str]  # kind → label, as the profile lists it ("check-in overdue")


_sources: dict[str, ReminderSource] = {}


def register(
    name: str, provider: Provider, *, kinds: Mapping[str, str] | Iterable[tuple[str, str]]
) -> ReminderSource:
    """Add (or replace, by ``name``) a provider and the kinds of reminder it sends, each with a
    label (translatable, lower case: it follows "E-mail me when:")."""
    kinds = dict(kinds)
    for kind in kinds:
        if not kind or len(kind) > KIND_MAX_LENGTH:
            raise ValueError(f"A reminder kind is 1 to {KIND_MAX_LENGTH} characters: {kind!r}")
        owner = next((s.name for s in _sources.values() if kind in s.kinds), name)
        if owner != name:
            raise ValueError(f"Reminder kind {kind!r} is already registered by {owner!r}")
    source = ReminderSource(name, provider, kinds)
    _sources[name] = source
    return source


def kinds() -> dict[str, str]:
    """Every registered kind with its label, in registration order."""
    return {kind: label for source in _sources.values() for kind, label in source.kinds.items()}


def plan(now: dt.datetime) -> list[Reminder]:
    """Every reminder the providers say is due at ``now`` (opt-outs and the outbox aside)."""
    planned: list[Reminder] = []
    token = _planning_language.set(translation.get_language())
    # Planning builds thousands of model instances and lazy mails in one go, none of them
    # garbage: Python's cyclic collector would scan them again and again meanwhile (40 % of the
    # time at 6,000 reminders). It runs again as soon as planning is over.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for source in _sources.values():
            for reminder in source.provider(now):
                if reminder.kind not in source.kinds:
                    raise ValueError(
                        f"Provider {source.name!r} planned a reminder of unregistered kind "
                        f"{reminder.kind!r}: register it, so people can turn it off"
                    )
                planned.append(reminder)
    finally:
        if collecting:
            gc.enable()
        _planning_language.reset(token)
    return planned
