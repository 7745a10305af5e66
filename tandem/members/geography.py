"""Country → DataCite region and Global Access Program (GAP) eligibility.

The classification comes from the ``country_converter`` library's UN M49 data (continent and
UN sub-region per ISO 3166 alpha-2 code), not from a hand-typed table.

Rules
-----
*Region* (DataCite's three): ``AMER`` for the Americas; ``EMEA`` for Europe, Africa and Western
Asia (the Middle East); ``APAC`` for the rest of Asia and Oceania.  DataCite's API sends each
member's region (it takes it from the ``world_region`` of the Ruby ``countries`` gem); the
importer keeps that value and this rule only fills in a region DataCite did not send.  Where the
gem's ``world_region`` differs from the UN-continent rule (Central Asia and Iran are EMEA for
DataCite, Greenland too, a few overseas territories, the Antarctic territories),
:data:`DATACITE_REGION_EXCEPTIONS` follows DataCite, so every ISO 3166 country has a region.

*GAP region*: DataCite's Global Access Fund names not-for-profit organisations in Africa, Latin
America & the Caribbean, the Middle East and Asia.  A country is in a GAP region when its
continent is Africa or Asia (Western Asia — the Middle East — included), or its UN sub-region is
South America, Central America or the Caribbean.  Region alone cannot decide it: Africa and the
Middle East are EMEA, Europe is too.  Staff override the rule per country
(:class:`~tandem.members.models.CountryGapRule`) and per organisation.
"""

from __future__ import annotations

import logging
import re
import warnings
from functools import lru_cache

GAP_CONTINENTS = frozenset({"Africa", "Asia"})
GAP_UN_REGIONS = frozenset({"South America", "Central America", "Caribbean"})
EMEA_UN_REGIONS = frozenset({"Western Asia"})

# DataCite's region where it differs from the continent rule (the ``countries`` gem's
# ``world_region``, which DataCite's API reports), including the Antarctic territories that have
# no continent region at all.
DATACITE_REGION_EXCEPTIONS = {
    # Central Asia and Iran: EMEA at DataCite.
    "IR": "EMEA",
    "KZ": "EMEA",
    "KG": "EMEA",
    "TJ": "EMEA",
    "TM": "EMEA",
    "UZ": "EMEA",
    "GL": "EMEA",  # Greenland (Denmark)
    "MS": "EMEA",  # Montserrat
    "BQ": "APAC",  # Bonaire, Sint Eustatius and Saba
    "BL": "APAC",  # Saint Barthélemy
    "TC": "APAC",  # Turks and Caicos Islands
    "IO": "APAC",  # British Indian Ocean Territory
    "SH": "APAC",  # Saint Helena, Ascension and Tristan da Cunha
    "UM": "AMER",  # United States Minor Outlying Islands
    "AQ": "AMER",  # Antarctica
    "GS": "AMER",  # South Georgia and the South Sandwich Islands
    "BV": "APAC",  # Bouvet Island
    "HM": "APAC",  # Heard Island and McDonald Islands
}


@lru_cache(maxsize=1)
def _classification() -> dict[str, tuple[str, str]]:
    """ISO2 → (continent, UN sub-region), read once from country_converter's shipped data."""
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import country_converter

        data = country_converter.CountryConverter().data
    table: dict[str, tuple[str, str]] = {}
    for iso2, continent, unregion in zip(
        data["ISO2"], data["continent"], data["UNregion"], strict=True
    ):
        # Most cells are the code itself; a few are match patterns naming the code and an alias
        # (``^GB$|^UK$``, ``^GR$|^EL$``).  Their first code is the ISO one.
        codes = re.findall(r"[A-Z]{2}", iso2.upper()) if isinstance(iso2, str) else []
        if codes and codes[0] not in table:
            table[codes[0]] = (str(continent), str(unregion))
    return table


def classify(country: str) -> tuple[str, str] | None:
    return _classification().get((country or "").upper())


def region_for_country(country: str) -> str:
    """DataCite region (``AMER``/``APAC``/``EMEA``) of an ISO 3166 alpha-2 code; '' if unknown."""
    code = (country or "").upper()
    if code in DATACITE_REGION_EXCEPTIONS:
        return DATACITE_REGION_EXCEPTIONS[code]
    found = classify(code)
    if not found:
        return ""
    continent, unregion = found
    if continent == "America":
        return "AMER"
    if continent in {"Europe", "Africa"} or unregion in EMEA_UN_REGIONS:
        return "EMEA"
    if continent in {"Asia", "Oceania"}:
        return "APAC"
    return ""


def is_gap_country(country: str) -> bool:
    """Whether the shipped rule puts ``country`` in a GAP region (before staff overrides)."""
    found = classify(country)
    if not found:
        return False
    continent, unregion = found
    return continent in GAP_CONTINENTS or unregion in GAP_UN_REGIONS
