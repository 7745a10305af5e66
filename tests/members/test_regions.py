"""Every ISO 3166 country has a DataCite region (issue 11, point 16)."""

import pytest
from django_countries import countries

from tandem.members.geography import is_gap_country, region_for_country
from tandem.members.models import Region

pytestmark = pytest.mark.unit


def test_every_iso_country_gets_a_datacite_region():
    missing = [code for code, _name in countries if region_for_country(code) not in Region.values]
    assert not missing


@pytest.mark.parametrize(
    ("country", "region", "gap"),
    [
        ("GB", "EMEA", False),  # stored as the pattern ^GB$|^UK$ by country_converter
        ("GR", "EMEA", False),  # ^GR$|^EL$
        ("gb", "EMEA", False),
        ("KZ", "EMEA", True),  # Central Asia is EMEA for DataCite, and GAP (Asia)
        ("IR", "EMEA", True),
        ("GL", "EMEA", False),
        ("AQ", "AMER", False),  # Antarctica: DataCite's region, never GAP
    ],
)
def test_datacite_regions(country, region, gap):
    assert region_for_country(country) == region
    assert is_gap_country(country) is gap


def test_aliases_are_not_countries():
    assert region_for_country("UK") == "" and region_for_country("EL") == ""
