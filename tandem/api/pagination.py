"""Cursor pagination of the API's lists.

A list answers ``{"items": […], "next_cursor": "…", "next": "https://…?cursor=…"}``: at most
``?limit=`` items (default :data:`DEFAULT_LIMIT`, at most :data:`MAX_LIMIT`), and, when more
follow, the cursor of the next page and its full address (filters and limit kept); on the last
page both are ``null``.

The cursor is opaque: the sort key of the page's last row (keyset pagination), signed with the
site's secret. A page costs one query wherever it lies, and rows added or removed between two
requests neither repeat nor push others out of the listing. A cursor the server did not issue,
or one from another list, is answered 400 with a message, never 500."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
SALT = "tandem.api.cursor"


class BadCursor(ValueError):
    """A ``?cursor=`` this list did not issue (its message says so, for the 400)."""


@dataclass(frozen=True)
class Keyset:
    """A list's name and its sort: model fields, ``-`` for descending, ending with a unique one
    (``pk``) so that every row has its own position. Null values sort last either way."""

    name: str
    fields: tuple[str, ...]

    def _field(self, model: type[Model], name: str):
        name = name.lstrip("-")
        return model._meta.pk if name == "pk" else model._meta.get_field(name)

    def order_by(self, model: type[Model]) -> list:
        order = []
        for name in self.fields:
            field, expression = self._field(model, name), F(name.lstrip("-"))
            descending = name.startswith("-")
            if field.null:
                order.append(
                    expression.desc(nulls_last=True)
                    if descending
                    else expression.asc(nulls_last=True)
                )
            else:
                order.append(expression.desc() if descending else expression.asc())
        return order

    def values(self, row: Model) -> list[Any]:
        """The row's sort key, as JSON."""
        out = []
        for name in self.fields:
            field = self._field(type(row), name)
            value = getattr(row, field.attname)
            out.append(value.isoformat() if isinstance(value, dt.date | dt.datetime) else value)
        return out

    def after(self, model: type[Model], values: Sequence[Any]) -> Q:
        """Rows sorted after the row whose sort key is ``values``:
        ``(a after) or (a same and b after) or (a same and b same and c after) …``."""
        terms, same = [], Q()
        for name, value in zip(self.fields, values, strict=True):
            field, column = self._field(model, name), name.lstrip("-")
            if value is None:  # nulls sort last: nothing comes after, the same is null
                terms.append(same & Q(pk__in=[]))
                same &= Q(**{f"{column}__isnull": True})
                continue
            later = Q(**{f"{column}__{'lt' if name.startswith('-') else 'gt'}": value})
            if field.null:
                later |= Q(**{f"{column}__isnull": True})
            terms.append(same & later)
            same &= Q(**{column: value})
        return functools.reduce(operator.or_, terms)

    def encode(self, row: Model) -> str:
        return signing.dumps({"list": self.name, "after": self.values(row)}, salt=SALT)

    def decode(self, model: type[Model], cursor: str) -> list[Any]:
        """The sort key in ``cursor``, typed; :class:`BadCursor` if this list did not issue it."""
        try:
            data = signing.loads(cursor, salt=SALT)
        except (signing.BadSignature, ValueError, UnicodeError) as error:
            raise BadCursor(
                _("This cursor is not valid: pass next_cursor of the page before, unchanged.")
            ) from error
        if not isinstance(data, dict) or data.get("list") != self.name:
            raise BadCursor(_("This cursor belongs to another list."))
        values = data.get("after")
        if not isinstance(values, list):
            raise BadCursor(_("This cursor belongs to another list."))
        if len(values) != len(self.fields):
            raise BadCursor(_("This cursor is out of date: start again from the first page."))
        try:
            return [
                None if value is None else self._field(model, name).to_python(value)
                for name, value in zip(self.fields, values, strict=True)
            ]
        except ValidationError as error:
            raise BadCursor(
                _("This cursor is out of date: start again from the first page.")
            ) from error


@dataclass
class CursorPage:
    items: list
    next_cursor: str | None

    def links(self, request: HttpRequest) -> dict[str, str | None]:
        """``next_cursor`` and ``next``: the request's own address with the next cursor."""
        if self.next_cursor is None:
            return {"next_cursor": None, "next": None}
        query = request.GET.copy()
        query["cursor"] = self.next_cursor
        url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return {"next_cursor": self.next_cursor, "next": url}


def paginate(qs: QuerySet, keyset: Keyset, cursor: str = "", limit: int = DEFAULT_LIMIT):
    """The page of ``qs`` (sorted by ``keyset``) after ``cursor``: ``limit`` rows, read with
    one query (one more row than shown tells whether a next page exists)."""
    qs = qs.order_by(*keyset.order_by(qs.model))
    if cursor:
        qs = qs.filter(keyset.after(qs.model, keyset.decode(qs.model, cursor)))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return CursorPage(rows, keyset.encode(rows[-1]) if more and rows else None)
