"""One-click unsubscribe (RFC 8058): every optional mail (a registered reminder kind) carries
``List-Unsubscribe`` with a signed link and ``List-Unsubscribe-Post``; posting to the link, with
no session and no CSRF token, turns that kind off for that person. Essential mails carry no such
header and say in their footer why they cannot be turned off."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.notifications import unsubscribe
from tandem.notifications.models import OutboxMessage, ReminderOptOut
from tandem.notifications.services import deliver, queue_mail, send_reminders
from tests.accounts.factories import UserFactory
from tests.applications.helpers import application_post

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

BASE = "https://tandem.example.org"
ONE_CLICK = "List-Unsubscribe=One-Click"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.TANDEM_BASE_URL = BASE


def make_due(pair, round_: int, days: int):
    """Round ``round_`` of the pair opened yesterday and is due in ``days`` days."""
    today = timezone.now().date()
    pair.checkins.filter(round=round_).update(
        window_start=today - dt.timedelta(days=1), due_date=today + dt.timedelta(days=days)
    )


def sent_to(user):
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    return message


def link(message) -> str:
    header = message.message()["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">")
    return header[1:-1]


def unsubscribe_path(user, kind: str) -> str:
    return reverse("notifications:unsubscribe", args=[unsubscribe.token(user.pk, kind)])


def test_a_reminder_carries_the_one_click_headers_and_the_link_in_its_footer(published_pair):
    _, people, pair = published_pair
    lin, eva = people["lin"].applicant, people["eva"].applicant
    make_due(pair, 1, 3)
    send_reminders()
    message = sent_to(lin)
    assert link(message) == BASE + unsubscribe_path(lin, "checkin-due")
    assert message.message()["List-Unsubscribe-Post"] == ONE_CLICK
    assert link(sent_to(eva)) == BASE + unsubscribe_path(eva, "checkin-due")  # each their own
    assert "“check-in due in 7 days” is on in your reminder settings" in message.body
    assert link(message) in message.body and BASE + reverse("accounts:profile") in message.body
    # The outbox keeps the mail as it was sent, footer included.
    assert link(message) in OutboxMessage.objects.get(user=lin).body


def test_posting_the_link_without_a_session_turns_the_kind_off_for_the_next_run(published_pair):
    _, people, pair = published_pair
    lin, eva = people["lin"].applicant, people["eva"].applicant
    make_due(pair, 1, 3)
    send_reminders()
    path = urlsplit(link(sent_to(lin))).path
    mail_client = Client(enforce_csrf_checks=True)  # no session, no CSRF token (RFC 8058)
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "you will no longer receive e-mails when: check-in due in 7 days" in (
        response.content.decode()
    )
    assert set(ReminderOptOut.objects.values_list("user", "kind")) == {(lin.pk, "checkin-due")}
    assert mail_client.post(path).status_code == 200  # a retried post changes nothing
    assert ReminderOptOut.objects.count() == 1
    mail.outbox.clear()
    make_due(pair, 2, 3)
    assert [r.to for r in send_reminders()] == [eva.email]


def test_get_shows_what_the_button_turns_off_and_changes_nothing(client):
    lin = UserFactory()
    path = unsubscribe_path(lin, "meeting-tomorrow")
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Stop the e-mails you receive when: meeting tomorrow?" in body
    assert f'<form method="post" action="{path}">' in body
    assert "back on at any time under “Reminders” in your profile" in body
    assert not ReminderOptOut.objects.exists()


def test_a_tampered_or_foreign_token_is_a_400_that_says_so(client):
    lin, other = UserFactory(), UserFactory()
    good = unsubscribe.token(lin.pk, "checkin-due")
    signature = good.rsplit(":", 1)[1]
    others_payload = unsubscribe.token(other.pk, "checkin-due").rsplit(":", 1)[0]
    gone = UserFactory()
    gone_token = unsubscribe.token(gone.pk, "checkin-due")
    gone.delete()
    bad = [
        good[:-1] + ("A" if good[-1] != "A" else "B"),  # signature changed
        f"{others_payload}:{signature}",  # someone else's id under Lin's signature
        signing.Signer(salt="elsewhere").sign_object({"u": lin.pk, "k": "checkin-due"}),
        signing.Signer(salt=unsubscribe.SALT).sign_object({"u": lin.pk, "k": "no-such-kind"}),
        signing.Signer(salt=unsubscribe.SALT).sign_object([lin.pk, "checkin-due"]),
        gone_token,
        "not-a-token",
    ]
    for token in bad:
        path = reverse("notifications:unsubscribe", args=[token])
        for response in (client.get(path), client.post(path)):
            assert response.status_code == 400, token
            assert "This unsubscribe link is not valid" in response.content.decode()
    assert not ReminderOptOut.objects.exists()


def test_essential_mails_carry_no_unsubscribe_and_say_why(
    client, participant_client, participant, cohort, consortium
):
    UserFactory(email="reset@example.org")
    client.post(reverse("accounts:password_reset"), {"email": "reset@example.org"})
    participant_client.post(reverse("applications:apply", args=[cohort.slug]), application_post())
    queue_mail(
        kind="pair-published", to=participant.email, subject="Meet", body="Hi", user=participant
    )
    reset, submitted, published = mail.outbox
    reasons = (
        "it concerns your account and its security; it cannot be turned off.",
        "it concerns your application; it cannot be turned off.",
        "it concerns your participation in the program; it cannot be turned off.",
    )
    for message, reason in zip((reset, submitted, published), reasons, strict=True):
        assert "List-Unsubscribe" not in message.message()
        assert "List-Unsubscribe-Post" not in message.message()
        assert f"You receive this e-mail because {reason}" in message.body
        assert "/notifications/unsubscribe/" not in message.body
    # The same call with a reminder kind is optional: it gets the headers.
    queue_mail(kind="checkin-due", to=participant.email, subject="Due", body="Hi", user=participant)
    assert link(mail.outbox[-1]) == BASE + unsubscribe_path(participant, "checkin-due")


def test_a_failed_reminder_retried_from_the_outbox_keeps_its_headers(published_pair, settings):
    _, people, pair = published_pair
    lin = people["lin"].applicant
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.failing_backend.EmailBackend"}}
    make_due(pair, 1, 3)
    send_reminders()
    failed = OutboxMessage.objects.get(user=lin)
    assert failed.status == OutboxMessage.Status.FAILED and not mail.outbox
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    deliver(failed)
    assert link(sent_to(lin)) == BASE + unsubscribe_path(lin, "checkin-due")
    assert sent_to(lin).message()["List-Unsubscribe-Post"] == ONE_CLICK
