import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from tandem.applications import services
from tandem.applications.models import Application
from tandem.core.timezones import to_utc
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.members.factories import OrganizationFactory

from .helpers import application_post, browser_select_value

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def apply_url(cohort):
    return reverse("applications:apply", args=[cohort.slug])


def test_submit_creates_application_and_sends_confirmation(
    participant_client, participant, cohort, consortium
):
    response = participant_client.post(apply_url(cohort), application_post())
    assert response.status_code == 302, response.context["form"].errors
    app = Application.objects.get(applicant=participant)
    assert app.status == "submitted" and app.submitted_at
    assert app.organization == consortium and app.is_gap  # Kenya
    assert app.languages == {"en": 3, "sw": 3}
    assert app.availability == [["mon", "09:00", "12:00"], ["thu", "14:00", "17:30"]]
    assert app.orcid == "https://orcid.org/0000-0002-1825-0097"
    assert app.topic_levels("challenge") == {"fee-models-billing": 3}
    assert len(mail.outbox) == 1
    assert "We received your application" in mail.outbox[0].subject
    assert "2024" not in mail.outbox[0].subject or cohort.name in mail.outbox[0].subject


def test_draft_saves_with_missing_fields(participant_client, participant, cohort):
    response = participant_client.post(
        apply_url(cohort),
        {
            "action": "draft",
            "full_name": "Half Done",
            "lang-TOTAL_FORMS": "0",
            "lang-INITIAL_FORMS": "0",
            "avail-TOTAL_FORMS": "0",
            "avail-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    app = Application.objects.get(applicant=participant)
    assert app.status == "draft" and app.full_name == "Half Done"
    assert not mail.outbox
    # The draft is shown again for editing.
    body = participant_client.get(apply_url(cohort)).content.decode()
    assert 'value="Half Done"' in body


@pytest.mark.parametrize("zone", ["Asia/Kathmandu", "UTC"])
def test_the_apply_form_starts_with_the_profile_zone(client, cohort, zone):
    client.force_login(UserFactory(timezone=zone))
    response = client.get(apply_url(cohort))
    assert response.context["form"]["timezone"].value() == zone
    assert browser_select_value(response.content.decode(), "timezone") == zone


def test_a_draft_saved_without_a_zone_keeps_none_and_submitting_needs_one(
    participant_client, participant, cohort, consortium
):
    ApplicationFactory(cohort=cohort, applicant=participant, status="draft", timezone="")
    body = participant_client.get(apply_url(cohort)).content.decode()
    # Nothing chosen is what the browser sends back, not the first zone of the list.
    shown = browser_select_value(body, "timezone")
    assert shown == ""
    response = participant_client.post(
        apply_url(cohort), application_post(action="draft", timezone=shown)
    )
    assert response.status_code == 302
    assert Application.objects.get(applicant=participant).timezone == ""
    response = participant_client.post(apply_url(cohort), application_post(timezone=""))
    assert response.status_code == 200 and "timezone" in response.context["form"].errors
    assert Application.objects.get(applicant=participant).status == "draft"


def test_draft_still_validates_what_is_entered(participant_client, cohort):
    response = participant_client.post(
        apply_url(cohort), application_post(action="draft", orcid="0000-0002-1825-0098")
    )
    assert response.status_code == 200
    assert "checksum" in response.context["form"].errors["orcid"][0]
    assert not Application.objects.exists()


def test_submit_with_missing_fields_rerenders_with_errors_and_keeps_input(
    participant_client, cohort, consortium
):
    response = participant_client.post(
        apply_url(cohort),
        application_post(goals="", accepted_guidelines=None, job_title="Keeps this"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "goals" in errors and "accepted_guidelines" in errors
    assert 'value="Keeps this"' in response.content.decode()
    assert not Application.objects.exists()


def test_unknown_member_is_refused_with_contact(participant_client, cohort):
    response = participant_client.post(apply_url(cohort), application_post(member_id="NOPE"))
    error = response.context["form"].errors["member_id"][0]
    assert "not a DataCite member ID" in error and "info@datacite.org" in error


def test_non_lead_member_is_refused_and_told_whom_to_contact(
    participant_client, cohort, consortium
):
    OrganizationFactory(
        symbol="UNI",
        name="A University",
        member_type="consortium_organization",
        consortium=consortium,
    )
    response = participant_client.post(apply_url(cohort), application_post(member_id="UNI"))
    error = response.context["form"].errors["member_id"][0]
    assert "Consortium Leads" in error and "KRDC" in error
    assert not Application.objects.exists()


def test_one_application_per_person_per_cohort(participant, cohort):
    ApplicationFactory(applicant=participant, cohort=cohort)
    with pytest.raises(IntegrityError):
        ApplicationFactory(applicant=participant, cohort=cohort)


def test_applying_again_edits_the_same_application(
    participant_client, participant, cohort, consortium
):
    participant_client.post(apply_url(cohort), application_post())
    participant_client.post(apply_url(cohort), application_post(job_title="Director"))
    assert Application.objects.filter(applicant=participant).count() == 1
    assert Application.objects.get().job_title == "Director"
    assert "updated" in mail.outbox[1].subject


def test_overlapping_window_is_a_field_error(participant_client, cohort, consortium):
    response = participant_client.post(
        apply_url(cohort), application_post(**{"avail-0-start": "12:00", "avail-0-end": "09:00"})
    )
    assert response.status_code == 200
    assert "end after it starts" in str(response.context["availability"].errors)


# --- The deadline, to the second, around DST ------------------------------------------------


@pytest.fixture
def pt_cohort(db):
    # Deadline "March 10, 2024, 23:59 PT": the day US clocks sprang forward (PDT, UTC-7).
    return CohortFactory(
        timezone="America/Los_Angeles",
        opens_at=to_utc(dt.datetime(2024, 2, 1, 9, 0), "America/Los_Angeles"),
        closes_at=to_utc(dt.datetime(2024, 3, 10, 23, 59), "America/Los_Angeles"),
        program_start=dt.date(2024, 6, 1),
        program_end=dt.date(2025, 5, 31),
    )


def test_dst_day_deadline_is_utc_exact(pt_cohort):
    assert pt_cohort.closes_at == dt.datetime(2024, 3, 11, 6, 59, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("instant", "is_open"),
    [
        (dt.datetime(2024, 3, 11, 6, 58, 59, tzinfo=dt.UTC), True),
        (dt.datetime(2024, 3, 11, 6, 59, 0, tzinfo=dt.UTC), True),
        (dt.datetime(2024, 3, 11, 6, 59, 1, tzinfo=dt.UTC), False),
        # 23:59 PST would be an hour later: already closed.
        (dt.datetime(2024, 3, 11, 7, 59, 0, tzinfo=dt.UTC), False),
    ],
)
def test_window_closes_to_the_second(pt_cohort, instant, is_open):
    assert pt_cohort.is_open(instant) is is_open


def test_server_refuses_a_post_one_second_after_the_deadline(client, pt_cohort, consortium):
    user = UserFactory()
    client.force_login(user)
    with time_machine.travel(dt.datetime(2024, 3, 11, 6, 59, 0, tzinfo=dt.UTC), tick=False):
        response = client.post(apply_url(pt_cohort), application_post())
        assert response.status_code == 302
    with time_machine.travel(dt.datetime(2024, 3, 11, 6, 59, 1, tzinfo=dt.UTC), tick=False):
        response = client.post(apply_url(pt_cohort), application_post(job_title="Too late"))
        assert response.status_code == 403
        assert "closed" in response.content.decode()
    assert Application.objects.get().job_title == "Consortium Manager"


def test_service_refuses_after_deadline_even_without_the_form(pt_cohort, consortium):
    app = services.new_application(pt_cohort, UserFactory())
    with pytest.raises(services.ApplicationClosed, match="closed at 10 March 2024, 23:59"):
        services.save_application(
            app, topics={}, submit=False, now=dt.datetime(2024, 3, 11, 7, 0, tzinfo=dt.UTC)
        )


def test_not_yet_open(client, consortium):
    cohort = CohortFactory(
        opens_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
        closes_at=dt.datetime(2099, 2, 1, tzinfo=dt.UTC),
    )
    client.force_login(UserFactory())
    assert client.get(apply_url(cohort)).status_code == 403


def test_fall_back_deadline(consortium):
    # "November 3, 2024, 23:59 PT" is after clocks fell back: PST, UTC-8.
    closes = to_utc(dt.datetime(2024, 11, 3, 23, 59), "America/Los_Angeles")
    assert closes == dt.datetime(2024, 11, 4, 7, 59, tzinfo=dt.UTC)


# --- Permissions -----------------------------------------------------------------------------


def test_participant_cannot_see_another_application_by_url(client, cohort):
    mine = ApplicationFactory(cohort=cohort)
    theirs = ApplicationFactory(cohort=cohort)
    client.force_login(mine.applicant)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 403
    assert (
        client.post(reverse("applications:withdraw", args=[cohort.slug, theirs.pk])).status_code
        == 403
    )
    assert (
        client.post(
            reverse("applications:decide", args=[cohort.slug, mine.pk]), {"decision": "accepted"}
        ).status_code
        == 403
    )
    mine.refresh_from_db()
    assert mine.status == "submitted"


def test_application_under_the_wrong_cohort_is_not_found(client, cohort):
    app = ApplicationFactory()
    client.force_login(app.applicant)
    assert client.get(reverse("applications:detail", args=[cohort.slug, app.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, cohort):
    app = ApplicationFactory(cohort=cohort)
    response = client.get(app.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(apply_url(cohort)).status_code == 302


def test_coordinator_sees_any_application(coordinator_client, cohort):
    app = ApplicationFactory(cohort=cohort)
    response = coordinator_client.get(app.get_absolute_url())
    assert response.status_code == 200 and "decision_form" in response.context


def test_decided_application_cannot_be_edited(client, cohort):
    app = ApplicationFactory(cohort=cohort, status="accepted")
    client.force_login(app.applicant)
    response = client.post(apply_url(cohort), application_post())
    assert response.status_code == 302 and response["Location"] == app.get_absolute_url()
    app.refresh_from_db()
    assert app.status == "accepted"


def test_withdraw(client, cohort):
    app = ApplicationFactory(cohort=cohort)
    client.force_login(app.applicant)
    client.post(reverse("applications:withdraw", args=[cohort.slug, app.pk]))
    app.refresh_from_db()
    assert app.status == "withdrawn"


def test_home_lists_own_applications_only(client, cohort):
    mine = ApplicationFactory(cohort=cohort)
    other = ApplicationFactory(cohort=cohort, full_name="Someone Else Entirely")
    client.force_login(mine.applicant)
    body = client.get(reverse("home")).content.decode()
    assert mine.cohort.name in body and other.full_name not in body
