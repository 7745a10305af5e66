"""TimezoneField: the searchable picker's markup, aliases shown and saved as canonical zones,
and a stored zone never lost."""

import re

import pytest
from django.urls import reverse

from tandem.accounts.forms import ProfileForm, SignupForm
from tandem.accounts.models import User
from tandem.applications.forms import ApplicationForm
from tandem.applications.models import Application
from tests.accounts.factories import UserFactory
from tests.applications.helpers import browser_select_value

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def rendered(form) -> str:
    return str(form["timezone"])


def test_picker_is_grouped_marked_and_labelled():
    html = rendered(ProfileForm(instance=UserFactory.build(timezone="Asia/Kathmandu")))
    assert "data-zone-picker" in html
    assert 'data-zone-filter-label="Search time zones"' in html
    assert '<optgroup label="Asia">' in html and '<optgroup label="UTC">' in html
    assert re.search(r'<option value="Asia/Kathmandu" selected>Kathmandu \(UTC\+05:45\)', html)
    assert "Asmera" not in html and "Calcutta" not in html
    # Only where the person must choose does the script propose the device's zone.
    assert "data-zone-default-note" not in html
    assert "We chose your device&#x27;s time zone: %(zone)s" in rendered(SignupForm())


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("Asia/Calcutta", "Asia/Kolkata"), ("Africa/Asmera", "Africa/Asmara"), ("Etc/UTC", "UTC")],
)
def test_an_alias_stored_is_shown_selected_as_its_canonical_zone(stored, shown):
    user = UserFactory.build(timezone=stored)
    assert browser_select_value(rendered(ProfileForm(instance=user)), "timezone") == shown
    application = Application(timezone=stored)
    html = rendered(ApplicationForm(instance=application))
    assert browser_select_value(html, "timezone") == shown


def test_a_stored_zone_without_canonical_equivalent_stays_selected_and_valid():
    user = UserFactory(timezone="Etc/GMT+5")
    form = ProfileForm(instance=user)
    assert browser_select_value(rendered(form), "timezone") == "Etc/GMT+5"
    form = ProfileForm({"name": user.name, "timezone": "Etc/GMT+5"}, instance=user)
    assert form.is_valid(), form.errors
    assert form.save().timezone == "Etc/GMT+5"


def test_an_alias_submitted_is_saved_as_its_canonical_zone(client):
    user = UserFactory(timezone="Asia/Calcutta")
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    assert browser_select_value(response.content.decode(), "timezone") == "Asia/Kolkata"
    client.post(reverse("accounts:profile"), {"name": user.name, "timezone": "Asia/Calcutta"})
    user.refresh_from_db()
    assert user.timezone == "Asia/Kolkata"


def test_signup_saves_the_canonical_zone_and_refuses_an_unknown_one():
    data = {
        "name": "Amina Otieno",
        "email": "amina@example.org",
        "password1": "a-long-passphrase-42",
        "password2": "a-long-passphrase-42",
    }
    assert not SignupForm({**data, "timezone": "Mars/Olympus_Mons"}).is_valid()
    form = SignupForm({**data, "timezone": "Africa/Asmera"})
    assert form.is_valid(), form.errors
    form.save()
    assert User.objects.get().timezone == "Africa/Asmara"
