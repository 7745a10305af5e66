"""Participants read why they were matched in plain words; staff keep the detailed reasons."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from tandem.partnerships import services

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

#: What staff read and participants must not: engine vocabulary, numbers, slugs, unmet needs.
RAW = (">=", "&gt;=", "score", "not covered", "proficiency", "metadata-quality", "/3", "GAP-region")


def _publish(cohort, coordinator, **params):
    run = services.run_match(cohort, actor=coordinator, **params)
    services.approve_run(run, actor=coordinator)
    services.publish(cohort, actor=coordinator)
    return run


def _why(body: str) -> str:
    start = body.index("Why you were matched")
    return body[start : body.index("</details>", start)]


def _mail_to(app) -> str:
    (message,) = [m for m in mail.outbox if m.to == [app.applicant.email]]
    return message.body


def test_home_block_and_mail_read_plain_sentences_with_topic_names(
    client, pairing_cohort, coordinator
):
    cohort, p = pairing_cohort
    _publish(cohort, coordinator)
    pair = cohort.partnerships.get(experienced=p["eva"])
    assert any(r["code"] == "score" for r in pair.reasons)  # staff still have the details
    client.force_login(p["lin"].applicant)
    why = _why(client.get(reverse("home")).content.decode())
    text = _mail_to(p["lin"])
    text = text[text.index("Why you were matched") : text.index("See your partner")]
    for shown, topic in (
        (why, escape("Metadata schema & quality")),
        (text, "Metadata schema & quality"),
    ):
        assert f"Eva has experience in what you asked for help with: {topic}." in shown
        assert "You both speak English." in shown
        assert re.search(r"You are both available for about \d+ hours? a week\.", shown)
        for raw in RAW:
            assert raw not in shown, raw
    eva = _mail_to(p["eva"])
    assert (
        "Lin is looking for help with Metadata schema & quality, where you have experience." in eva
    )
    assert "chose this partnership" not in eva


def test_a_pinned_pair_reads_as_chosen_by_the_programme_team(client, pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    _publish(cohort, coordinator, pinned=[(p["ed"].pk, p["lin"].pk)])
    assert cohort.partnerships.get(experienced=p["ed"]).pinned
    assert "The programme team chose this partnership for you." in _mail_to(p["ed"])
    client.force_login(p["lin"].applicant)
    why = _why(client.get(reverse("home")).content.decode())
    assert "The programme team chose this partnership for you." in why
    for raw in RAW:
        assert raw not in why, raw


def test_the_run_review_keeps_the_detailed_reasons(coordinator_client, pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    run = services.run_match(cohort, actor=coordinator)
    body = coordinator_client.get(reverse("partnerships:run", args=[cohort.slug, run.pk]))
    assert "covers 1 of 1 needs" in body.content.decode() and "score 0." in body.content.decode()
