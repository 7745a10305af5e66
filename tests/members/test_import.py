import json

import pytest
from django.core.management import CommandError, call_command

from tandem.members.models import Organization
from tandem.members.services import ImportFailed, import_members, lead_eligibility
from tests.members.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def provider(pid, member_type="consortium", country="KE", consortium=None, **attrs):
    item = {
        "id": pid,
        "type": "providers",
        "attributes": {
            "symbol": pid.upper(),
            "name": f"{pid} name",
            "memberType": member_type,
            "country": country,
            "organizationType": "researchInstitution",
            "focusArea": "general",
            "joined": "2019-03-01",
            **attrs,
        },
    }
    if consortium:
        item["relationships"] = {"consortium": {"data": {"id": consortium, "type": "providers"}}}
    return item


def test_jsonapi_import_creates_consortia_and_their_organizations():
    doc = {
        "data": [
            provider("krdcorg", "consortium_organization", consortium="krdc"),
            provider("krdc", rorId="04wxnsj81"),
        ]
    }
    result = import_members(json.dumps(doc))
    assert result.created == 2
    org = Organization.objects.get(symbol="KRDCORG")
    assert org.consortium.symbol == "KRDC"
    assert Organization.objects.get(symbol="KRDC").ror_id == "https://ror.org/04wxnsj81"
    assert Organization.objects.get(symbol="KRDC").year_joined == 2019


def test_import_is_atomic_and_numbers_every_error():
    doc = {
        "data": [
            provider("good"),
            provider("bad", country="XX"),
            provider("worse", member_type="alien"),
            provider("orph", "consortium_organization"),
        ]
    }
    with pytest.raises(ImportFailed) as failed:
        import_members(doc)
    errors = failed.value.errors
    assert any(e.startswith("record 2 (BAD)") and "country 'XX'" in e for e in errors)
    assert any(e.startswith("record 3 (WORSE)") and "memberType" in e for e in errors)
    assert any(e.startswith("record 4 (ORPH)") and "needs its consortium" in e for e in errors)
    assert not Organization.objects.exists()


def test_csv_import_reports_line_numbers():
    content = "symbol,name,memberType,country\nABC,Alpha,consortium,KE\nx,Beta,consortium,KE\n"
    with pytest.raises(ImportFailed) as failed:
        import_members(content)
    assert failed.value.errors[0].startswith("line 3")
    assert not Organization.objects.exists()


def test_invalid_json_reports_its_line():
    with pytest.raises(ImportFailed, match="line 2: invalid JSON"):
        import_members('{"data": [\n  oops]}')


def test_update_existing_member():
    OrganizationFactory(symbol="KRDC", name="Old")
    result = import_members({"data": [provider("krdc")]})
    assert result.updated == 1 and Organization.objects.get(symbol="KRDC").name == "krdc name"


def test_command(tmp_path):
    path = tmp_path / "providers.json"
    path.write_text(json.dumps({"data": [provider("abc")]}))
    call_command("import_members", str(path))
    assert Organization.objects.filter(symbol="ABC").exists()
    path.write_text(json.dumps({"data": [provider("abc", country="??")]}))
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_members", str(path))


def test_lead_eligibility_explains_refusals():
    lead = OrganizationFactory(symbol="KRDC", name="Kenya Consortium")
    member = OrganizationFactory(
        symbol="UON", name="Uni", member_type="consortium_organization", consortium=lead
    )
    direct = OrganizationFactory(symbol="DIRECT", member_type="direct_member")
    assert lead_eligibility("krdc").ok
    verdict = lead_eligibility(member)
    assert not verdict.ok and "KRDC" in verdict.reason and "Consortium Lead" in verdict.reason
    assert "not a consortium" in lead_eligibility(direct).reason
    unknown = lead_eligibility("NOPE")
    assert not unknown.ok and "not a DataCite member ID" in unknown.reason
    assert "info@datacite.org" in unknown.reason
