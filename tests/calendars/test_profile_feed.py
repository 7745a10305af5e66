"""Profile page: the private calendar link."""

import pytest
from django.urls import reverse

from tandem.calendars.models import CalendarFeed
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


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
