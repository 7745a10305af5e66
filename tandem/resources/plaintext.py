"""Plain words of a Markdown or CSV file, for the library's search document and its snippets:
Markdown without its syntax (``#``, ``**``, ``[…](…)``, table bars …), CSV cells without
separators or quotes. Pure Python."""

from __future__ import annotations

import csv
import io
import re

# Markdown syntax, in this order (plain text left: headings, quotes, lists and tables as words;
# a link or an image by its text; emphasis and code without their marks).
_MARKDOWN = [
    (re.compile(r"^[ \t]*(?:```|~~~).*$", re.M), ""),  # code fences
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url), ![alt](src)
    (re.compile(r"^[ \t]*\[[^\]]+\]:[ \t]*\S+.*$", re.M), ""),  # [ref]: url
    (re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]+|$)|[ \t]+#+[ \t]*$", re.M), ""),  # # headings #
    (re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.M), ""),  # > quotes
    (re.compile(r"^[ \t|:-]*-[ \t|:-]*$", re.M), ""),  # --- rules, |---|---| table rows
    (re.compile(r"^[ \t]*(?:[*_=][ \t]*){3,}$", re.M), ""),  # *** rules, === underlines
    (re.compile(r"^[ \t]*[-*+][ \t]+(?:\[[ xX]\][ \t]+)?", re.M), ""),  # - [x] list items
    (re.compile(r"[ \t]*\|[ \t]*"), " "),  # | table | cells |
    (re.compile(r"(?<!\\)(\*\*|\*|~~|`+)(?=\S)(.+?)(?<=[^\s\\])\1"), r"\2"),  # **b**, *em*, `c`
    (re.compile(r"(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\1(?!\w)"), r"\2"),  # __bold__, _em_
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),  # \* escapes
]


def markdown_text(text: str) -> str:
    """Markdown as plain text: the words, without ``#``, ``**``, ``[…](…)``, ``|`` …"""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return "\n".join(line.strip() for line in text.split("\n"))


def csv_text(text: str) -> str:
    """A CSV file's cells, a space between cells and a line per row: no separators or quotes
    (the separator is guessed among comma, semicolon, tab and bar)."""
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:  # not CSV after all: its words, without the usual separators
        return re.sub(r"[\",;\t]+", " ", text)
    return "\n".join(" ".join(cell.strip() for cell in row if cell.strip()) for row in rows)


def plain_text(text: str, filename: str) -> str:
    """The extracted ``text`` of the file ``filename`` as plain words (Markdown and CSV; other
    files' text as it is)."""
    name = filename.lower()
    if name.endswith(".md"):
        return markdown_text(text)
    if name.endswith(".csv"):
        return csv_text(text)
    return text
