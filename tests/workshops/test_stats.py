"""The cohort's workshop report: sessions with seats, waitlists, offers, attendance and ratings;
attendance by region (the organisation's) and by language; coordinators only; a CSV whose cells
cannot be formulas; the same queries at any size."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.workshops import stats
from tandem.workshops.models import Registration
from tests.accounts.factories import CoordinatorFactory
from tests.cohorts.factories import CohortFactory
from tests.pairing_fixtures import make_app
from tests.workshops.factories import RegistrationFactory, SessionFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 4, 15, 0, tzinfo=dt.UTC)
S = Registration.Status


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cohort():
    cohort = CohortFactory(slug="c26")
    en = WorkshopFactory(cohort=cohort, title="=HYPERLINK(1)", language="en", capacity=3)
    es = WorkshopFactory(cohort=cohort, title="Gobernanza", language="es")
    past_en = SessionFactory(workshop=en, starts_at=NOW - dt.timedelta(days=2))
    past_es = SessionFactory(workshop=es, starts_at=NOW - dt.timedelta(days=1))
    ahead = SessionFactory(workshop=en, starts_at=NOW + dt.timedelta(days=5))

    def seat(session, country, **kwargs):
        person = make_app(cohort, "X", "learning", country=country).applicant
        return RegistrationFactory(session=session, person=person, **kwargs)

    seat(past_en, "KE", attended=True, rating=5)  # EMEA
    seat(past_en, "DE", attended=False)  # EMEA
    seat(past_en, "BR", attended=True, rating=3)  # AMER
    seat(past_en, "BR")  # AMER, not marked
    seat(past_es, "BR", attended=True, rating=4)
    seat(past_es, "JP", attended=False)  # APAC
    seat(ahead, "KE")
    seat(ahead, "KE", status=S.WAITLISTED)
    seat(ahead, "IN", status=S.WAITLISTED)
    seat(ahead, "IN", status=S.OFFERED)
    seat(ahead, "IN", status=S.CANCELLED)
    return cohort


def test_totals(cohort):
    totals = stats.totals(cohort)
    assert (totals.workshops, totals.sessions) == (2, 3)
    assert (totals.registered, totals.waitlisted, totals.offered) == (7, 2, 1)
    assert (totals.present, totals.absent, totals.unmarked) == (3, 2, 1)
    assert totals.attendance_rate == 60.0
    assert (totals.ratings, totals.average) == (3, 4.0)


def test_sessions_latest_first_with_counts(cohort):
    rows = list(stats.sessions(cohort))
    ahead, past_es, past_en = rows
    assert (ahead.registered, ahead.waitlisted, ahead.offered) == (1, 2, 1)
    assert (past_en.present, past_en.absent, past_en.unmarked, past_en.average) == (2, 1, 1, 4.0)
    assert (past_es.present, past_es.absent, past_es.ratings) == (1, 1, 1)


def test_attendance_by_region_and_language(cohort):
    regions = {g.key: g for g in stats.by_region(cohort)}
    assert set(regions) == {"AMER", "APAC", "EMEA"}
    assert (regions["EMEA"].present, regions["EMEA"].absent) == (1, 1)
    assert regions["EMEA"].attendance_rate == 50.0
    assert (regions["AMER"].present, regions["AMER"].unmarked) == (2, 1)
    assert regions["AMER"].attendance_rate == 100.0
    assert regions["APAC"].attendance_rate == 0.0
    languages = {g.key: g for g in stats.by_language(cohort)}
    assert languages["en"].attendance_rate == round(100 * 2 / 3, 1)
    assert languages["es"].attendance_rate == 50.0


def test_report_page_is_for_coordinators(client, cohort):
    url = reverse("workshops:report", args=["c26"])
    client.force_login(make_app(cohort, "P", "learning").applicant)
    assert client.get(url).status_code == 403
    client.force_login(CoordinatorFactory())
    body = client.get(url).content.decode()
    assert "Gobernanza" in body and "Asia Pacific" in body and "60.0" in body


def test_csv_neutralises_formulas(client, cohort):
    client.force_login(CoordinatorFactory())
    response = client.get(reverse("workshops:report_csv", args=["c26"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "workshop" and len(rows) == 4
    assert "'=HYPERLINK(1)" in [r[0] for r in rows]


def test_report_costs_the_same_queries_at_any_size(client, cohort):
    client.force_login(CoordinatorFactory())
    url = reverse("workshops:report", args=["c26"])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(5):
        workshop = WorkshopFactory(cohort=cohort, language=["fr", "pt"][i % 2])
        session = SessionFactory(workshop=workshop, starts_at=NOW - dt.timedelta(days=i + 3))
        for country in ("KE", "BR", "JP"):
            person = make_app(cohort, "Y", "learning", country=country).applicant
            RegistrationFactory(session=session, person=person, attended=True, rating=4)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_page_and_csv_agree_for_a_past_and_an_upcoming_session(client, cohort):
    """An upcoming session's seats are not "not marked": the page says it is not held yet and
    the CSV leaves its cell empty and says "upcoming"; a past session's unmarked seats are
    counted on both (issue 20)."""
    en = cohort.workshops.get(language="en")
    past = en.sessions.get(starts_at__lt=NOW)
    past.label, ahead = "Past run", en.sessions.get(starts_at__gt=NOW)
    past.save()
    ahead.label = "Next run"
    ahead.save()
    for _ in range(7):
        RegistrationFactory(session=ahead, person=make_app(cohort, "Z", "learning").applicant)
    client.force_login(CoordinatorFactory())
    body = client.get(reverse("workshops:report", args=["c26"])).content.decode()
    table = body.split('id="report-sessions"')[1].split("</table>")[0]
    cells = {}
    for row in table.split("<tr>")[2:]:
        tds = [td.split("</td>")[0] for td in row.split("<td>")[1:]]
        label = "Past run" if "Past run" in tds[1] else "Next run" if "Next run" in tds[1] else ""
        cells[label] = tds[7]
    assert cells["Past run"] == "1"
    assert "Not held yet" in cells["Next run"] and "8" not in cells["Next run"]
    response = client.get(reverse("workshops:report_csv", args=["c26"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_label = {r["session"]: r for r in rows}
    assert (by_label["Past run"]["held"], by_label["Past run"]["not_marked"]) == ("yes", "1")
    assert (by_label["Next run"]["held"], by_label["Next run"]["not_marked"]) == ("upcoming", "")
    assert by_label["Next run"]["registered"] == "8"
    assert stats.sessions(cohort).get(pk=ahead.pk).unmarked == 0
