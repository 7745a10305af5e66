"""Every named page is in this matrix: visitors are sent to sign in (or refused), and a
signed-in participant who is not part of the object is refused. A new view without a row
here fails ``test_every_view_is_in_the_matrix``."""

import pytest
from django.urls import get_resolver, reverse

from tandem.meetings.models import CalendarFeed, Meeting
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

PUBLIC = {"cohorts:detail", "calendar:feed"}  # the feed is guarded by its secret token
NAMESPACES = ("cohorts", "partnerships", "meetings", "calendar", "outbox")


@pytest.fixture
def world(published_pair, coordinator):
    cohort, people, pair = published_pair
    run = pair.run
    meeting = Meeting.objects.create(
        cohort=cohort, title="Orientation", starts_at=pair.published_at
    )
    checkin = pair.checkins.first()
    app = people["lin"]
    feed = CalendarFeed.objects.create(user=people["lin"].applicant)
    s = cohort.slug
    return {
        "cohorts:create": [],
        "cohorts:detail": [s],
        "cohorts:edit": [s],
        "cohorts:apply": [s],
        "cohorts:review": [s],
        "cohorts:export": [s],
        "cohorts:application": [s, app.pk],
        "cohorts:decide": [s, app.pk],
        "cohorts:withdraw": [s, app.pk],
        "partnerships:home": [s],
        "partnerships:set_role": [s, app.pk],
        "partnerships:run_create": [s],
        "partnerships:run": [s, run.pk],
        "partnerships:approve_all": [s, run.pk],
        "partnerships:publish": [s],
        "partnerships:end": [s, pair.pk],
        "partnerships:pair_action": [s, pair.pk, "approve"],
        "meetings:list": [s],
        "meetings:create": [s],
        "meetings:find_time": [s],
        "meetings:detail": [s, meeting.pk],
        "meetings:edit": [s, meeting.pk],
        "meetings:document": [s, meeting.pk],
        "meetings:checkins": [s],
        "meetings:checkin": [s, checkin.pk],
        "meetings:checkin_action": [s, checkin.pk, "log"],
        "calendar:meeting_ics": [meeting.pk],
        "calendar:checkin_ics": [checkin.pk],
        "calendar:feed": [feed.token],
        "calendar:feed_reset": [],
        "outbox:index": [],
        "outbox:send": [],
    }


def named_views() -> set[str]:
    names = set()
    for namespace in NAMESPACES:
        resolver = get_resolver().namespace_dict[namespace][1]
        names |= {f"{namespace}:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    return names


def test_every_view_is_in_the_matrix(world):
    assert named_views() == set(world)


def test_visitors_are_refused_everything_private(client, world):
    for name, args in world.items():
        if name in PUBLIC:
            continue
        url = reverse(name, args=args)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 401, 403, 404, 405), (name, response.status_code)
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"], name


OUTSIDER_MAY = {
    "cohorts:detail",
    "cohorts:apply",
    "calendar:feed",
    "calendar:feed_reset",
    "cohorts:create",
}


def test_an_outsider_participant_is_refused(client, world):
    outsider = UserFactory()
    client.force_login(outsider)
    for name, args in world.items():
        if name in OUTSIDER_MAY:
            continue
        url = reverse(name, args=args)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (400, 403, 404, 405), (
                name,
                method,
                response.status_code,
            )


def test_outsider_cannot_create_cohorts_and_feed_reset_only_touches_self(client, world):
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(reverse("cohorts:create")).status_code == 403
    token = CalendarFeed.objects.get().token
    client.post(reverse("calendar:feed_reset"))
    assert CalendarFeed.objects.get(user__applications__isnull=False).token == token
