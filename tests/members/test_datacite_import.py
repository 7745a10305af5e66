"""The importer keeps what DataCite says: region, non-profit status, member types across saved
pages; it reports a repeated import as no change and logs every import (issue 11, point 16)."""

import importlib
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from tandem.api.models import ApiToken
from tandem.core.models import ActivityLog
from tandem.members.models import CountryGapRule, Organization
from tandem.members.services import ImportFailed, import_members
from tests.accounts.factories import CoordinatorFactory
from tests.members.factories import OrganizationFactory

from .datacite import page, provider

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def org(symbol: str) -> Organization:
    return Organization.objects.get(symbol=symbol)


# --- Region ---------------------------------------------------------------------------------


def test_uk_and_greek_members_get_a_region_when_datacite_sends_none():
    import_members(page([provider("dcuk", country="GB"), provider("grnet", country="GR")]))
    assert org("DCUK").region == "EMEA" and org("GRNET").region == "EMEA"


def test_the_region_datacite_sends_is_kept():
    import_members(page([provider("kazdc", country="KZ", region="EMEA")]))
    assert org("KAZDC").region == "EMEA"
    # DataCite's word wins over the rule derived from the country.
    import_members(page([provider("odd", country="AU", region="EMEA")]))
    assert org("ODD").region == "EMEA" and org("ODD").datacite_region == "EMEA"


def test_region_is_derived_again_when_datacite_stops_sending_it():
    import_members(page([provider("odd", country="AU", region="EMEA")]))
    import_members(page([provider("odd", country="AU")]))
    assert org("ODD").region == "APAC"


def test_the_migration_gives_existing_uk_members_their_region():
    uk = OrganizationFactory(country="GB")
    Organization.objects.filter(pk=uk.pk).update(region="")
    migration = importlib.import_module(
        "tandem.members.migrations.0002_datacite_region_non_profit_status"
    )
    migration.rederive_regions(apps, None)
    uk.refresh_from_db()
    assert uk.region == "EMEA"


# --- Non-profit status and GAP ----------------------------------------------------------------


def test_non_profit_status_is_stored_and_a_for_profit_is_never_gap():
    import_members(
        page(
            [
                provider("nonprof", country="KE"),
                provider("forprof", member_type="direct_member", nonProfitStatus="for-profit"),
            ]
        )
    )
    assert org("NONPROF").non_profit_status == "non-profit" and org("NONPROF").gap_eligible
    forprof = org("FORPROF")
    assert forprof.non_profit_status == "for-profit" and not forprof.gap_eligible


def test_no_override_makes_a_for_profit_organisation_gap():
    company = OrganizationFactory(country="DE", non_profit_status="for-profit")
    CountryGapRule.objects.create(country="DE", gap_eligible=True)
    assert not company.gap_eligible  # the country rule does not make it GAP
    company.gap_override = True
    assert not company.gap_eligible  # nor does the organisation override
    with pytest.raises(ValidationError, match="never GAP"):
        company.full_clean()


def test_overrides_still_decide_for_non_profits():
    germany = OrganizationFactory(country="DE")
    kenya = OrganizationFactory(country="KE")
    CountryGapRule.objects.create(country="DE", gap_eligible=True)
    kenya.gap_override = False
    assert germany.gap_eligible and not kenya.gap_eligible


def test_an_import_keeps_the_staff_gap_override():
    OrganizationFactory(symbol="KRDC", country="KE", gap_override=False)
    import_members(page([provider("krdc", name="Renamed")]))
    assert org("KRDC").gap_override is False and org("KRDC").name == "Renamed"


# --- Repeated imports and the activity log -----------------------------------------------------

MEMBERS = page(
    [
        provider("krdc", region="EMEA"),
        provider("uon", "consortium_organization", consortium="krdc", region="EMEA"),
        provider("dcuk", "direct_member", country="GB", region="EMEA"),
    ]
)


def test_a_second_identical_import_changes_nothing_and_says_so():
    first = import_members(json.dumps(MEMBERS))
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    second = import_members(json.dumps(MEMBERS))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert "Nothing changed" in second.summary
    entries = list(ActivityLog.objects.filter(action="members.imported").order_by("pk"))
    assert len(entries) == 2
    assert set(entries[0].data["created"]) == {"KRDC", "DCUK", "UON"}
    assert entries[1].summary == second.summary and entries[1].data["unchanged"] == 3


def test_an_import_reports_which_fields_changed():
    import_members(MEMBERS)
    changed = json.loads(json.dumps(MEMBERS))
    changed["data"][2]["attributes"]["name"] = "DataCite UK"
    result = import_members(changed)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert result.changes == {"DCUK": ["name"]}
    assert ActivityLog.objects.latest("pk").data["updated"] == {"DCUK": ["name"]}


