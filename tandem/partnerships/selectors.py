"""Reads of the pairing app that pages share."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Func, IntegerField

from .models import MatchRun

# One pass over the run's document in the database (jsonb_each / json_each), keeping the rows
# asked for: "document -> key" per person would unpack the whole document once per key.
_EACH = {"postgresql": "jsonb_each", "sqlite": "json_each"}


def alternatives_of(run: MatchRun, ids: Iterable[str]) -> dict[str, list[dict]]:
    """The best alternative partners of just these participants (ids as the engine names
    them, ``"a<pk>"``), read out of the run's document in the database: the whole document is
    half a megabyte for 2,000 people, and a page shows 40 of them."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    each = _EACH.get(connection.vendor)
    if each is None:  # another database: the whole document
        document = MatchRun.objects.only("alternatives").get(pk=run.pk).alternatives
        return {key: document.get(key, []) for key in wanted}
    table = MatchRun._meta.db_table
    marks = ", ".join(["%s"] * len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.key, e.value FROM {table} r, {each}(r.alternatives) e "  # noqa: S608
            f"WHERE r.id = %s AND e.key IN ({marks})",
            [run.pk, *wanted],
        )
        rows = cursor.fetchall()
    found = {key: json.loads(value) if isinstance(value, str) else value for key, value in rows}
    return {key: found.get(key, []) for key in wanted}


_ELEMENTS = {
    "postgresql": (
        "SELECT e.value FROM {table} r, jsonb_array_elements(r.{column}) WITH ORDINALITY "
        "e(value, n) WHERE r.id = %s AND e.n > %s AND e.n <= %s ORDER BY e.n"
    ),
    "sqlite": (
        "SELECT e.value FROM {table} r, json_each(r.{column}) e "
        "WHERE r.id = %s AND e.key >= %s AND e.key < %s ORDER BY e.key"
    ),
}


class StoredList(Sequence):
    """A JSON array kept in a column of one run (``unmatched``: hundreds of entries), read a
    page at a time in the database: a paginator asks its length (one query) and one slice (one
    more), so a page does not decode the whole array. Other databases read it whole."""

    def __init__(self, run: MatchRun, column: str, length: int | None = None):
        self.run, self.column = run, column
        self._length = length  # known already (see JSONArrayLength), or counted when asked
        self._whole: list | None = None

    def _sql(self) -> str | None:
        template = _ELEMENTS.get(connection.vendor)
        if template is None:
            return None
        return template.format(table=MatchRun._meta.db_table, column=self.column)

    def _all(self) -> list:
        if self._whole is None:
            value = MatchRun.objects.filter(pk=self.run.pk).values_list(self.column, flat=True)
            self._whole = list(value.first() or [])
        return self._whole

    def __len__(self) -> int:
        if self._length is None:
            counted = (
                MatchRun.objects.filter(pk=self.run.pk)
                .annotate(n=JSONArrayLength(self.column))
                .values_list("n", flat=True)
                .first()
            )
            self._length = len(self._all()) if counted is None else counted
        return self._length

    def __getitem__(self, index):
        if not isinstance(index, slice):
            items = self[index : index + 1] if index >= 0 else self._all()[index : index + 1]
            if not items:
                raise IndexError(index)
            return items[0]
        start, stop, step = index.indices(len(self))
        sql = self._sql()
        if sql is None or step != 1:
            return self._all()[index]
        if stop <= start:
            return []
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.run.pk, start, stop])
            rows = cursor.fetchall()
        return [json.loads(value) if isinstance(value, str) else value for (value,) in rows]


class JSONArrayLength(Func):
    """The length of a JSON array column, for ``annotate()`` (PostgreSQL, SQLite); ``None`` on
    other databases, where :class:`StoredList` counts by itself."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        if connection.vendor == "postgresql":
            return super().as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)
        if connection.vendor == "sqlite":
            return super().as_sql(compiler, connection, **extra)
        return "NULL", []
