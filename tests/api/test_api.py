import json

import pytest
from django.core.management import call_command
from django.test import Client

from tandem.api.models import ApiToken
from tandem.members.models import Organization
from tandem.partnerships import services as pairing
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def bearer(user) -> Client:
    _, key = ApiToken.issue(user, "test")
    return Client(headers={"Authorization": f"Bearer {key}"})


PROVIDERS = {
    "data": [
        {
            "id": "krdc",
            "type": "providers",
            "attributes": {
                "symbol": "KRDC",
                "name": "Kenya Research Data Consortium",
                "memberType": "consortium",
                "country": "KE",
            },
        }
    ]
}


def test_openapi_schema_is_published(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Tandem API"
    assert "/api/members/import" in schema["paths"]
    assert "/api/cohorts/{slug}/applications" in schema["paths"]


def test_public_cohort_list(client):
    cohort = CohortFactory()
    data = client.get("/api/cohorts").json()["items"]
    assert data[0]["slug"] == cohort.slug and data[0]["is_open"] is True


def test_member_import_with_a_token_is_atomic_and_reports_errors():
    api = bearer(CoordinatorFactory())
    response = api.post(
        "/api/members/import", json.dumps(PROVIDERS), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["created"] == 1
    bad = {"data": [*PROVIDERS["data"], {"id": "xx", "attributes": {"symbol": "x"}}]}
    response = api.post("/api/members/import", json.dumps(bad), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0].startswith("record 2")
    assert Organization.objects.count() == 1


def test_malformed_body_is_a_4xx_with_a_message():
    response = bearer(CoordinatorFactory()).post(
        "/api/members/import", "{oops", content_type="application/json"
    )
    assert 400 <= response.status_code < 500 and response.json()["detail"]


def test_applications_export(client):
    app = ApplicationFactory(full_name="Amina Otieno")
    ApplicationFactory(cohort=app.cohort, status="draft")
    response = bearer(CoordinatorFactory()).get(f"/api/cohorts/{app.cohort.slug}/applications")
    rows = response.json()["items"]
    assert [r["full_name"] for r in rows] == ["Amina Otieno"] and rows[0]["gap"] == "yes"


def test_pairs_export(pairing_cohort, coordinator):
    cohort, _ = pairing_cohort
    pairing.approve_run(pairing.run_match(cohort, actor=coordinator), actor=coordinator)
    rows = bearer(coordinator).get(f"/api/cohorts/{cohort.slug}/pairs").json()["items"]
    assert len(rows) == 2 and rows[0]["reasons"]
    for row in rows:  # both learning leads (Kenya, Brazil) are from GAP regions
        assert set(row["reasons"][0]) == {"code", "params", "text"}
        assert row["reasons"][0]["code"] == "gap_priority" and row["reasons"][0]["params"] == {}
        assert row["reasons"][0]["text"] == "GAP-region learning lead (prioritised)"
        assert row["reasons"][-1]["text"].startswith("score 0.")


@pytest.mark.parametrize(
    "path", ["/api/members", "/api/cohorts/x/applications", "/api/cohorts/x/pairs"]
)
def test_permissions(client, path):
    assert client.get(path).status_code == 401
    assert Client(headers={"Authorization": "Bearer nope"}).get(path).status_code == 401
    response = bearer(UserFactory()).get(path)
    assert response.status_code == 403 and "coordinators" in response.json()["detail"]


def test_participant_cannot_import(client):
    response = bearer(UserFactory()).post(
        "/api/members/import", json.dumps(PROVIDERS), content_type="application/json"
    )
    assert response.status_code == 403 and not Organization.objects.exists()


def test_session_auth_works_for_coordinators(coordinator_client):
    assert coordinator_client.get("/api/members").status_code == 200


def test_unknown_cohort_is_404():
    assert bearer(CoordinatorFactory()).get("/api/cohorts/nope/pairs").status_code == 404


def test_token_command_prints_a_working_key(capsys):
    user = CoordinatorFactory(email="ops@example.org")
    call_command("create_api_token", "ops@example.org", "--name", "datacite-sync")
    key = capsys.readouterr().out.strip()
    assert ApiToken.objects.get().user == user and key not in ApiToken.objects.get().key_hash
    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/members")
    assert response.status_code == 200
