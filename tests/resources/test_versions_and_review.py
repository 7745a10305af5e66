"""Versions (earlier ones stay downloadable; search follows the latest), the review queue
(participants' resources for a cohort or wider wait for a coordinator; their pair's do not),
usefulness once per person, comments, and what the other apps call: ``services.share``."""

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from tandem.resources import selectors, services
from tandem.resources.models import Resource, Status, Visibility
from tandem.resources.selectors import Filters
from tests.pairing_fixtures import make_app

from .factories import make_resource, text_file

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def lin(published_pair):
    return published_pair[1]["lin"].applicant


def test_new_versions_keep_the_earlier_ones_and_search_follows_the_latest(client, coordinator):
    resource = make_resource(coordinator, file=text_file("first draft mentions pangolin"))
    client.force_login(coordinator)
    response = client.post(
        reverse("resources:new_version", args=[resource.pk]),
        {"file": text_file("second draft mentions okapi", "notes-v2.md"), "change_note": "Okapi"},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.version_count == 2
    latest = client.get(reverse("resources:download", args=[resource.pk]))
    first = client.get(reverse("resources:version_download", args=[resource.pk, 1]))
    assert b"okapi" in b"".join(latest.streaming_content)
    assert b"pangolin" in b"".join(first.streaming_content)
    assert (
        client.get(reverse("resources:version_download", args=[resource.pk, 3])).status_code == 404
    )
    detail = client.get(resource.get_absolute_url()).content.decode()
    assert "Okapi" in detail and "notes-v2.md" in detail
    assert list(selectors.search(None, Filters(q="okapi"))) == [resource]
    assert list(selectors.search(None, Filters(q="pangolin"))) == []
    listing = client.get(reverse("resources:library")).content.decode()
    assert "version 2" in listing


def test_a_participants_cohort_resource_waits_for_review(client, lin, coordinator, published_pair):
    cohort = published_pair[0]
    resource = services.share(
        lin, title="Budget sheet", file=text_file(), visibility=Visibility.COHORT
    )
    assert resource.status == Status.PENDING and resource.cohort == cohort
    eva = published_pair[1]["eva"].applicant
    assert not selectors.visible_to(eva).filter(pk=resource.pk).exists()
    client.force_login(coordinator)
    queue = client.get(reverse("resources:review_queue")).content.decode()
    assert "Budget sheet" in queue
    response = client.post(
        reverse("resources:decide", args=[resource.pk]),
        {"decision": "changes", "note": "Please add the currency."},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == Status.CHANGES and resource.review_note == "Please add the currency."
    assert mail.outbox[-1].to == [lin.email]
    assert "Please add the currency." in mail.outbox[-1].body
    # No note, no "ask for changes".
    refused = client.post(reverse("resources:decide", args=[resource.pk]), {"decision": "changes"})
    assert refused.status_code == 400
    client.post(reverse("resources:decide", args=[resource.pk]), {"decision": "approve"})
    resource.refresh_from_db()
    assert resource.status == Status.PUBLISHED
    assert mail.outbox[-1].subject == "Published in the library: Budget sheet"
    assert selectors.visible_to(eva).filter(pk=resource.pk).exists()


def test_a_pair_resource_needs_no_review(lin, published_pair):
    resource = services.share(lin, title="Our notes", file=text_file(), visibility=Visibility.PAIR)
    assert resource.status == Status.PUBLISHED and resource.partnership == published_pair[2]


def test_a_participant_without_a_pair_cannot_share_with_a_pair(client, published_pair):
    nia = make_app(published_pair[0], "Nia Newly Accepted", "learning").applicant
    client.force_login(nia)
    response = client.post(
        reverse("resources:share"),
        {
            "title": "Mine",
            "kind": "template",
            "language": "en",
            "licence": "CC-BY-4.0",
            "visibility": "pair",
            "file": text_file(),
        },
    )
    assert response.status_code == 400
    assert "needs a published partnership" in response.content.decode()


def test_a_participants_new_version_of_a_reviewed_resource_goes_back_to_review(lin, coordinator):
    resource = make_resource(lin, visibility=Visibility.PUBLIC, status=Status.PUBLISHED)
    services.add_version(lin, resource, file=text_file("new words"), change_note="More")
    resource.refresh_from_db()
    assert resource.status == Status.PENDING
    services.add_version(coordinator, resource, file=text_file("fixed"), change_note="Fix")
    resource.refresh_from_db()
    assert resource.status == Status.PENDING  # a coordinator's version changes no status


def test_useful_once_per_person_and_comments(client, lin, coordinator):
    resource = make_resource(coordinator)
    client.force_login(lin)
    url = reverse("resources:useful", args=[resource.pk])
    client.post(url)
    resource.refresh_from_db()
    assert resource.useful_count == 1
    client.post(url)  # undo
    resource.refresh_from_db()
    assert resource.useful_count == 0
    client.post(url)
    client.post(reverse("resources:comment", args=[resource.pk]), {"body": "Used it, thanks!"})
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Used it, thanks!" in page and "Useful ✓" in page


def test_coordinators_feature_edit_and_remove(client, coordinator, lin):
    resource = make_resource(lin, visibility=Visibility.PAIR)
    client.force_login(coordinator)
    client.post(reverse("resources:feature", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.featured
    client.post(reverse("resources:remove", args=[resource.pk]))
    assert Resource.objects.get(pk=resource.pk).status == Status.REMOVED
    assert client.get(resource.get_absolute_url()).status_code == 404


def test_share_files_a_link_for_other_apps(coordinator, cohort):
    resource = services.share(
        coordinator,
        title="Workshop recording",
        url="https://example.org/rec",
        kind="recording",
        visibility=Visibility.COHORT,
        cohort=cohort,
        language="en",
    )
    assert resource.status == Status.PUBLISHED
    assert resource.versions.get().url == "https://example.org/rec"


def test_large_files_are_read_by_a_task(settings, coordinator):
    settings.TANDEM_RESOURCE_SYNC_EXTRACT_BYTES = 5
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with TestCase.captureOnCommitCallbacks(execute=True):
        resource = make_resource(coordinator, file=text_file("the capybara clause"))
    assert resource.versions.get().extracted
    assert list(selectors.search(None, Filters(q="capybara"))) == [resource]
