"""Identifier validators: DataCite member symbols, ROR IDs and ORCID iDs (with checksums)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

SYMBOL_RE = re.compile(r"^[A-Z]{2,8}$")
ROR_RE = re.compile(r"^(?:https?://ror\.org/)?(0[a-hj-km-np-tv-z0-9]{6}[0-9]{2})$", re.IGNORECASE)
ORCID_RE = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.IGNORECASE)
CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def validate_symbol(value: str) -> None:
    if not SYMBOL_RE.match(value or ""):
        raise ValidationError(
            "A DataCite member ID is 2 to 8 capital letters, e.g. DATACITE.", code="symbol"
        )


def normalize_ror(value: str) -> str:
    """``https://ror.org/<id>`` for a valid ROR ID (bare or URL); raises ValidationError."""
    match = ROR_RE.match((value or "").strip())
    if not match:
        raise ValidationError(
            "A ROR ID looks like https://ror.org/04wxnsj81 (0, six letters/digits, two digits).",
            code="ror",
        )
    ror_id = match.group(1).lower()
    number = 0
    for char in ror_id[:7]:
        number = number * 32 + CROCKFORD.index(char)
    if 98 - (number * 100 % 97) != int(ror_id[7:]):
        raise ValidationError(
            f"{ror_id} is not a valid ROR ID: its checksum does not match.", code="ror_checksum"
        )
    return f"https://ror.org/{ror_id}"


def validate_ror(value: str) -> None:
    normalize_ror(value)


def normalize_orcid(value: str) -> str:
    """``https://orcid.org/<iD>`` for a valid ORCID iD (ISO 7064 11,2 checksum)."""
    match = ORCID_RE.match((value or "").strip())
    if not match:
        raise ValidationError("An ORCID iD looks like 0000-0002-1825-0097.", code="orcid")
    orcid = match.group(1).upper()
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[-1] != expected:
        raise ValidationError(
            f"{orcid} is not a valid ORCID iD: its checksum does not match.", code="orcid_checksum"
        )
    return f"https://orcid.org/{orcid}"


def validate_orcid(value: str) -> None:
    normalize_orcid(value)
