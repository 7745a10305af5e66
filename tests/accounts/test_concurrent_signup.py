"""Two sign-ups with one address at the same instant: one account, and both get an answer."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tandem.accounts.forms import SignupForm
from tandem.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

FORM = {
    "name": "Ana Race",
    "email": "ana.race@example.org",
    "timezone": "Europe/Lisbon",
    "password1": "a-long-unusual-passphrase-42",
    "password2": "a-long-unusual-passphrase-42",
}


def test_a_lost_insert_race_is_a_field_error_not_a_500(client, monkeypatch):
    """The form's check passed, then another request created the account: a field error."""
    monkeypatch.setattr(SignupForm, "clean_email", lambda self: self.cleaned_data["email"])
    monkeypatch.setattr(SignupForm, "validate_unique", lambda self: None)
    User.objects.create_user(FORM["email"], "x", name="First")
    response = client.post(reverse("accounts:signup"), FORM)
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [str(SignupForm.EXISTS)]
    assert User.objects.filter(email=FORM["email"]).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_signups_both_get_an_answer(attempt):
    barrier = threading.Barrier(2)
    codes = [None, None]

    def sign_up(index):
        try:
            client = Client(REMOTE_ADDR=f"10.0.0.{index + 1}")
            barrier.wait()
            codes[index] = client.post(reverse("accounts:signup"), FORM).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(codes) in ([200, 302], [302, 302]) and 302 in codes
    assert User.objects.filter(email=FORM["email"]).count() == 1
