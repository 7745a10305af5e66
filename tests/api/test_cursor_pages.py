"""The API's lists a page at a time with an opaque cursor (issue 13): ``?limit=``, ``?cursor=``,
``next_cursor`` and ``next`` in the answer; a cursor the list did not issue is a 400 with a
message, never a 500."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import Client

from tandem.api.models import ApiToken
from tandem.api.pagination import SALT
from tandem.applications.models import Application
from tandem.members.models import Organization
from tests.accounts.factories import CoordinatorFactory
from tests.bulk import build_cohort
from tests.cohorts.factories import CohortFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def api():
    _, key = ApiToken.issue(CoordinatorFactory(), "test")
    return Client(headers={"Authorization": f"Bearer {key}"}, raise_request_exception=False)


@pytest.fixture
def world():
    world = build_cohort(40)
    # Several rows share each sort value: the cursor must still order them (by pk).
    Application.objects.filter(cohort=world.cohort, pk__lt=world.applications[10].pk).update(
        submitted_at=None
    )
    return world


def walk(api, url, limit, **params):
    """Every item of a list, following ``next`` (the full address) page by page."""
    items, pages = [], 0
    response = api.get(url, {"limit": limit, **params})
    while True:
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        assert set(body) == {"items", "next_cursor", "next"}
        assert len(body["items"]) <= limit
        items += body["items"]
        pages += 1
        if body["next"] is None:
            assert body["next_cursor"] is None
            return items, pages
        assert parse_qs(urlsplit(body["next"]).query)["cursor"] == [body["next_cursor"]]
        response = api.get(body["next"])


def test_applications_page_by_page_are_the_whole_list_in_the_export_order(api, world):
    url = f"/api/cohorts/{world.cohort.slug}/applications"
    whole = api.get(url, {"limit": 500}).json()
    assert whole["next"] is None and len(whole["items"]) == 40
    items, pages = walk(api, url, 7)
    assert pages == 6 and items == whole["items"]
    gaps = [row["gap"] for row in items]
    assert gaps == sorted(gaps, key=lambda g: g != "yes")  # GAP applicants first


def test_the_next_address_keeps_the_filters(api, world):
    url = f"/api/cohorts/{world.cohort.slug}/applications"
    first = api.get(url, {"limit": 3, "gap": "yes", "role": "learning"}).json()
    query = parse_qs(urlsplit(first["next"]).query)
    assert query["gap"] == ["yes"] and query["role"] == ["learning"] and query["limit"] == ["3"]
    items, _ = walk(api, url, 3, gap="yes", role="learning")
    expected = Application.objects.filter(
        cohort=world.cohort, is_gap=True, preferred_role="learning"
    ).exclude(status="draft")
    assert sorted(r["id"] for r in items) == sorted(expected.values_list("pk", flat=True))


def test_pairs_members_and_cohorts_page_by_page(api, world):
    CohortFactory.create_batch(4)
    pairs, _ = walk(api, f"/api/cohorts/{world.cohort.slug}/pairs", 6)
    assert [p["id"] for p in pairs] == [p.pk for p in sorted(world.pairs, key=lambda p: -p.score)]
    members, pages = walk(api, "/api/members", 9)
    assert pages == 9 and [m["symbol"] for m in members] == list(
        Organization.objects.order_by("name", "pk").values_list("symbol", flat=True)
    )
    cohorts, _ = walk(api, "/api/cohorts", 2)
    assert len(cohorts) == 5


def test_a_row_added_before_the_cursor_repeats_nothing(api, world):
    first = api.get("/api/members", {"limit": 5}).json()
    Organization.objects.create(symbol="AAAAA", name="AAA first by name", country="KE")
    rest = api.get(first["next"]).json()
    names = [m["name"] for m in first["items"] + rest["items"]]
    expected = list(
        Organization.objects.exclude(symbol="AAAAA")
        .order_by("name", "pk")
        .values_list("name", flat=True)[:10]
    )
    assert names == expected  # an offset would have shown page 1's last item again


def test_members_gap_eligibility_is_the_organisations_own(api, world):
    members, _ = walk(api, "/api/members", 500)
    by_symbol = {o.symbol: o for o in Organization.objects.all()}  # not annotated: the rule
    assert {m["symbol"]: m["gap_eligible"] for m in members} == {
        s: o.gap_eligible for s, o in by_symbol.items()
    }
    assert {m["gap_eligible"] for m in members} == {True, False}


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense",
        "a" * 5000,
        "é",
        "x:y:z",
        signing.dumps({"list": "pairs", "after": [0.5, 1]}, salt="other"),  # not our salt
        signing.dumps({"list": "members", "after": ["A", 1]}, salt=SALT),  # another list's
        signing.dumps({"list": "pairs", "after": [0.5]}, salt=SALT),  # too short
        signing.dumps({"list": "pairs", "after": ["high", 1]}, salt=SALT),  # not a score
        signing.dumps({"list": "pairs", "after": "x"}, salt=SALT),
        signing.dumps(["pairs"], salt=SALT),
    ],
)
def test_a_cursor_the_list_did_not_issue_is_a_400_with_a_message(api, world, cursor):
    response = api.get(f"/api/cohorts/{world.cohort.slug}/pairs", {"cursor": cursor})
    assert response.status_code == 400, response.content[:300]
    assert "cursor" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/members", "/api/cohorts", "/api/cohorts/{}/applications"])
def test_every_list_refuses_a_foreign_cursor(api, world, url):
    cursor = signing.dumps({"list": "pairs", "after": [0.5, 1]}, salt=SALT)
    response = api.get(url.format(world.cohort.slug), {"cursor": cursor})
    assert response.status_code == 400 and "another list" in response.json()["detail"]


def test_a_tampered_cursor_is_a_400(api, world):
    url = f"/api/cohorts/{world.cohort.slug}/pairs"
    cursor = api.get(url, {"limit": 2}).json()["next_cursor"]
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    response = api.get(url, {"cursor": tampered})
    assert response.status_code == 400 and "not valid" in response.json()["detail"]


@pytest.mark.parametrize("limit", ["0", "-3", "501", "abc", "1e9", "\u0661"])
def test_a_limit_out_of_range_is_a_400_naming_it(api, world, limit):
    response = api.get("/api/members", {"limit": limit})
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["detail"] and any(line.startswith("limit: ") for line in body["errors"])
