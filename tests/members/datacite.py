"""Documents shaped like DataCite's REST API ``GET /providers`` answers (JSON:API).

Attribute names and values follow DataCite's provider serializer: camelCase attributes,
``region`` (AMER/APAC/EMEA), ``nonProfitStatus`` (non-profit/for-profit), ``memberType``,
``joined`` (an ISO date), and the consortium as a relationship with the lowercase id."""

from __future__ import annotations

from typing import Any


def provider(
    pid: str,
    member_type: str = "consortium",
    country: str = "KE",
    consortium: str | None = None,
    **attrs: Any,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": pid,
        "type": "providers",
        "attributes": {
            "name": f"{pid.upper()} Research Data",
            "displayName": f"{pid.upper()} Data",
            "symbol": pid.upper(),
            "website": f"https://{pid}.example.org",
            "region": None,
            "country": country,
            "memberType": member_type,
            "organizationType": "researchInstitution",
            "focusArea": "general",
            "nonProfitStatus": "non-profit",
            "isActive": True,
            "joined": "2019-03-01",
            "rorId": None,
            "created": "2019-03-01T10:00:00.000Z",
            "updated": "2024-05-02T08:30:00.000Z",
            **attrs,
        },
        "relationships": {"clients": {"data": []}, "prefixes": {"data": []}},
    }
    if consortium:
        item["relationships"]["consortium"] = {"data": {"id": consortium, "type": "providers"}}
    return item


def page(items: list[dict], number: int = 1, total_pages: int = 1) -> dict[str, Any]:
    return {
        "data": items,
        "meta": {"total": len(items), "totalPages": total_pages, "page": number},
        "links": {
            "self": f"https://api.datacite.org/providers?page[number]={number}",
            **(
                {"next": f"https://api.datacite.org/providers?page[number]={number + 1}"}
                if number < total_pages
                else {}
            ),
        },
    }
