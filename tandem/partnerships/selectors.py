"""Reads of the pairing app that pages share."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection

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
