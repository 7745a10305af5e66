"""Workshop pages: sanitised descriptions, planning with sessions in wall-clock time, facilitator
rights limited to their workshop, register and accept through the pages, the .ics."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tandem.workshops.markdown import render
from tandem.workshops.models import Registration, Workshop
from tests.accounts.factories import CoordinatorFactory

from .factories import SessionFactory, WorkshopFactory
from .helpers import participant_of

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_markdown_is_sanitised():
    html = render(
        "**bold** <script>alert(1)</script> [x](javascript:alert(1)) "
        '<a href="https://a.org" onclick="steal()">ok</a> <img src=x onerror=alert(1)>'
    )
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "alert(1)</script>" not in html
    assert "javascript:" not in html and "onclick" not in html and "onerror" not in html
    assert 'href="https://a.org"' in html and "nofollow" in html


def test_the_page_shows_the_description_sanitised(client):
    workshop = WorkshopFactory(description="Hi <script>alert('x')</script> **there**")
    SessionFactory(workshop=workshop, starts_at=NOW + dt.timedelta(days=3))
    client.force_login(participant_of(workshop.cohort))
    body = client.get(workshop.get_absolute_url()).content.decode()
    assert "<strong>there</strong>" in body and "alert('x')" not in body


def plan_data(**overrides):
    data = {
        "title": "Governance for leads",
        "description": "Bring questions.",
        "language": "en",
        "video_url": "",
        "capacity": "12",
        "gap_share": "25",
        "offer_hours": "24",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "12",
        "sessions-0-label": "APAC session",
        "sessions-0-starts_local": "2026-03-10T10:00",
        "sessions-0-timezone": "Asia/Singapore",
        "sessions-0-duration_minutes": "90",
        "sessions-1-label": "Americas session",
        "sessions-1-starts_local": "2026-03-10T09:00",
        "sessions-1-timezone": "America/Los_Angeles",
        "sessions-1-duration_minutes": "90",
    }
    data.update(overrides)
    return data


def test_a_coordinator_plans_a_workshop_with_two_sessions(client, cohort):
    coordinator = CoordinatorFactory()
    facilitator = participant_of(cohort)
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:create", args=[cohort.slug]),
        plan_data(facilitators=[str(facilitator.pk)]),
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get(title="Governance for leads")
    starts = [s.starts_at for s in workshop.sessions.all()]
    assert starts == [
        dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC),  # 10:00 in Singapore
        dt.datetime(2026, 3, 10, 16, 0, tzinfo=dt.UTC),  # 09:00 PDT (after the 8 March switch)
    ]
    assert list(workshop.facilitators.all()) == [facilitator]
    assert workshop.created_by == coordinator


def test_a_time_in_a_dst_gap_is_a_field_error(client, cohort):
    client.force_login(CoordinatorFactory())
    response = client.post(
        reverse("workshops:create", args=[cohort.slug]),
        plan_data(**{"sessions-1-starts_local": "2026-03-08T02:30"}),
    )
    assert response.status_code == 400
    assert "does not exist" in response.content.decode()
    assert not Workshop.objects.exists()


def test_a_facilitator_may_edit_their_workshop_only(client, cohort):
    facilitator = participant_of(cohort)
    mine = WorkshopFactory(cohort=cohort, facilitators=[facilitator])
    SessionFactory(workshop=mine, starts_at=NOW + dt.timedelta(days=3))
    other = WorkshopFactory(cohort=cohort)
    client.force_login(facilitator)
    assert client.get(reverse("workshops:edit", args=[cohort.slug, mine.pk])).status_code == 200
    assert client.get(reverse("workshops:edit", args=[cohort.slug, other.pk])).status_code == 403
    assert client.get(reverse("workshops:create", args=[cohort.slug])).status_code == 403
    # The content and sessions, not who facilitates nor the seats.
    session = mine.sessions.get()
    response = client.post(
        reverse("workshops:edit", args=[cohort.slug, mine.pk]),
        {
            "title": "Renamed",
            "description": "",
            "language": "fr",
            "video_url": "",
            "capacity": "99",
            "sessions-TOTAL_FORMS": "1",
            "sessions-INITIAL_FORMS": "1",
            "sessions-MIN_NUM_FORMS": "0",
            "sessions-MAX_NUM_FORMS": "12",
            "sessions-0-id": str(session.pk),
            "sessions-0-label": "Only session",
            "sessions-0-starts_local": "2026-03-05T12:00",
            "sessions-0-timezone": "UTC",
            "sessions-0-duration_minutes": "60",
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    session.refresh_from_db()
    assert (mine.title, mine.language, mine.capacity) == ("Renamed", "fr", 10)
    assert list(mine.facilitators.all()) == [facilitator]
    assert session.starts_at == dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.UTC)
    assert session.sequence == 1  # calendars replace the earlier time


def test_a_workshop_under_another_cohorts_address_is_a_404(client, cohort):
    workshop = WorkshopFactory()
    client.force_login(CoordinatorFactory())
    url = reverse("workshops:detail", args=[cohort.slug, workshop.pk])
    assert client.get(url).status_code == 404


def test_register_waitlist_accept_through_the_pages_and_the_ics(client, frozen):
    workshop = WorkshopFactory(capacity=1)
    session = SessionFactory(workshop=workshop, starts_at=NOW + dt.timedelta(days=3))
    ana, ben = participant_of(workshop.cohort), participant_of(workshop.cohort)
    register = reverse("workshops:register", args=[workshop.cohort.slug, session.pk])
    client.force_login(ana)
    assert client.post(register).status_code == 302
    ics = reverse("calendar:workshop_ics", args=[session.pk])
    assert b"BEGIN:VEVENT" in client.get(ics).content
    client.force_login(ben)
    client.post(register)
    assert client.get(ics).status_code == 404  # waitlisted: no calendar entry
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "You are number 1 on the waitlist." in page
    client.force_login(ana)
    mine = Registration.objects.get(person=ana)
    action = "workshops:registration_action"
    client.post(reverse(action, args=[workshop.cohort.slug, mine.pk, "cancel"]))
    client.force_login(ben)
    offer = Registration.objects.get(person=ben)
    assert offer.status == "offered"
    home = client.get("/").content.decode()
    assert "A seat is offered to you" in home
    client.post(reverse(action, args=[workshop.cohort.slug, offer.pk, "accept"]))
    assert Registration.objects.get(person=ben).status == "registered"
    assert client.get(ics).status_code == 200
    client.force_login(ana)
    assert client.get(ics).status_code == 404


def test_browse_shows_upcoming_in_the_viewers_zone_and_filters(client, cohort):
    person = participant_of(cohort, timezone="Asia/Kathmandu")
    ahead = WorkshopFactory(cohort=cohort, title="Ahead", language="es")
    SessionFactory(workshop=ahead, starts_at=dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC))
    past = WorkshopFactory(cohort=cohort, title="Behind")
    SessionFactory(workshop=past, starts_at=NOW - dt.timedelta(days=9))
    client.force_login(person)
    url = reverse("workshops:list", args=[cohort.slug])
    body = client.get(url).content.decode()
    assert "Ahead" in body and "Behind" not in body
    assert "09 Mar 2026, 17:45 Asia/Kathmandu" in body
    assert "Behind" in client.get(url, {"when": "past"}).content.decode()
    assert "Ahead" not in client.get(url, {"language": "en"}).content.decode()
    assert client.get(url, {"topic": "nope", "page": "x"}).status_code == 200


@pytest.mark.parametrize("value", ["²", "1²", "-1", "99999999999999999999999"])
def test_a_facilitator_id_that_is_no_number_is_a_404_not_a_500(client, cohort, value):
    """``"²".isdigit()`` is true but ``int("²")`` fails: ids are parsed by a form field."""
    client.force_login(CoordinatorFactory())
    url = reverse("workshops:facilitator_search", args=[cohort.slug])
    assert client.get(url, {"add": value}).status_code == 404


@pytest.mark.parametrize("value", ["²", "99999999999999999999999"])
def test_a_posted_facilitator_that_is_no_number_is_a_form_error(client, cohort, value):
    client.force_login(CoordinatorFactory())
    response = client.post(
        reverse("workshops:create", args=[cohort.slug]), plan_data(facilitators=[value])
    )
    assert response.status_code == 400
    assert response.context["form"].errors["facilitators"]
    assert not Workshop.objects.exists()


@pytest.mark.parametrize(
    ("starts", "zone"),
    [("9999-12-31T23:30", "UTC"), ("0001-01-01T00:00", "Asia/Tokyo"), ("1999-12-31T23:59", "UTC")],
)
def test_a_session_date_out_of_range_is_a_form_error(client, cohort, starts, zone):
    """9999-12-31 23:30 would be saved with an end past year 9999 (every page of the workshop a
    500); 0001-01-01 00:00 east of UTC is before year 1 in UTC (a 500 on save)."""
    client.force_login(CoordinatorFactory())
    response = client.post(
        reverse("workshops:create", args=[cohort.slug]),
        plan_data(**{"sessions-0-starts_local": starts, "sessions-0-timezone": zone}),
    )
    assert response.status_code == 400
    assert "years 2000 to 2100" in response.content.decode()
    assert not Workshop.objects.exists()


def test_a_session_at_the_edge_of_the_range_is_saved(client, cohort):
    client.force_login(CoordinatorFactory())
    response = client.post(
        reverse("workshops:create", args=[cohort.slug]),
        plan_data(**{"sessions-0-starts_local": "2100-12-31T23:30"}),
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert client.get(workshop.get_absolute_url()).status_code == 200
    assert client.get(reverse("workshops:list", args=[cohort.slug])).status_code == 200
