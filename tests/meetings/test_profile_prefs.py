"""Profile page: the private calendar link and the reminder e-mail settings."""

import pytest
from django.urls import reverse

from tandem.meetings.models import CalendarFeed, ReminderOptOut
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

KINDS = set(ReminderOptOut.Kind.values)


def opted_out(user) -> set[str]:
    return set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))


def test_profile_shows_the_absolute_feed_url_created_on_first_view(participant_client, participant):
    assert not CalendarFeed.objects.filter(user=participant).exists()
    body = participant_client.get(reverse("accounts:profile")).content.decode()
    feed = CalendarFeed.objects.get(user=participant)
    url = "http://testserver" + reverse("calendar:feed", args=[feed.token])
    assert f'value="{url}"' in body
    assert "readonly" in body
    assert f'action="{reverse("calendar:feed_reset")}"' in body
    assert "old link stops working" in body
    participant_client.get(reverse("accounts:profile"))
    assert CalendarFeed.objects.get(user=participant).token == feed.token  # stable


def test_profile_never_shows_another_users_feed(client):
    a, b = UserFactory(), UserFactory()
    a_feed = CalendarFeed.objects.create(user=a)
    client.force_login(b)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert a_feed.token not in body
    assert CalendarFeed.objects.get(user=b).token in body


def test_all_reminders_are_on_by_default(participant_client):
    response = participant_client.get(reverse("accounts:profile"))
    body = response.content.decode()
    assert "E-mail me when:" in body
    for label in ("check-in due in 7 days", "check-in overdue", "meeting tomorrow"):
        assert label in body
    assert set(response.context["reminders_form"]["receive"].value()) == KINDS
    assert body.count('name="receive"') == 3 and body.count("checked") == 3


def test_unticking_creates_opt_outs_and_ticking_deletes_them(participant_client, participant):
    url = reverse("accounts:profile")
    response = participant_client.post(
        url, {"save_reminders": "1", "receive": [ReminderOptOut.Kind.CHECKIN_DUE]}
    )
    assert response.status_code == 302
    assert opted_out(participant) == KINDS - {ReminderOptOut.Kind.CHECKIN_DUE}
    page = participant_client.get(url)
    assert page.context["reminders_form"]["receive"].value() == [ReminderOptOut.Kind.CHECKIN_DUE]
    participant_client.post(url, {"save_reminders": "1", "receive": sorted(KINDS)})
    assert opted_out(participant) == set()
    participant_client.post(url, {"save_reminders": "1"})
    assert opted_out(participant) == KINDS
    participant_client.post(url, {"save_reminders": "1"})  # idempotent
    assert ReminderOptOut.objects.filter(user=participant).count() == 3


def test_reminder_settings_are_per_person_and_leave_the_profile_alone(client):
    a, b = UserFactory(name="Ada", timezone="Asia/Kathmandu"), UserFactory()
    ReminderOptOut.objects.create(user=b, kind=ReminderOptOut.Kind.MEETING_TOMORROW)
    client.force_login(a)
    client.post(reverse("accounts:profile"), {"save_reminders": "1"})
    a.refresh_from_db()
    assert (a.name, a.timezone) == ("Ada", "Asia/Kathmandu")
    assert opted_out(a) == KINDS
    assert opted_out(b) == {ReminderOptOut.Kind.MEETING_TOMORROW}


def test_unknown_reminder_kind_is_refused(participant_client, participant):
    response = participant_client.post(
        reverse("accounts:profile"), {"save_reminders": "1", "receive": ["spam"]}
    )
    assert response.status_code == 200
    assert "receive" in response.context["reminders_form"].errors
    assert opted_out(participant) == set()


def test_saving_the_profile_keeps_reminder_settings(participant_client, participant):
    ReminderOptOut.objects.create(user=participant, kind=ReminderOptOut.Kind.CHECKIN_OVERDUE)
    response = participant_client.post(
        reverse("accounts:profile"),
        {"name": "New Name", "timezone": "America/New_York", "save_profile": ""},
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.timezone == "America/New_York"
    assert opted_out(participant) == {ReminderOptOut.Kind.CHECKIN_OVERDUE}
