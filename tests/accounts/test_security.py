"""Issue 11, security points 11–13: safe ``next`` redirects, sign-in lockout, e-mail throttles,
application mail only to the account's address, reset links from TANDEM_BASE_URL."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.notifications.models import OutboxMessage
from tests.accounts.factories import PASSWORD, UserFactory
from tests.applications.helpers import application_post
from tests.cohorts.factories import CohortFactory
from tests.members.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "https:evil.example",
    "///evil.example/",
    "/\\evil.example",
    "http://testserver@evil.example/",
    "javascript:alert(1)",
]


def signup_post(email="amina@example.org"):
    return {
        "name": "Amina Otieno",
        "email": email,
        "timezone": "Africa/Nairobi",
        "password1": "a-long-passphrase-42",
        "password2": "a-long-passphrase-42",
    }


# --- 11. Redirects --------------------------------------------------------------------------


@pytest.mark.parametrize("target", [*OFF_SITE, "x:y", "accounts:profile", "admin:index"])
def test_signup_never_redirects_off_site_or_to_a_named_view(client, target):
    response = client.post(reverse("accounts:signup") + "?next=" + _q(target), signup_post())
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_signup_follows_a_next_on_this_site(client, cohort):
    target = reverse("applications:apply", args=[cohort.slug])
    response = client.post(reverse("accounts:signup") + "?next=" + _q(target), signup_post())
    assert response.status_code == 302 and response["Location"] == target


@pytest.mark.parametrize("target", OFF_SITE)
def test_signed_in_visit_to_signup_stays_on_site(client, target):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:signup"), {"next": target})
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(client, target):
    user = UserFactory()
    response = client.post(
        reverse("accounts:login") + "?next=" + _q(target),
        {"username": user.email, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"] and response["Location"].startswith("/")


def test_signup_page_does_not_echo_an_unsafe_next(client):
    body = client.get(reverse("accounts:signup"), {"next": "https://evil.example/"}).content
    assert b"evil.example" not in body
    body = client.get(reverse("accounts:signup"), {"next": "/cohorts/"}).content.decode()
    assert "?next=/cohorts/" in body  # carried over to the "Sign in" link


def _q(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


# --- 12. Sign-in lockout (django-axes) ------------------------------------------------------


def _login(client, email, password, ip="203.0.113.7"):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def test_sixty_wrong_passwords_then_the_right_one_does_not_sign_in(client, settings):
    user = UserFactory(email="target@example.org")
    statuses = [_login(client, user.email, f"guess-{n}").status_code for n in range(60)]
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)  # the form, with its error
    assert set(statuses[limit:]) == {429}
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_and_client_and_ends_after_the_cool_off(client, settings):
    user = UserFactory(email="target@example.org")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.email.upper(), f"guess-{n}")  # the case of the address is ignored
    assert _login(client, user.email, PASSWORD).status_code == 429
    # Another client can still sign in to the account; the locked client to another account.
    assert _login(client, user.email, PASSWORD, ip="198.51.100.9").status_code == 302
    client.logout()
    other = UserFactory()
    assert _login(client, other.email, PASSWORD).status_code == 302
    client.logout()
    later = timezone.now() + settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=5)
    with time_machine.travel(later, tick=False):
        assert _login(client, user.email, PASSWORD).status_code == 302


def test_admin_sign_in_is_locked_out_too(client, settings):
    staff = UserFactory(is_staff=True)
    url = reverse("admin:login")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": staff.email, "password": f"x{n}"}, REMOTE_ADDR="192.0.2.1")
    response = client.post(
        url, {"username": staff.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.1"
    )
    assert response.status_code == 429


def test_client_ip_trusts_only_the_configured_proxies(rf, settings):
    from tandem.accounts.throttle import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    settings.TANDEM_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"  # a client-sent header is not believed
    settings.TANDEM_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.5"  # what our proxy saw, not what the client wrote


# --- 12. Password-reset e-mails: per address and per client ---------------------------------


def _reset(client, email, ip="203.0.113.7"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_reset_mails_to_one_address_are_throttled(client, settings):
    UserFactory(email="victim@example.org")
    per_address, _ = settings.TANDEM_THROTTLES["password-reset"]["address"]
    responses = [_reset(client, "victim@example.org", ip=f"192.0.2.{n}") for n in range(30)]
    assert [r.status_code for r in responses[:per_address]] == [302] * per_address
    assert {r.status_code for r in responses[per_address:]} == {429}
    assert len(mail.outbox) == per_address
    refused = responses[-1]
    assert "Too many password-reset e-mails" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert OutboxMessage.objects.filter(kind="password-reset").count() == per_address
    # The case of the address does not matter.
    assert _reset(client, "VICTIM@example.org", ip="192.0.2.200").status_code == 429


def test_reset_requests_from_one_client_are_throttled(client, settings):
    per_client, _ = settings.TANDEM_THROTTLES["password-reset"]["client"]
    for n in range(per_client):
        UserFactory(email=f"user{n}@example.org")
        assert _reset(client, f"user{n}@example.org").status_code == 302
    # Unknown addresses count too, and are answered like known ones until the limit.
    assert _reset(client, "nobody@example.org").status_code == 429
    assert _reset(client, "nobody@example.org", ip="198.51.100.1").status_code == 302
    assert len(mail.outbox) == per_client


def test_reset_throttle_ends_with_its_window(client, settings):
    UserFactory(email="victim@example.org")
    per_address, seconds = settings.TANDEM_THROTTLES["password-reset"]["address"]
    for _ in range(per_address):
        _reset(client, "victim@example.org")
    assert _reset(client, "victim@example.org").status_code == 429
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=seconds + 1), tick=False):
        assert _reset(client, "victim@example.org").status_code == 302


def test_throttle_limits_are_settings(client, settings):
    settings.TANDEM_THROTTLES = {"password-reset": {"address": (1, 60)}}
    UserFactory(email="victim@example.org")
    assert _reset(client, "victim@example.org").status_code == 302
    assert _reset(client, "victim@example.org").status_code == 429


# --- 13. Reset links from TANDEM_BASE_URL, not the Host header ------------------------------


def test_reset_link_uses_the_base_url_not_the_host_header(client, settings):
    settings.TANDEM_BASE_URL = "https://tandem.example.org"
    UserFactory(email="victim@example.org")
    client.post(
        reverse("accounts:password_reset"),
        {"email": "victim@example.org"},
        HTTP_HOST="evil.example",
    )
    body = mail.outbox[0].body
    assert "evil.example" not in body
    assert re.search(r"https://tandem\.example\.org/accounts/password-reset/\S+/\S+/", body)


# --- 12. Application confirmations: the account's address only, throttled -------------------


def _submit(client, cohort, org, ip="203.0.113.7", **fields):
    return client.post(
        reverse("applications:apply", args=[cohort.slug]),
        application_post(member_id=org.symbol, **fields),
        REMOTE_ADDR=ip,
    )


def test_application_mail_goes_to_the_account_address_not_a_typed_one(client):
    user = UserFactory(email="lead@example.org")
    client.force_login(user)
    cohort, org = CohortFactory(), OrganizationFactory()
    response = _submit(client, cohort, org, email="stranger@elsewhere.example")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]
    assert "confirmation e-mail to lead@example.org" in client.get(response["Location"]).text


def test_application_confirmations_are_throttled_per_address(client, settings):
    user = UserFactory(email="lead@example.org")
    client.force_login(user)
    cohort, org = CohortFactory(), OrganizationFactory()
    per_address, _ = settings.TANDEM_THROTTLES["application-confirmation"]["address"]
    for n in range(per_address):
        assert _submit(client, cohort, org, goals=f"Edit {n}").status_code == 302
    response = _submit(client, cohort, org, goals="One edit too many")
    assert response.status_code == 302  # the submission itself is saved …
    assert user.applications.get().goals == "One edit too many"
    assert len(mail.outbox) == per_address  # … but no more mail is sent, and the person is told
    page = client.get(response["Location"]).content.decode()
    assert "did not send another confirmation e-mail" in page


def test_application_confirmations_are_throttled_per_client(client, settings):
    """Accounts signed up with other people's addresses, all from one client, cannot make the
    program mail each of them."""
    per_client, _ = settings.TANDEM_THROTTLES["application-confirmation"]["client"]
    cohort = CohortFactory()
    for n in range(per_client + 2):
        client.force_login(UserFactory(email=f"victim{n}@example.org"))
        assert _submit(client, cohort, OrganizationFactory()).status_code == 302
    assert len(mail.outbox) == per_client
