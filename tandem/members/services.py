"""Member operations: who may apply as a Consortium Lead, and atomic member imports.

Imports accept DataCite's REST API ``/providers`` JSON:API documents (``{"data": [...]}``), a
saved list of several such pages (a JSON array of documents, or the documents one after another
as ``curl`` appends them), or a CSV with the same attribute names as columns.  All pages are one
set: a consortium organisation may name a consortium on another page.  Either every record is
valid and saved, or nothing is saved and every problem is reported with its record (and page) or
line number and the attribute at fault.  Records identical to what Tandem holds are left alone,
so importing the same data twice reports that nothing changed.  Every import that succeeds is
written to the activity log.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from tandem.core.services import log_activity

from .models import (
    FocusArea,
    MemberType,
    NonProfitStatus,
    Organization,
    OrganizationType,
    Region,
)
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
    """Nothing was imported; ``errors`` names each problem's record (or line) and attribute."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        self.detail = _("Nothing was imported.")
        super().__init__("; ".join(errors))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    symbols: list[str] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)  # updated symbol → fields

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    @property
    def summary(self) -> str:
        if not self.changed:
            return _("Nothing changed: all %(count)d member(s) were already up to date.") % {
                "count": self.unchanged
            }
        return _(
            "Imported %(created)d new and %(updated)d updated member(s); %(unchanged)d unchanged."
        ) % {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


_COUNTRY_CODES = {code for code, _name in countries}
_REGION_NAMES = {
    **{code.lower(): code for code in Region.values},
    **{label.lower(): code for code, label in Region.choices},
    # DataCite's own labels (its CSV export writes these).
    "asia pacific": Region.APAC,
    "americas": Region.AMER,
}
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}
_WEBSITE_RE = re.compile(r"^https?://\S+$")
_MIN_YEAR = 1990  # DataCite was founded in 2009; earlier years are typing errors


def _max_length(name: str) -> int:
    return Organization._meta.get_field(name).max_length


def _record_from_jsonapi(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict) or not isinstance(item.get("attributes"), dict):
        raise ValueError(_("is not a JSON:API resource with attributes"))
    attrs = dict(item["attributes"])
    relationships = item.get("relationships")
    rel = relationships.get("consortium") if isinstance(relationships, dict) else None
    rel_data = rel.get("data") if isinstance(rel, dict) else None
    if isinstance(rel_data, dict) and rel_data.get("id") is not None:
        attrs.setdefault("consortium", rel_data["id"])
    if attrs.get("symbol") in (None, "") and item.get("id") is not None:
        pid = item["id"]
        attrs["symbol"] = pid.upper() if isinstance(pid, str) else pid
    return attrs


class _Checker:
    """Reads one record's attributes, noting each problem with the attribute's name."""

    def __init__(self, attrs: dict[str, Any]):
        self.attrs = attrs
        self.problems: list[str] = []

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def required(self, key: str, value: str, before: int) -> None:
        """Note a missing ``key`` unless reading it already raised a problem."""
        if not value and len(self.problems) == before:
            self.problem(_("%(field)s is required") % {"field": key})

    def text(self, key: str, *, max_length: int, default: str = "") -> str:
        value = self.attrs.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            self.problem(
                _("%(field)s must be a string, not %(type)s")
                % {"field": key, "type": _json_type(value)}
            )
            return default
        value = value.strip()
        bad = next((c for c in value if unicodedata.category(c) == "Cc"), None)
        if bad is not None:
            self.problem(
                _("%(field)s contains a control character (U+%(code)04X)")
                % {"field": key, "code": ord(bad)}
            )
            return default
        if len(value) > max_length:
            self.problem(
                _("%(field)s is %(length)d characters long; at most %(max)d are allowed")
                % {"field": key, "length": len(value), "max": max_length}
            )
            return default
        return value or default

    def choice(self, key: str, choices: list[str], default: str = "") -> str:
        value = self.text(key, max_length=64, default=default)
        if value and value not in choices:
            self.problem(
                _("%(field)s %(value)r is not one of %(choices)s")
                % {"field": key, "value": value, "choices": ", ".join(choices)}
            )
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.attrs.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        self.problem(_("%(field)s must be true or false") % {"field": key})
        return default

    def year(self, key: str) -> int | None:
        value = self.attrs.get(key)
        if value is None or value == "":
            return None
        year = None
        if isinstance(value, int) and not isinstance(value, bool):
            year = value
        elif isinstance(value, str):
            text = value.strip()
            try:
                year = int(text) if re.fullmatch(r"\d{4}", text) else None
                if year is None:
                    year = dt.datetime.fromisoformat(text).year
            except ValueError:
                year = None
        last = timezone.now().year + 1
        if year is None or not _MIN_YEAR <= year <= last:
            shown = value if isinstance(value, str | int) else _json_type(value)
            self.problem(
                _("%(field)s %(value)r is not a date or a year between %(first)d and %(last)d")
                % {"field": key, "value": shown, "first": _MIN_YEAR, "last": last}
            )
            return None
        return year


