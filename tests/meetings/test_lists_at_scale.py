"""The check-ins overview a page at a time, a person's check-ins by two indexed lookups, and the
reminder plan reading only what can be due (issue 13)."""

import datetime as dt

import pytest
import time_machine
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tandem.meetings import services
from tandem.meetings.models import CheckIn, Meeting
from tandem.partnerships.models import Partnership
from tests.bulk import build_cohort

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_the_overview_shows_a_page_of_pairs_and_totals_of_all(coordinator_client):
    world = build_cohort(120)  # 60 published pairs, 3 rounds each
    url = reverse("meetings:checkins", args=[world.cohort.slug])
    first = coordinator_client.get(url)
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.count == 60
    second = coordinator_client.get(url, {"page": 2})
    assert len(second.context["rows"]) == 10
    shown = [r["pair"].pk for r in first.context["rows"] + second.context["rows"]]
    assert shown == list(services.overview_pairs(world.cohort).values_list("pk", flat=True))
    everything = services.overview(world.cohort, first.context["today"])
    totals = first.context["totals"]
    for status in ("done", "due", "overdue"):
        assert totals[status] == sum(row[status] for row in everything), status
    body = first.content.decode()
    assert "60 published pairs" in body and f"overdue: {totals['overdue']}" in body
    assert 'href="?page=2"' in body


def test_a_persons_checkins_are_those_of_their_published_pairs_on_either_side():
    world = build_cohort(12)
    experienced, learning = world.pairs[0].experienced, world.pairs[0].learning
    ended = world.pairs[1]
    Partnership.objects.filter(pk=ended.pk).update(status=Partnership.Status.ENDED)
    for app in (experienced, learning, ended.experienced):
        user = app.applicant
        expected = CheckIn.objects.filter(
            Q(partnership__experienced__applicant=user) | Q(partnership__learning__applicant=user),
            partnership__status=Partnership.Status.PUBLISHED,
        )
        assert list(services.checkins_for(user)) == list(expected)
    assert services.checkins_for(experienced.applicant).count() == 3
    assert not services.checkins_for(ended.experienced.applicant).exists()


def test_a_round_opening_today_only_at_utc_plus_14_is_still_reminded_there():
    now = dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.UTC)  # already 4 March on Kiritimati
    with time_machine.travel(now, tick=False):
        world = build_cohort(2, now=now)
        pair = world.pairs[0]
        pair.experienced.applicant.timezone = "Pacific/Kiritimati"
        pair.experienced.applicant.save()
        CheckIn.objects.filter(partnership=pair).delete()
        CheckIn.objects.create(
            partnership=pair,
            round=1,
            window_start=dt.date(2025, 3, 4),
            due_date=dt.date(2025, 3, 8),
        )
        Meeting.objects.all().delete()
        planned = services.plan_reminders(now)
    assert [(r.kind, r.user) for r in planned] == [("checkin-due", pair.experienced.applicant)]


def test_meeting_reminders_go_to_each_meetings_own_cohort():
    now = timezone.now()
    one, two = build_cohort(4, tag="P"), build_cohort(6, tag="Q")
    CheckIn.objects.all().delete()
    Meeting.objects.create(cohort=one.cohort, title="Second", starts_at=now + dt.timedelta(hours=3))
    planned = services.plan_reminders(now)
    by_title: dict[str, set] = {}
    for r in planned:
        by_title.setdefault(str(r.subject).split(": ", 1)[1], set()).add(r.to)
    assert by_title == {
        "Workshop P4": {a.email for a in one.applications},
        "Second": {a.email for a in one.applications},
        "Workshop Q6": {a.email for a in two.applications},
    }
