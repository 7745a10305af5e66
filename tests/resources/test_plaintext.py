"""Markdown and CSV as plain words for the search document (no database)."""

from tandem.resources.extract import clean
from tandem.resources.plaintext import plain_text


def test_markdown_loses_its_syntax_not_its_words():
    markdown = (
        "# Kick-off #\n\n## Week one\n> **Call** your *partner*\n- [ ] read the [guide](g.md)\n"
        "* keep `notes` in snake_case_names, __always__\n\n---\n| Task | Who |\n|:--|--:|\n"
        "| Agenda | Lin |\n```\ncode\n```\n![A diagram](d.png)\n\\*not emphasis\\* and C# and 2 * 3"
    )
    assert clean(plain_text(markdown, "notes.MD")) == (
        "Kick-off\n\nWeek one\nCall your partner\nread the guide\n"
        "keep notes in snake_case_names, always\n\nTask Who\n\nAgenda Lin\n\ncode\n\n"
        "A diagram\n*not emphasis* and C# and 2 * 3"
    )


def test_csv_cells_without_separators_or_quotes():
    assert plain_text('"name","role"\r\n"Ana","mentor, lead"\r\n', "roles.csv") == (
        "name role\nAna mentor, lead"
    )
    assert plain_text("name;role\nAna;mentor\n", "roles.csv") == "name role\nAna mentor"


def test_other_files_text_is_kept_as_it_is():
    assert plain_text("# a, b", "notes.txt") == "# a, b"
    assert plain_text("# a, b", "") == "# a, b"
