import pytest

from tandem.members.geography import is_gap_country, region_for_country

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("country", "region", "gap"),
    [
        ("KE", "EMEA", True),  # Africa
        ("EG", "EMEA", True),  # North Africa
        ("AE", "EMEA", True),  # Middle East: EMEA yet GAP
        ("JO", "EMEA", True),
        ("DE", "EMEA", False),  # Europe: EMEA and not GAP
        ("BR", "AMER", True),  # Latin America
        ("JM", "AMER", True),  # Caribbean
        ("MX", "AMER", True),  # Central America
        ("US", "AMER", False),
        ("CA", "AMER", False),
        ("IN", "APAC", True),
        ("NP", "APAC", True),
        ("AU", "APAC", False),
        ("NZ", "APAC", False),
    ],
)
def test_region_and_gap(country, region, gap):
    assert region_for_country(country) == region
    assert is_gap_country(country) is gap


def test_unknown_country():
    assert region_for_country("ZZ") == ""
    assert is_gap_country("ZZ") is False
