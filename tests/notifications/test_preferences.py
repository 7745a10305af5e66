"""Profile page: which reminder e-mails a person receives, one box per kind the apps
registered (tandem.notifications.reminders)."""

import pytest
from django.urls import reverse

from tandem.notifications import reminders
from tandem.notifications.models import ReminderOptOut
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

CHECKIN_DUE, CHECKIN_OVERDUE, MEETING_TOMORROW = (
    "checkin-due",
    "checkin-overdue",
    "meeting-tomorrow",
)
# The workshops app's kinds too: every registered kind is listed on the profile.
WORKSHOP_KINDS = {"workshop-tomorrow", "workshop-offer-expiring"}
KINDS = {CHECKIN_DUE, CHECKIN_OVERDUE, MEETING_TOMORROW, *WORKSHOP_KINDS}


def opted_out(user) -> set[str]:
    return set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))


def test_all_reminders_are_on_by_default(participant_client):
    response = participant_client.get(reverse("accounts:profile"))
    body = response.content.decode()
    assert "E-mail me when:" in body
    for label in ("check-in due in 7 days", "check-in overdue", "meeting tomorrow"):
        assert label in body
    assert set(response.context["reminders_form"]["receive"].value()) == KINDS
    assert body.count('name="receive"') == len(KINDS) and body.count("checked") == len(KINDS)


def test_unticking_creates_opt_outs_and_ticking_deletes_them(participant_client, participant):
    url = reverse("accounts:profile")
    response = participant_client.post(url, {"save_reminders": "1", "receive": [CHECKIN_DUE]})
    assert response.status_code == 302
    assert opted_out(participant) == KINDS - {CHECKIN_DUE}
    page = participant_client.get(url)
    assert page.context["reminders_form"]["receive"].value() == [CHECKIN_DUE]
    participant_client.post(url, {"save_reminders": "1", "receive": sorted(KINDS)})
    assert opted_out(participant) == set()
    participant_client.post(url, {"save_reminders": "1"})
    assert opted_out(participant) == KINDS
    participant_client.post(url, {"save_reminders": "1"})  # idempotent
    assert ReminderOptOut.objects.filter(user=participant).count() == len(KINDS)


def test_reminder_settings_are_per_person_and_leave_the_profile_alone(client):
    a, b = UserFactory(name="Ada", timezone="Asia/Kathmandu"), UserFactory()
    ReminderOptOut.objects.create(user=b, kind=MEETING_TOMORROW)
    client.force_login(a)
    client.post(reverse("accounts:profile"), {"save_reminders": "1"})
    a.refresh_from_db()
    assert (a.name, a.timezone) == ("Ada", "Asia/Kathmandu")
    assert opted_out(a) == KINDS
    assert opted_out(b) == {MEETING_TOMORROW}


def test_unknown_reminder_kind_is_refused(participant_client, participant):
    response = participant_client.post(
        reverse("accounts:profile"), {"save_reminders": "1", "receive": ["spam"]}
    )
    assert response.status_code == 200
    assert "receive" in response.context["reminders_form"].errors
    assert opted_out(participant) == set()


def test_saving_the_profile_keeps_reminder_settings(participant_client, participant):
    ReminderOptOut.objects.create(user=participant, kind=CHECKIN_OVERDUE)
    response = participant_client.post(
        reverse("accounts:profile"),
        {"name": "New Name", "timezone": "America/New_York", "save_profile": ""},
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.timezone == "America/New_York"
    assert opted_out(participant) == {CHECKIN_OVERDUE}


def test_the_kinds_are_those_the_apps_registered():
    assert set(reminders.kinds()) == KINDS


def test_a_kind_another_app_registers_is_listed_and_can_be_turned_off(
    participant_client, participant, monkeypatch
):
    monkeypatch.setattr(reminders, "_sources", dict(reminders._sources))
    reminders.register("surveys", lambda now: [], kinds={"survey-open": "a survey opens"})
    url = reverse("accounts:profile")
    body = participant_client.get(url).content.decode()
    assert "a survey opens" in body and body.count('name="receive"') == len(KINDS) + 1
    participant_client.post(url, {"save_reminders": "1", "receive": sorted(KINDS)})
    assert opted_out(participant) == {"survey-open"}
