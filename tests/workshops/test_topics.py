"""Workshop topics chosen with the cohort: propose, upvote (one per person, htmx in place or
a form post), the ranking, the coordinators' count of applicants with the same challenge (one
query, no N+1), and planning a workshop from a proposal."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.applications.models import Application
from tandem.cohorts.models import Topic
from tandem.core.models import ActivityLog
from tandem.workshops import proposals
from tandem.workshops.models import TopicProposal, TopicVote
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.cohorts.factories import CohortFactory
from tests.pairing_fixtures import make_app
from tests.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 4, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cohort():
    return CohortFactory(slug="c26")


def person(cohort, name="P", needs=(), status="accepted"):
    return make_app(cohort, name, "learning", needs=needs, status=status).applicant


def url(name, *args):
    return reverse(f"workshops:{name}", args=["c26", *args])


def test_a_participant_proposes_and_their_vote_is_counted(client, cohort):
    lin = person(cohort, "Lin")
    fees = Topic.objects.create(slug="fees", name="Fees")
    client.force_login(lin)
    response = client.post(
        url("topics"), {"title": "Setting member fees", "description": "How?", "topic": fees.pk}
    )
    assert response.status_code == 302
    proposal = TopicProposal.objects.get()
    assert (proposal.cohort, proposal.topic, proposal.proposed_by) == (cohort, fees, lin)
    assert TopicVote.objects.filter(proposal=proposal, voter=lin).exists()
    assert ActivityLog.objects.filter(action="workshops.topic_proposed").exists()


def test_a_proposal_without_title_is_a_form_error(client, cohort):
    client.force_login(person(cohort))
    response = client.post(url("topics"), {"title": " ", "topic": "nonsense"})
    assert response.status_code == 400
    assert not TopicProposal.objects.exists()


def test_outsiders_neither_see_nor_propose(client, cohort):
    other = CohortFactory(slug="other")
    client.force_login(person(other))
    assert client.get(url("topics")).status_code == 403
    assert client.post(url("topics"), {"title": "Mine"}).status_code == 403


def test_voting_toggles_one_vote_per_person(client, cohort):
    lin, eva = person(cohort, "Lin"), person(cohort, "Eva")
    proposal = proposals.propose(cohort, actor=lin, title="Governance models")
    client.force_login(eva)
    response = client.post(url("topic_vote", proposal.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-pressed="true"' in body and ">2<" in body
    assert proposals.vote_count(proposal) == 2
    client.post(url("topic_vote", proposal.pk), HTTP_HX_REQUEST="true")
    assert proposals.vote_count(proposal) == 1
    response = client.post(url("topic_vote", proposal.pk))  # without JS: back to the list
    assert response.status_code == 302 and response["Location"].endswith(f"#proposal-{proposal.pk}")
    assert proposals.vote_count(proposal) == 2


def test_coordinators_do_not_vote(client, cohort):
    proposal = proposals.propose(cohort, actor=person(cohort), title="Outreach")
    client.force_login(CoordinatorFactory())
    assert client.post(url("topic_vote", proposal.pk)).status_code == 403


def test_a_proposal_of_another_cohort_is_not_found(client, cohort):
    other = CohortFactory(slug="other")
    proposal = proposals.propose(other, actor=person(other), title="Elsewhere")
    client.force_login(person(cohort))
    assert client.post(url("topic_vote", proposal.pk)).status_code == 404


def test_ranking_by_votes_then_newest(cohort):
    people = [person(cohort, f"P{i}") for i in range(4)]
    a = proposals.propose(cohort, actor=people[0], title="A topic")
    b = proposals.propose(cohort, actor=people[1], title="B topic")
    for p in people[2:]:
        proposals.toggle_vote(a, actor=p)
    c = proposals.propose(cohort, actor=people[2], title="C topic")
    ranked = list(proposals.ranking(cohort, people[3]))
    assert [p.pk for p in ranked] == [a.pk, c.pk, b.pk]
    assert [p.vote_count for p in ranked] == [3, 1, 1]
    assert [p.voted for p in ranked] == [True, False, False]


def test_applicant_counts_name_the_same_challenge(cohort):
    person(cohort, "A", needs=["fees"])
    person(cohort, "B", needs=["fees", "outreach"], status="submitted")
    person(cohort, "C", needs=["fees"], status="draft")  # not an applicant yet
    person(CohortFactory(), "D", needs=["fees"])  # another cohort
    make_app(cohort, "E", "experienced", expertise=[("fees", 3)])  # offers it, no challenge
    fees, outreach = Topic.objects.get(slug="fees"), Topic.objects.get(slug="outreach")
    assert proposals.applicant_counts(cohort, [fees.pk, outreach.pk, None]) == {
        fees.pk: 2,
        outreach.pk: 1,
    }


def test_coordinators_see_counts_and_plan_links_in_constant_queries(client, cohort):
    topics = [Topic.objects.create(slug=f"t{i}", name=f"T{i}") for i in range(12)]
    lin = person(cohort, "Lin", needs=["t0"])
    client.force_login(CoordinatorFactory())

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("topics"))
        assert response.status_code == 200
        return len(queries), response.content.decode()

    proposals.propose(cohort, actor=lin, title="About T0", topic=topics[0])
    small, body = measure()
    assert "1 applicant named this challenge" in body
    assert f"?proposal={TopicProposal.objects.get().pk}" in body
    for i, topic in enumerate(topics[1:]):
        proposals.propose(cohort, actor=person(cohort, f"X{i}"), title=f"About {i}", topic=topic)
    large, _body = measure()
    assert large == small


def test_participants_do_not_see_applicant_counts(client, cohort):
    lin = person(cohort, "Lin", needs=["fees"])
    proposals.propose(cohort, actor=lin, title="Fees", topic=Topic.objects.get(slug="fees"))
    client.force_login(lin)
    body = client.get(url("topics")).content.decode()
    assert "named this challenge" not in body and "?proposal=" not in body


def test_planning_from_a_proposal_links_it(cohort):
    coordinator = CoordinatorFactory()
    proposal = proposals.propose(cohort, actor=person(cohort), title="Budgets")
    assert proposals.proposal_for_planning(cohort, str(proposal.pk)) == proposal
    assert proposals.proposal_for_planning(cohort, "x") is None
    assert proposals.proposal_for_planning(CohortFactory(), proposal.pk) is None
    assert proposals.initial_from(proposal)["title"] == "Budgets"
    workshop = WorkshopFactory(cohort=cohort)
    proposals.plan_from(proposal, workshop, actor=coordinator)
    proposal.refresh_from_db()
    assert proposal.workshop == workshop
    with pytest.raises(proposals.ProposalError):
        proposals.plan_from(proposal, WorkshopFactory(), actor=coordinator)


def test_withdraw_own_proposal_or_as_coordinator(client, cohort):
    lin, eva = person(cohort, "Lin"), person(cohort, "Eva")
    mine = proposals.propose(cohort, actor=lin, title="Mine topic")
    client.force_login(eva)
    assert client.post(url("topic_delete", mine.pk)).status_code == 403
    client.force_login(lin)
    assert client.post(url("topic_delete", mine.pk)).status_code == 302
    assert not TopicProposal.objects.exists()
    planned = proposals.propose(cohort, actor=lin, title="Planned topic")
    planned.workshop = WorkshopFactory(cohort=cohort)
    planned.save()
    client.force_login(CoordinatorFactory())
    client.post(url("topic_delete", planned.pk))
    assert TopicProposal.objects.filter(pk=planned.pk).exists()  # planned: it stays


def test_a_newcomer_who_is_only_signed_in_cannot_vote(client, cohort):
    proposal = proposals.propose(cohort, actor=person(cohort), title="Topic")
    client.force_login(UserFactory())
    assert client.post(url("topic_vote", proposal.pk)).status_code == 403
    assert Application.objects.count() == 1


def test_plan_a_workshop_from_a_proposal_prefills_the_form_and_links_it(client, cohort):
    fees = Topic.objects.create(slug="fees", name="Fees")
    proposal = proposals.propose(
        cohort, actor=person(cohort), title="Setting member fees", topic=fees
    )
    client.force_login(CoordinatorFactory())
    create = reverse("workshops:create", args=["c26"]) + f"?proposal={proposal.pk}"
    body = client.get(create).content.decode()
    assert 'value="Setting member fees"' in body
    assert "checked" in body  # the proposal's topic is ticked
    response = client.post(
        create,
        {
            "title": "Fees, hands-on",
            "topics": [fees.pk],
            "description": "",
            "language": "en",
            "video_url": "",
            "capacity": "20",
            "gap_share": "0",
            "offer_hours": "24",
            "sessions-TOTAL_FORMS": "1",
            "sessions-INITIAL_FORMS": "0",
            "sessions-MIN_NUM_FORMS": "0",
            "sessions-MAX_NUM_FORMS": "1000",
            "sessions-0-label": "All",
            "sessions-0-starts_local": "2026-06-01T14:00",
            "sessions-0-timezone": "Europe/Berlin",
            "sessions-0-duration_minutes": "90",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal.refresh_from_db()
    assert proposal.workshop is not None and proposal.workshop.title == "Fees, hands-on"
    assert ActivityLog.objects.filter(action="workshops.topic_planned").exists()


def test_a_foreign_or_malformed_proposal_link_plans_from_scratch(client, cohort):
    other = CohortFactory(slug="other")
    proposal = proposals.propose(other, actor=person(other), title="Elsewhere topic")
    client.force_login(CoordinatorFactory())
    for value in (proposal.pk, "x"):
        url_ = reverse("workshops:create", args=["c26"]) + f"?proposal={value}"
        response = client.get(url_)
        assert response.status_code == 200
        assert "Elsewhere topic" not in response.content.decode()