def _json_type(value: Any) -> str:
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    return type(value).__name__


def _clean(attrs: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    check = _Checker(attrs)
    before = len(check.problems)
    symbol = check.text("symbol", max_length=64).upper()
    check.required("symbol", symbol, before)
    if symbol:
        try:
            validate_symbol(symbol)
        except ValidationError:
            check.problem(_("symbol %(symbol)r must be 2–8 capital letters") % {"symbol": symbol})
    before = len(check.problems)
    name = check.text("name", max_length=_max_length("name"))
    check.required("name", name, before)
    display_name = check.text("displayName", max_length=_max_length("display_name"))
    before = len(check.problems)
    member_type = check.choice("memberType", MemberType.values)
    check.required("memberType", member_type, before)
    before = len(check.problems)
    country = check.text("country", max_length=64).upper()
    if len(check.problems) == before and country not in _COUNTRY_CODES:
        check.problem(
            _("country %(country)r is not an ISO 3166 alpha-2 code") % {"country": country}
        )
    region_text = check.text("region", max_length=64)
    region = _REGION_NAMES.get(region_text.lower(), "") if region_text else ""
    if region_text and not region:
        check.problem(
            _("region %(region)r is not one of %(choices)s")
            % {"region": region_text, "choices": ", ".join(Region.values)}
        )
    non_profit = check.choice(
        "nonProfitStatus", NonProfitStatus.values, default=NonProfitStatus.NON_PROFIT
    )
    org_type = check.choice("organizationType", OrganizationType.values, default="other")
    focus = check.choice("focusArea", FocusArea.values, default="general")
    ror = check.text("rorId", max_length=_max_length("ror_id"))
    if ror:
        try:
            ror = normalize_ror(ror)
        except ValidationError as error:
            check.problem(_("rorId: %(message)s") % {"message": error.messages[0]})
    website = check.text("website", max_length=_max_length("website"))
    if website and not _WEBSITE_RE.match(website):
        check.problem(_("website %(url)r is not an http(s) address") % {"url": website})
    consortium = check.text("consortium", max_length=64).upper()
    year = check.year("joined" if attrs.get("joined") not in (None, "") else "yearJoined")
    active = check.boolean("isActive", default=True)
    return {
        "symbol": symbol,
        "name": name,
        "display_name": display_name,
        "member_type": member_type,
        "country": country,
        "datacite_region": region,
        "non_profit_status": non_profit,
        "organization_type": org_type,
        "focus_area": focus,
        "ror_id": ror,
        "website": website,
        "year_joined": year,
        "is_active": active,
        "consortium": consortium if member_type == MemberType.CONSORTIUM_ORGANIZATION else "",
    }, check.problems


def _is_document(value: Any) -> bool:
    return isinstance(value, dict) and "data" in value and "attributes" not in value


def _json_values(text: str) -> list[Any]:
    """Every JSON value in ``text``: one document, or several one after another."""
    decoder = json.JSONDecoder()
    values, position = [], 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return values
        value, position = decoder.raw_decode(text, position)
        values.append(value)


def _pages(content: str | dict | list) -> list[list[Any]]:
    """The ``data`` list of every page (a single-resource document counts as a one-item list)."""
    if isinstance(content, str):
        try:
            values = _json_values(content)
        except json.JSONDecodeError as error:
            raise ImportFailed(
                [
                    _("line %(line)d: invalid JSON (%(error)s)")
                    % {"line": error.lineno, "error": error.msg}
                ]
            ) from error
        except RecursionError as error:
            raise ImportFailed(
                [_("the JSON is nested too deeply to be a DataCite export")]
            ) from error
    else:
        values = [content]
    if not values:
        raise ImportFailed([_("the file is empty")])
    documents: list[Any] = []
    for value in values:
        if isinstance(value, list) and value and all(_is_document(v) for v in value):
            documents.extend(value)  # a JSON array of saved pages
        else:
            documents.append(value)
    pages = []
    for number, doc in enumerate(documents, start=1):
        data = doc.get("data") if isinstance(doc, dict) else doc
        if isinstance(data, dict):
            data = [data]
        if not isinstance(data, list):
            where = _("page %(page)d: ") % {"page": number} if len(documents) > 1 else ""
            raise ImportFailed([where + _('expected a JSON:API document {"data": [...]}')])
        pages.append(data)
    return pages


def parse_import(content: str | bytes | dict | list, fmt: str = "auto") -> list[tuple[str, dict]]:
    """(position label, raw attributes) per record; raises ImportFailed if unreadable."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFailed(
                [_("the file is not UTF-8 text (%(error)s)") % {"error": error}]
            ) from error
    if fmt == "auto":
        fmt = (
            "json"
            if not isinstance(content, str) or content.lstrip().startswith(("{", "["))
            else "csv"
        )
    if fmt == "json":
        pages = _pages(content)
        records = []
        for page_number, data in enumerate(pages, start=1):
            for index, item in enumerate(data, start=1):
                if len(pages) > 1:
                    label = _("page %(page)d, record %(index)d") % {
                        "page": page_number,
                        "index": index,
                    }
                else:
                    label = _("record %(index)d") % {"index": index}
                try:
                    records.append((label, _record_from_jsonapi(item)))
                except ValueError as error:
                    raise ImportFailed([f"{label}: {error}"]) from error
        return records
    if not isinstance(content, str):
        raise ImportFailed([_("a CSV import must be text")])
    reader = csv.DictReader(io.StringIO(content))
    try:
        missing = {"symbol", "name", "memberType", "country"} - set(reader.fieldnames or [])
        if missing:
            raise ImportFailed(
                [
                    _("line 1: missing column(s) %(columns)s")
                    % {"columns": ", ".join(sorted(missing))}
                ]
            )
        records = []
        for row in reader:
            label = _("line %(line)d") % {"line": reader.line_num}
            records.append((label, {k: v for k, v in row.items() if isinstance(k, str)}))
    except csv.Error as error:
        raise ImportFailed(
            [_("line %(line)d: %(error)s") % {"line": reader.line_num, "error": error}]
        ) from error
    return records


def _check_consortia(cleaned: list[tuple[str, dict]], invalid: set[str]) -> list[tuple[str, str]]:
    """Problems with consortium links, across the whole set and what Tandem already holds.

    ``invalid``: symbols of records already refused (a link to one is not reported again)."""
    problems: list[tuple[str, str]] = []
    in_set = {values["symbol"]: values for _label, values in cleaned}
    db_consortia = set(
        Organization.objects.filter(member_type=MemberType.CONSORTIUM).values_list(
            "symbol", flat=True
        )
    )
    consortia = {s for s, v in in_set.items() if v["member_type"] == MemberType.CONSORTIUM} | {
        s for s in db_consortia if s not in in_set
    }
    for label, values in cleaned:
        if values["member_type"] != MemberType.CONSORTIUM_ORGANIZATION:
            continue
        consortium = values["consortium"]
        if not consortium:
            problems.append((label, _("a consortium_organization needs its consortium")))
        elif consortium in invalid:
            continue
        elif consortium in in_set and consortium not in consortia:
            problems.append(
                (
                    label,
                    _("consortium %(symbol)r is imported as %(type)s, not as a consortium")
                    % {"symbol": consortium, "type": in_set[consortium]["member_type"]},
                )
            )
        elif consortium not in consortia:
            problems.append(
                (
                    label,
                    _("consortium %(symbol)r is not a consortium in this import or in Tandem")
                    % {"symbol": consortium},
                )
            )
    # A consortium may become another member type only if no organisation stays in it.
    demoted = {
        s: label
        for label, v in cleaned
        if (s := v["symbol"]) in db_consortia and v["member_type"] != MemberType.CONSORTIUM
    }
    if demoted:
        staying = Organization.objects.filter(consortium__symbol__in=demoted).values_list(
            "symbol", "consortium__symbol"
        )
        left: dict[str, list[str]] = {}
        for symbol, consortium in staying:
            moved = in_set.get(symbol)
            if moved is None or moved["consortium"] == consortium:
                left.setdefault(consortium, []).append(symbol)
        for consortium, members in sorted(left.items()):
            problems.append(
                (
                    demoted[consortium],
                    _(
                        "memberType: %(symbol)s is a consortium in Tandem and cannot become "
                        "%(type)s while organisations still belong to it (%(members)s). Import "
                        "them with their new consortium in the same file, or keep %(symbol)s a "
                        "consortium."
                    )
                    % {
                        "symbol": consortium,
                        "type": in_set[consortium]["member_type"],
                        "members": ", ".join(sorted(members)),
                    },
                )
            )
    return problems


def _current(org: Organization, name: str) -> Any:
    return str(org.country) if name == "country" else getattr(org, name)


@transaction.atomic
def import_members(
    content: str | bytes | dict | list, fmt: str = "auto", *, actor=None
) -> ImportResult:
    """Create or update members from a JSON:API or CSV export. All or nothing."""
    records = parse_import(content, fmt)
    cleaned: list[tuple[str, dict]] = []
    errors: list[str] = []
    seen: dict[str, tuple[str, dict]] = {}
    invalid: set[str] = set()

    def report(label: str, symbol: str, problem: str) -> None:
        errors.append(f"{label} ({symbol or '?'}): {problem}")

    for label, attrs in records:
        values, problems = _clean(attrs)
        symbol = values["symbol"]
        if symbol in seen and not problems:
            first_label, first = seen[symbol]
            if first == values:
                continue  # the same record on two saved pages
            problems.append(
                _("symbol %(symbol)s already appears, with other values, at %(label)s")
                % {"symbol": symbol, "label": first_label}
            )
        for problem in problems:
            report(label, symbol, problem)
        if problems:
            invalid.add(symbol)
        else:
            seen.setdefault(symbol, (label, values))
            cleaned.append((label, values))
    for label, problem in _check_consortia(cleaned, invalid):
        report(label, dict(cleaned)[label]["symbol"], problem)
    if errors:
        raise ImportFailed(errors)

    result = ImportResult()
    existing = {
        org.symbol: org
        for org in Organization.objects.filter(symbol__in=[v["symbol"] for _l, v in cleaned])
    }
    # Consortia first, so consortium organisations can point at them.
    cleaned.sort(key=lambda item: item[1]["member_type"] != MemberType.CONSORTIUM)
    saved: dict[str, Organization] = {}
    for label, values in cleaned:
        consortium, target = values.pop("consortium"), None
        if consortium:
            target = saved.get(consortium)
            if target is None:
                target = saved[consortium] = Organization.objects.get(symbol=consortium)
        values["consortium_id"] = target.pk if target else None
        org = existing.get(values["symbol"])
        if org is None:
            org = Organization(**values)
            changed = None
        else:
            changed = [name for name, value in values.items() if _current(org, name) != value]
            for name in changed:
                setattr(org, name, values[name])
        if target is not None:
            org.consortium = target  # no query to load it again
        if changed != []:
            try:  # the model's own field rules, in case any value slipped past the checks above
                org.clean_fields(exclude=["consortium"])
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    for message in messages:
                        report(label, values["symbol"], f"{name}: {message}")
                continue
        if changed is None:
            org.save()
            result.created += 1
        elif changed:
            org.save()
            result.updated += 1
            result.changes[org.symbol] = changed
        else:
            result.unchanged += 1
        saved[org.symbol] = org
        result.symbols.append(org.symbol)
    if errors:
        raise ImportFailed(errors)  # rolls the whole import back
    log_activity(
        actor,
        "members.imported",
        result.summary,
        created=[s for s in result.symbols if s not in existing],
        updated=result.changes,
        unchanged=result.unchanged,
    )
    return result
