import pytest
from django.core import mail
from django.urls import reverse

from tandem.notifications.models import OutboxMessage
from tandem.notifications.services import deliver, queue_mail

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_queue_mail_sends_and_records():
    message = queue_mail(kind="test", to="a@example.org", subject="Hi", body="Hello")
    assert message.status == OutboxMessage.Status.SENT
    assert message.sent_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.org"]


def test_failure_is_recorded_and_can_be_retried(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.failing_backend.EmailBackend"}}
    message = queue_mail(kind="test", to="a@example.org", subject="Hi", body="Hello")
    assert message.status == OutboxMessage.Status.FAILED
    assert "SMTP server down" in message.error
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert deliver(message).status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1


def test_dedupe_key_makes_sending_idempotent():
    first = queue_mail(kind="t", to="a@example.org", subject="s", body="b", dedupe_key="k1")
    second = queue_mail(kind="t", to="a@example.org", subject="s", body="b", dedupe_key="k1")
    assert first is not None and second is None
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.count() == 1


def test_outbox_page_is_for_coordinators_only(client, coordinator_client, participant):
    assert coordinator_client.get(reverse("outbox:index") + "?preview=1").status_code == 200
    client.force_login(participant)
    assert client.get(reverse("outbox:index")).status_code == 403
    assert client.post(reverse("outbox:send")).status_code == 403