def test_command_says_nothing_changed_the_second_time(tmp_path, capsys):
    path = tmp_path / "providers.json"
    path.write_text(json.dumps(MEMBERS))
    call_command("import_members", str(path))
    assert "3 new" in capsys.readouterr().out
    call_command("import_members", str(path))
    assert "Nothing changed" in capsys.readouterr().out
    assert ActivityLog.objects.filter(action="members.imported", actor=None).count() == 2


def test_api_import_reports_no_change_and_logs_the_coordinator():
    coordinator = CoordinatorFactory()
    _, key = ApiToken.issue(coordinator, "test")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    body = json.dumps(MEMBERS)
    assert (
        api.post("/api/members/import", body, content_type="application/json").json()["created"]
        == 3
    )
    again = api.post("/api/members/import", body, content_type="application/json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert "Nothing changed" in again["summary"]
    assert ActivityLog.objects.latest("pk").actor == coordinator


# --- Saved pages -------------------------------------------------------------------------------


def two_pages():
    return [
        page([provider("uon", "consortium_organization", consortium="krdc")], 1, 2),
        page([provider("krdc")], 2, 2),
    ]


def test_a_json_array_of_saved_pages_is_one_set():
    result = import_members(json.dumps(two_pages()))
    assert result.created == 2 and org("UON").consortium == org("KRDC")


def test_pages_saved_one_after_another_are_one_set(tmp_path):
    path = tmp_path / "providers.json"
    path.write_text("\n".join(json.dumps(p, indent=2) for p in two_pages()))
    call_command("import_members", str(path))
    assert org("UON").consortium == org("KRDC")


def test_api_accepts_a_list_of_pages():
    _, key = ApiToken.issue(CoordinatorFactory(), "test")
    response = Client(headers={"Authorization": f"Bearer {key}"}).post(
        "/api/members/import", json.dumps(two_pages()), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["created"] == 2


def test_errors_in_saved_pages_name_the_page_and_record():
    pages = two_pages()
    pages[1]["data"].append(provider("bad", country="XX"))
    with pytest.raises(ImportFailed) as failed:
        import_members(pages)
    assert failed.value.errors == [
        "page 2, record 2 (BAD): country 'XX' is not an ISO 3166 alpha-2 code"
    ]
    assert not Organization.objects.exists()


def test_a_member_repeated_on_two_pages_counts_once_unless_the_pages_disagree():
    pages = two_pages()
    pages[0]["data"].append(provider("krdc"))
    assert import_members(pages).created == 2
    pages[0]["data"][-1]["attributes"]["name"] = "Another name"
    with pytest.raises(ImportFailed, match="already appears, with other values, at page 1"):
        import_members(pages)


def test_a_single_provider_document_is_accepted():
    assert import_members({"data": provider("krdc")}).created == 1


# --- A consortium that would leave organisations behind ---------------------------------------


@pytest.fixture
def krdc_with_member():
    krdc = OrganizationFactory(symbol="KRDC", member_type="consortium")
    OrganizationFactory(symbol="UON", member_type="consortium_organization", consortium=krdc)
    return krdc


def test_a_consortium_with_organisations_cannot_become_another_member_type(krdc_with_member):
    with pytest.raises(ImportFailed) as failed:
        import_members(page([provider("krdc", "direct_member")]))
    (error,) = failed.value.errors
    assert error.startswith("record 1 (KRDC): memberType") and "UON" in error
    assert org("KRDC").member_type == "consortium"


def test_the_command_explains_the_refusal(krdc_with_member, tmp_path):
    path = tmp_path / "providers.json"
    path.write_text(json.dumps(page([provider("krdc", "direct_member")])))
    with pytest.raises(CommandError, match="organisations still belong to it \\(UON\\)"):
        call_command("import_members", str(path))


def test_the_change_is_allowed_when_its_organisations_move_in_the_same_import(krdc_with_member):
    import_members(
        page(
            [
                provider("krdc", "direct_member"),
                provider("newc"),
                provider("uon", "consortium_organization", consortium="newc"),
            ]
        )
    )
    assert org("KRDC").member_type == "direct_member"
    assert org("UON").consortium == org("NEWC")


def test_an_organisation_cannot_point_to_a_consortium_demoted_in_the_same_file(krdc_with_member):
    with pytest.raises(ImportFailed, match="KRDC' is imported as direct_member"):
        import_members(
            page(
                [
                    provider("krdc", "direct_member"),
                    provider("uon", "consortium_organization", consortium="krdc"),
                ]
            )
        )


def test_the_back_office_refuses_the_same_change(krdc_with_member):
    krdc_with_member.member_type = "direct_member"
    with pytest.raises(ValidationError, match="still belong to this consortium"):
        krdc_with_member.full_clean()
