import re

import pytest
from django.core import mail
from django.urls import reverse

from tandem.accounts.models import User
from tandem.notifications.models import OutboxMessage
from tests.accounts.factories import PASSWORD, UserFactory
from tests.applications.helpers import browser_select_value

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_signup_logs_in_and_stores_timezone(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "name": "Amina Otieno",
            "email": "Amina@Example.org",
            "timezone": "Africa/Nairobi",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="amina@example.org")
    assert user.timezone == "Africa/Nairobi" and not user.is_coordinator
    assert client.get(reverse("home")).context["user"] == user


def test_signup_has_no_zone_chosen_until_the_person_chooses_one(client):
    response = client.get(reverse("accounts:signup"))
    assert response.context["form"]["timezone"].value() in (None, "")
    # Not UTC, not the first zone of the list: an empty choice a script may pre-fill.
    assert browser_select_value(response.content.decode(), "timezone") == ""
    response = client.post(
        reverse("accounts:signup"),
        {
            "name": "Amina Otieno",
            "email": "amina@example.org",
            "timezone": "",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["timezone"] == ["Choose your time zone."]
    assert not User.objects.filter(email="amina@example.org").exists()


def test_signup_errors_rerender_and_keep_input(client):
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("accounts:signup"),
        {
            "name": "X",
            "email": "taken@example.org",
            "timezone": "Nowhere/City",
            "password1": "short",
            "password2": "different",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "already exists" in errors["email"][0]
    assert "timezone" in errors and "password2" in errors
    assert 'value="X"' in response.content.decode()


def test_login_and_logout(client):
    user = UserFactory()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_wrong_password_is_refused(client):
    user = UserFactory()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "nope"})
    assert response.status_code == 200 and response.context["form"].errors


def test_password_reset_goes_through_outbox_and_works(client, settings):
    settings.TANDEM_BASE_URL = "https://tandem.example.org"
    user = UserFactory(email="reset@example.org")
    client.post(reverse("accounts:password_reset"), {"email": "reset@example.org"})
    assert OutboxMessage.objects.get(kind="password-reset").status == "sent"
    link = re.search(r"https://tandem\.example\.org(\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase-7", "new_password2": "brand-new-passphrase-7"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-passphrase-7")


def test_profile_changes_timezone_and_needs_login(client):
    assert client.get(reverse("accounts:profile")).status_code == 302
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("accounts:profile"), {"name": "New Name", "timezone": "Asia/Kathmandu"})
    user.refresh_from_db()
    assert user.timezone == "Asia/Kathmandu"


def test_pages_show_times_in_the_users_zone(client, cohort):
    user = UserFactory(timezone="Asia/Kathmandu")
    client.force_login(user)
    body = client.get(cohort.get_absolute_url()).content.decode()
    assert "Asia/Kathmandu (UTC+05:45)" in body
