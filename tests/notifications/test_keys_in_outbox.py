"""services.keys_in_outbox: which reminder keys the outbox holds, in one query on PostgreSQL
(an array parameter) and in chunks elsewhere; the same answer either way."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.notifications import services
from tandem.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _held(*keys):
    OutboxMessage.objects.bulk_create(
        OutboxMessage(kind="checkin-due", to="a@example.org", subject="s", body="b", dedupe_key=k)
        for k in keys
    )


def test_only_the_keys_held_are_returned():
    _held("checkin-due:checkin1:7", "checkin-overdue:checkin1:7", "it's; DROP TABLE x --:1")
    asked = {"checkin-due:checkin1:7", "checkin-due:checkin2:7", "it's; DROP TABLE x --:1"}
    assert services.keys_in_outbox(asked) == {"checkin-due:checkin1:7", "it's; DROP TABLE x --:1"}
    assert services.keys_in_outbox(set()) == set()


def test_many_keys_cost_a_fixed_number_of_queries(settings, monkeypatch):
    monkeypatch.setattr(services, "KEY_CHUNK", 100)
    held = [f"checkin-due:checkin{n}:1" for n in range(0, 450, 3)]
    _held(*held)
    asked = {f"checkin-due:checkin{n}:1" for n in range(450)}
    with CaptureQueriesContext(connection) as queries:
        assert services.keys_in_outbox(asked) == set(held)
    expected = 1 if connection.vendor == "postgresql" else 5  # 450 keys in chunks of 100
    assert len(queries) == expected
