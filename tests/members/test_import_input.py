"""Bad member-import input gets a 400 naming the record and the attribute, never a 500, and
nothing is written (issue 11, point 7)."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tandem.api.models import ApiToken
from tandem.core.models import ActivityLog
from tandem.members.models import Organization
from tandem.members.services import ImportFailed, import_members
from tests.accounts.factories import CoordinatorFactory

from .datacite import page, provider

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

BAD_ATTRIBUTES = [
    pytest.param({"joined": "-999"}, "joined", id="negative-year"),
    pytest.param({"joined": "2019-13-45"}, "joined", id="impossible-date"),
    pytest.param({"joined": {"year": 2019}}, "joined", id="joined-object"),
    pytest.param({"name": "N" * 300}, "name", id="300-character-name"),
    pytest.param({"name": "Bad\x00Name"}, "name", id="nul-in-name"),
    pytest.param({"name": {"x": 1}}, "name", id="object-for-name"),
    pytest.param({"displayName": ["a", "b"]}, "displayName", id="list-for-display-name"),
    pytest.param({"displayName": "D" * 256}, "displayName", id="long-display-name"),
    pytest.param({"country": {"code": "KE"}}, "country", id="object-for-country"),
    pytest.param({"memberType": 7}, "memberType", id="number-for-member-type"),
    pytest.param({"website": "javascript:alert(1)"}, "website", id="not-a-web-address"),
    pytest.param({"website": "https://x.example/" + "a" * 300}, "website", id="long-website"),
    pytest.param({"isActive": "perhaps"}, "isActive", id="not-a-boolean"),
    pytest.param({"region": "MARS"}, "region", id="unknown-region"),
    pytest.param({"nonProfitStatus": "super-profit"}, "nonProfitStatus", id="unknown-status"),
    pytest.param({"symbol": {"x": 1}}, "symbol", id="object-for-symbol"),
]


@pytest.mark.parametrize(("attrs", "field"), BAD_ATTRIBUTES)
def test_bad_attribute_is_refused_with_record_and_field(attrs, field):
    doc = page([provider("good"), provider("bad", **attrs)])
    with pytest.raises(ImportFailed) as failed:
        import_members(json.dumps(doc))
    assert any(e.startswith("record 2") and field in e for e in failed.value.errors), (
        failed.value.errors
    )
    assert not Organization.objects.exists()
    assert not ActivityLog.objects.exists()


def test_an_object_is_never_stored_as_its_python_text():
    with pytest.raises(ImportFailed):
        import_members(page([provider("abc", name={"x": 1})]))
    assert not Organization.objects.filter(name="{'x': 1}").exists()


def test_deeply_nested_json_is_refused_not_a_recursion_error():
    with pytest.raises(ImportFailed, match="nested too deeply"):
        import_members("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ImportFailed, match="nested too deeply"):
        import_members('{"data": ' + "[" * 100_000)


@pytest.mark.parametrize("payload", [b"\xff\xfe", b"", b"  ", b"42", b'"text"', b'{"data": 1}'])
def test_unreadable_documents_are_refused(payload):
    with pytest.raises(ImportFailed):
        import_members(payload, "json")


def test_csv_with_a_nul_byte_or_a_huge_cell_names_its_line():
    with pytest.raises(ImportFailed) as failed:
        import_members("symbol,name,memberType,country\nABC,A\x00B,consortium,KE\n")
    assert failed.value.errors[0].startswith("line 2") and "name" in failed.value.errors[0]
    huge = 'symbol,name,memberType,country\nABC,"' + "x" * 200_000 + '",consortium,KE\n'
    with pytest.raises(ImportFailed, match="line"):
        import_members(huge)
    assert not Organization.objects.exists()


def test_command_reports_bad_input_and_an_unreadable_path(tmp_path):
    path = tmp_path / "providers.json"
    path.write_text(json.dumps(page([provider("abc", joined="-999")])))
    with pytest.raises(CommandError, match=r"record 1 \(ABC\): joined"):
        call_command("import_members", str(path))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_members", str(tmp_path))
    assert not Organization.objects.exists()


@pytest.fixture
def api():
    _, key = ApiToken.issue(CoordinatorFactory(), "test")
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.mark.parametrize(("attrs", "field"), BAD_ATTRIBUTES)
def test_api_import_answers_400_with_record_and_field(api, attrs, field):
    doc = page([provider("good"), provider("bad", **attrs)])
    response = api.post("/api/members/import", json.dumps(doc), content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and any(
        e.startswith("record 2 (") and field in e for e in body["errors"]
    ), body
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"data": [' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "]}",
        "\x00",
        '{"data": [{"id": "abc", "attributes": "nope"}]}',
        '[{"data": []}, 5]',
    ],
    ids=["nested-lists", "nested-objects", "nul", "attributes-not-object", "page-not-document"],
)
def test_api_import_of_malformed_documents_is_a_400(api, body):
    response = api.post("/api/members/import", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"]
    assert not Organization.objects.exists()
