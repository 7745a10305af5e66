import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tandem.members.models import CountryGapRule, MemberType, Organization
from tandem.members.validators import normalize_orcid, normalize_ror, validate_symbol
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_region_is_derived_from_country():
    assert OrganizationFactory(country="AE").region == "EMEA"
    assert OrganizationFactory(country="BR").region == "AMER"


def test_provider_id_is_lowercase_symbol():
    assert OrganizationFactory(symbol="DCUK").provider_id == "dcuk"


def test_gap_precedence_org_then_country_then_rule():
    kenya = OrganizationFactory(country="KE")
    germany = OrganizationFactory(country="DE")
    assert kenya.gap_eligible and not germany.gap_eligible
    CountryGapRule.objects.create(country="DE", gap_eligible=True, note="pilot")
    assert germany.gap_eligible
    germany.gap_override = False
    assert not germany.gap_eligible
    kenya.member_type = MemberType.FOR_PROFIT_PROVIDER
    assert not kenya.gap_eligible


def test_consortium_organization_must_point_to_a_consortium():
    direct = OrganizationFactory(member_type=MemberType.DIRECT_MEMBER)
    org = Organization(
        symbol="ABC",
        name="A",
        country="KE",
        member_type=MemberType.CONSORTIUM_ORGANIZATION,
        consortium=direct,
    )
    with pytest.raises(ValidationError, match="not a consortium"):
        org.full_clean()
    org.consortium = None
    with pytest.raises(ValidationError, match="must name its consortium"):
        org.full_clean()


def test_database_refuses_consortium_organization_without_consortium():
    with pytest.raises(IntegrityError):
        Organization.objects.create(
            symbol="ABCD", name="A", country="KE", member_type=MemberType.CONSORTIUM_ORGANIZATION
        )


@pytest.mark.unit
@pytest.mark.parametrize("value", ["DATACITE", "DC", "ABCDEFGH"])
def test_valid_symbols(value):
    validate_symbol(value)


@pytest.mark.unit
@pytest.mark.parametrize("value", ["D", "dcuk", "ABCDEFGHI", "AB1", ""])
def test_invalid_symbols(value):
    with pytest.raises(ValidationError):
        validate_symbol(value)


@pytest.mark.unit
def test_ror_validation():
    assert normalize_ror("04wxnsj81") == "https://ror.org/04wxnsj81"
    assert normalize_ror("https://ror.org/04wxnsj81") == "https://ror.org/04wxnsj81"
    with pytest.raises(ValidationError, match="checksum"):
        normalize_ror("04wxnsj82")
    with pytest.raises(ValidationError):
        normalize_ror("not-a-ror")


@pytest.mark.unit
def test_orcid_validation():
    assert normalize_orcid("0000-0002-1825-0097") == "https://orcid.org/0000-0002-1825-0097"
    assert normalize_orcid("https://orcid.org/0000-0001-5109-3700").endswith("3700")
    assert normalize_orcid("0000-0002-1694-233X").endswith("233X")
    with pytest.raises(ValidationError, match="checksum"):
        normalize_orcid("0000-0002-1825-0098")
    with pytest.raises(ValidationError):
        normalize_orcid("1234")
