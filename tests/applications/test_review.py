import csv
import io

import pytest
from django.urls import reverse

from tandem.applications.models import Application
from tandem.core.models import ActivityLog
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.members.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def apps(cohort):
    return {
        "ke": ApplicationFactory(
            cohort=cohort,
            full_name="Kenyan Lead",
            languages={"en": 3, "sw": 3},
            organization=OrganizationFactory(country="KE"),
            experience_level=2,
        ),
        "de": ApplicationFactory(
            cohort=cohort,
            full_name="German Lead",
            languages={"de": 3, "en": 3},
            organization=OrganizationFactory(country="DE"),
            experience_level=5,
            preferred_role="experienced",
        ),
        "br": ApplicationFactory(
            cohort=cohort,
            full_name="Brazilian Lead",
            languages={"pt": 3},
            organization=OrganizationFactory(country="BR"),
            experience_level=4,
            status="waitlisted",
        ),
        "draft": ApplicationFactory(cohort=cohort, full_name="Drafty", status="draft"),
        "other": ApplicationFactory(full_name="Other Cohort Lead"),
    }


def names(response):
    return [a.full_name for a in response.context["applications"]]


def review_url(cohort):
    return reverse("applications:review", args=[cohort.slug])


def test_list_is_scoped_to_the_cohort_gap_first_and_hides_drafts(coordinator_client, cohort, apps):
    listed = names(coordinator_client.get(review_url(cohort)))
    assert "Drafty" not in listed and "Other Cohort Lead" not in listed
    assert listed[-1] == "German Lead"  # the only non-GAP applicant comes last
    assert set(listed) == {"Kenyan Lead", "German Lead", "Brazilian Lead"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"gap": "yes"}, {"Kenyan Lead", "Brazilian Lead"}),
        ({"gap": "no"}, {"German Lead"}),
        ({"region": "AMER"}, {"Brazilian Lead"}),
        ({"region": "EMEA"}, {"Kenyan Lead", "German Lead"}),
        ({"language": "sw"}, {"Kenyan Lead"}),
        ({"role": "experienced"}, {"German Lead"}),
        ({"experience_min": "4"}, {"German Lead", "Brazilian Lead"}),
        ({"status": "waitlisted"}, {"Brazilian Lead"}),
        ({"q": "kenyan"}, {"Kenyan Lead"}),
    ],
)
def test_filters(coordinator_client, cohort, apps, query, expected):
    assert set(names(coordinator_client.get(review_url(cohort), query))) == expected


def test_sorting(coordinator_client, cohort, apps):
    listed = names(coordinator_client.get(review_url(cohort), {"sort": "-experience"}))
    assert listed == ["German Lead", "Brazilian Lead", "Kenyan Lead"]


def test_htmx_request_gets_only_the_table(coordinator_client, cohort, apps):
    response = coordinator_client.get(review_url(cohort), {"gap": "yes"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "Kenyan Lead" in body


def test_review_query_count_does_not_grow_with_applications(
    coordinator_client, cohort, django_assert_max_num_queries
):
    for _ in range(3):
        ApplicationFactory(cohort=cohort)
    with django_assert_max_num_queries(8) as few:
        coordinator_client.get(review_url(cohort))
    for _ in range(15):
        ApplicationFactory(cohort=cohort)
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator_client.get(review_url(cohort))


def test_decide_accepts_with_note_and_logs(coordinator_client, coordinator, cohort, apps):
    app = apps["ke"]
    response = coordinator_client.post(
        reverse("applications:decide", args=[cohort.slug, app.pk]),
        {"decision": "accepted", "note": "Strong GAP candidate"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "accepted" and app.decided_by == coordinator
    assert app.decision_note == "Strong GAP candidate"
    assert ActivityLog.objects.filter(action="application.accepted", cohort=cohort).exists()


def test_invalid_decision_is_a_400_with_the_form(coordinator_client, cohort, apps):
    response = coordinator_client.post(
        reverse("applications:decide", args=[cohort.slug, apps["ke"].pk]), {"decision": "maybe"}
    )
    assert response.status_code == 400 and response.context["decision_form"].errors


def test_an_undecided_application_starts_with_no_decision_chosen(coordinator_client, cohort, apps):
    url = reverse("applications:detail", args=[cohort.slug, apps["ke"].pk])
    form = coordinator_client.get(url).context["decision_form"]
    assert form["decision"].value() == ""
    html = str(form["decision"])
    assert '<option value="" selected>— Choose a decision —</option>' in html
    assert 'value="accepted" selected' not in html
    # A decided one shows its decision.
    url = reverse("applications:detail", args=[cohort.slug, apps["br"].pk])
    assert coordinator_client.get(url).context["decision_form"]["decision"].value() == "waitlisted"


def test_a_decision_must_be_chosen(coordinator_client, cohort, apps):
    response = coordinator_client.post(
        reverse("applications:decide", args=[cohort.slug, apps["ke"].pk]),
        {"decision": "", "note": "Looks good"},
    )
    assert response.status_code == 400
    assert response.context["decision_form"].errors["decision"] == ["Choose a decision."]
    assert "Choose a decision." in response.content.decode()
    apps["ke"].refresh_from_db()
    assert apps["ke"].status == "submitted"


def test_drafts_cannot_be_decided(coordinator_client, cohort, apps):
    coordinator_client.post(
        reverse("applications:decide", args=[cohort.slug, apps["draft"].pk]),
        {"decision": "accepted"},
    )
    apps["draft"].refresh_from_db()
    assert apps["draft"].status == "draft"


def test_csv_export(coordinator_client, cohort, apps):
    response = coordinator_client.get(
        reverse("applications:export", args=[cohort.slug]), {"gap": "yes"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert {r["full_name"] for r in rows} == {"Kenyan Lead", "Brazilian Lead"}
    kenyan = next(r for r in rows if r["full_name"] == "Kenyan Lead")
    assert kenyan["gap"] == "yes" and kenyan["region"] == "EMEA"
    assert "Swahili (sw) 3" in kenyan["languages"]


@pytest.mark.parametrize("name", ["applications:review", "applications:export"])
def test_participants_and_visitors_cannot_review(client, participant, cohort, apps, name):
    url = reverse(name, args=[cohort.slug])
    assert client.get(url).status_code in (302, 403)
    client.force_login(participant)
    assert client.get(url).status_code == 403
    # Even applicants of the cohort cannot.
    client.force_login(apps["ke"].applicant)
    assert client.get(url).status_code == 403


def test_coordinator_home_counts(coordinator_client, cohort, apps):
    response = coordinator_client.get(reverse("home"))
    row = next(
        c for c in response.context["blocks_by_name"]["cohorts"]["cohorts"] if c.pk == cohort.pk
    )
    assert row.submitted_count == 3 and row.draft_count == 1


def test_cohort_scoping_of_application_urls(coordinator_client, apps):
    other_cohort = CohortFactory()
    url = reverse("applications:detail", args=[other_cohort.slug, apps["ke"].pk])
    assert coordinator_client.get(url).status_code == 404
    assert Application.objects.filter(pk=apps["ke"].pk).exists()
