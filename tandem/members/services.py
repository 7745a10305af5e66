"""Member operations: who may apply as a Consortium Lead, and atomic member imports.

Imports accept DataCite's REST API ``/providers`` JSON:API documents (``{"data": [...]}``) or a
CSV with the same attribute names as columns. Either every record is valid and saved, or nothing
is saved and every problem is reported with its record/line number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django_countries import countries

from .models import FocusArea, MemberType, Organization, OrganizationType
from .validators import normalize_ror, validate_symbol


@dataclass
class Eligibility:
    ok: bool
    reason: str = ""


def lead_eligibility(symbol_or_org: str | Organization | None) -> Eligibility:
    """Whether the member can apply as a Consortium Lead, with a reason that says whom to ask."""
    contact = settings.TANDEM_CONTACT_EMAIL
    org = symbol_or_org
    if not isinstance(org, Organization):
        symbol = (symbol_or_org or "").strip().upper()
        org = Organization.objects.select_related("consortium").filter(symbol=symbol).first()
        if org is None:
            return Eligibility(
                False,
                f"“{symbol}” is not a DataCite member ID we know. The program is open to DataCite "
                f"member organisations; if your organisation is a member, write to {contact}.",
            )
    if not org.is_active:
        return Eligibility(
            False, f"{org} is no longer an active DataCite member. Write to {contact}."
        )
    if org.member_type == MemberType.CONSORTIUM:
        return Eligibility(True)
    if org.member_type == MemberType.CONSORTIUM_ORGANIZATION and org.consortium_id:
        return Eligibility(
            False,
            f"{org.label} is an organisation in the {org.consortium.label} consortium. The program "
            f"is for Consortium Leads: the lead of {org.consortium.label} "
            f"({org.consortium.symbol}) can apply. Questions: {contact}.",
        )
    return Eligibility(
        False,
        f"{org.label} is a {org.get_member_type_display().lower()}, not a consortium. "
        "The program is "
        f"for the Consortium Lead of a DataCite consortium. Questions: {contact}.",
    )


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    symbols: list[str] = field(default_factory=list)


_COUNTRY_CODES = {code for code, _ in countries}
_ATTRS = [
    "symbol",
    "name",
    "displayName",
    "memberType",
    "consortium",
    "country",
    "organizationType",
    "focusArea",
    "rorId",
    "website",
    "joined",
    "isActive",
]


def _record_from_jsonapi(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict) or not isinstance(item.get("attributes"), dict):
        raise ValueError("is not a JSON:API resource with attributes")
    attrs = dict(item["attributes"])
    rel = (item.get("relationships") or {}).get("consortium") or {}
    rel_data = rel.get("data") if isinstance(rel, dict) else None
    if isinstance(rel_data, dict) and rel_data.get("id"):
        attrs.setdefault("consortium", rel_data["id"])
    if not attrs.get("symbol") and item.get("id"):
        attrs["symbol"] = str(item["id"]).upper()
    return attrs


def _clean(attrs: dict[str, Any], known_consortia: set[str]) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    symbol = str(attrs.get("symbol") or "").strip().upper()
    try:
        validate_symbol(symbol)
    except ValidationError:
        problems.append(f"symbol {symbol!r} must be 2–8 capital letters")
    name = str(attrs.get("name") or "").strip()
    if not name:
        problems.append("name is required")
    member_type = str(attrs.get("memberType") or "").strip()
    if member_type not in MemberType.values:
        problems.append(f"memberType {member_type!r} is not one of {', '.join(MemberType.values)}")
    country = str(attrs.get("country") or "").strip().upper()
    if country not in _COUNTRY_CODES:
        problems.append(f"country {country!r} is not an ISO 3166 alpha-2 code")
    org_type = str(attrs.get("organizationType") or "other").strip() or "other"
    if org_type not in OrganizationType.values:
        problems.append(f"organizationType {org_type!r} is not known")
    focus = str(attrs.get("focusArea") or "general").strip() or "general"
    if focus not in FocusArea.values:
        problems.append(f"focusArea {focus!r} is not known")
    ror = str(attrs.get("rorId") or "").strip()
    if ror:
        try:
            ror = normalize_ror(ror)
        except ValidationError as error:
            problems.append(f"rorId: {error.messages[0]}")
    consortium = str(attrs.get("consortium") or "").strip().upper()
    if member_type == MemberType.CONSORTIUM_ORGANIZATION:
        if not consortium:
            problems.append("a consortium_organization needs its consortium")
        elif consortium not in known_consortia:
            problems.append(
                f"consortium {consortium!r} is not a consortium in this file or in Tandem"
            )
    joined = str(attrs.get("joined") or attrs.get("yearJoined") or "").strip()
    year = None
    if joined:
        try:
            year = int(joined[:4])
        except ValueError:
            problems.append(f"joined {joined!r} is not a date or year")
    active = attrs.get("isActive", True)
    if isinstance(active, str):
        active = active.strip().lower() not in {"false", "0", "no"}
    return {
        "symbol": symbol,
        "name": name,
        "display_name": str(attrs.get("displayName") or ""),
        "member_type": member_type,
        "country": country,
        "organization_type": org_type,
        "focus_area": focus,
        "ror_id": ror,
        "website": str(attrs.get("website") or ""),
        "year_joined": year,
        "is_active": bool(active),
        "consortium": consortium if member_type == MemberType.CONSORTIUM_ORGANIZATION else "",
    }, problems


def parse_import(content: str | bytes | dict, fmt: str = "auto") -> list[tuple[str, dict]]:
    """(position label, raw attributes) per record; raises ImportFailed if unreadable."""
    import json

    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFailed([f"the file is not UTF-8 text ({error})"]) from error
    if fmt == "auto":
        fmt = (
            "json"
            if isinstance(content, dict) or content.lstrip().startswith(("{", "["))
            else "csv"
        )
    if fmt == "json":
        try:
            doc = content if isinstance(content, dict) else json.loads(content)
        except json.JSONDecodeError as error:
            raise ImportFailed([f"line {error.lineno}: invalid JSON ({error.msg})"]) from error
        data = doc.get("data") if isinstance(doc, dict) else doc
        if not isinstance(data, list):
            raise ImportFailed(['expected a JSON:API document {"data": [...]}'])
        records = []
        for index, item in enumerate(data, start=1):
            try:
                records.append((f"record {index}", _record_from_jsonapi(item)))
            except ValueError as error:
                raise ImportFailed([f"record {index}: {error}"]) from error
        return records
    reader = csv.DictReader(io.StringIO(content))
    missing = {"symbol", "name", "memberType", "country"} - set(reader.fieldnames or [])
    if missing:
        raise ImportFailed([f"line 1: missing column(s) {', '.join(sorted(missing))}"])
    return [(f"line {reader.line_num}", dict(row)) for row in reader]


@transaction.atomic
def import_members(content: str | bytes | dict, fmt: str = "auto") -> ImportResult:
    """Create or update members from a JSON:API or CSV export. All or nothing."""
    records = parse_import(content, fmt)
    in_file = {
        str(attrs.get("symbol") or "").strip().upper()
        for _, attrs in records
        if attrs.get("memberType") == MemberType.CONSORTIUM
    }
    known = in_file | set(
        Organization.objects.filter(member_type=MemberType.CONSORTIUM).values_list(
            "symbol", flat=True
        )
    )
    cleaned, errors, seen = [], [], {}
    for label, attrs in records:
        values, problems = _clean(attrs, known)
        if values["symbol"] in seen:
            problems.append(
                f"symbol {values['symbol']} already appears at {seen[values['symbol']]}"
            )
        seen.setdefault(values["symbol"], label)
        errors.extend(f"{label} ({values['symbol'] or '?'}): {p}" for p in problems)
        cleaned.append(values)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult()
    # Consortia first, so consortium organisations can point at them.
    cleaned.sort(key=lambda v: v["member_type"] != MemberType.CONSORTIUM)
    for values in cleaned:
        consortium = values.pop("consortium")
        values["consortium"] = Organization.objects.get(symbol=consortium) if consortium else None
        _, created = Organization.objects.update_or_create(symbol=values["symbol"], defaults=values)
        result.created += created
        result.updated += not created
        result.symbols.append(values["symbol"])
    return result
