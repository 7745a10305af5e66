"""Engine explanations are stored as codes and rendered (translatable, with names) on display."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.template import Context, Template
from django.urls import reverse

from tandem.engines.pairing.reasons import render as english
from tandem.partnerships import reasons as reasons_module
from tandem.partnerships import services
from tandem.partnerships.models import MatchRun, Partnership
from tandem.partnerships.reasons import render
from tests.pairing_fixtures import make_app

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def is_code(item) -> bool:
    return isinstance(item, dict) and set(item) == {"code", "params"}


def test_runs_store_codes_not_sentences(pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    make_app(cohort, "Lou Learner", "learning", needs=["metadata-quality"])  # one too many
    run = services.run_match(cohort, actor=coordinator)
    run.refresh_from_db()
    for pair in run.partnerships.all():
        assert pair.reasons and all(is_code(r) for r in pair.reasons)
        codes = [r["code"] for r in pair.reasons]
        assert codes[0] == "gap_priority" and codes[-1] == "score"  # Kenya, Brazil: GAP
    (left,) = run.result["unmatched"]
    assert is_code(left["why"]) and left["why"]["code"] == "candidates_full"
    assert all(is_code(r) for x in run.result["pairs"] for r in x["reasons"])


def test_run_page_shows_the_unmatched_why_with_names(coordinator_client, pairing_cohort):
    cohort, p = pairing_cohort
    lou = make_app(cohort, "Lou Learner", "learning", needs=["metadata-quality"])
    run = services.run_match(cohort, actor=p["eva"].applicant)
    (left,) = run.result["unmatched"]
    ids = left["why"]["params"]["ids"]
    assert ids and all(re.fullmatch(r"a\d+", i) for i in ids)
    body = coordinator_client.get(reverse("partnerships:run", args=[cohort.slug, run.pk]))
    body = body.content.decode()
    names = {services.pid(a): a.full_name for a in (p["eva"], p["ed"], p["lin"], p["leo"], lou)}
    row = body[body.index("<h2>Unmatched</h2>") :]
    row = row[: row.index("</table>")]
    assert "compatible experienced lead" in row and "at full capacity" in row
    for pid in ids:
        assert names[pid] in row and not re.search(rf"\b{pid}\b", row)


def test_swapped_pair_starts_with_the_swapped_code(pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    run = services.run_match(cohort, actor=coordinator)
    pair = run.partnerships.get(experienced=p["ed"])
    services.swap(pair, p["lin"], actor=coordinator)
    pair.refresh_from_db()
    assert pair.reasons[0] == {"code": "swapped", "params": {}}
    assert render(pair.reasons[0]) == "swapped by programme staff"


def test_partner_card_and_mail_render_the_reasons(client, pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    services.approve_run(services.run_match(cohort, actor=coordinator), actor=coordinator)
    services.publish(cohort, actor=coordinator)
    (to_lin,) = [m for m in mail.outbox if m.to == [p["lin"].email]]
    assert "Why you were matched:\n- Eva has experience in what you asked for help" in to_lin.body
    assert "- You both speak English.\n" in to_lin.body
    assert "'code'" not in to_lin.body and "params" not in to_lin.body
    client.force_login(p["lin"].applicant)
    body = client.get(reverse("home")).content.decode()
    assert "<li>You both speak English.</li>" in body
    assert "&#x27;code&#x27;" not in body


def test_the_tag_renders_names_and_goes_through_gettext(monkeypatch):
    why = {
        "code": "too_little_overlap",
        "params": {
            "side": "experienced",
            "candidates": 2,
            "min_hours": 1.5,
            "best_hours": 0.5,
            "best": "a7",
        },
    }
    people = {"a7": "Ama Mensah"}
    text = Template("{% load reasons %}{% reason r people %}").render(
        Context({"r": why, "people": people})
    )
    assert text == (
        "shares a language with 2 experienced leads from other organisations, but none has "
        "at least 1.5 h/week availability overlap in every week of the period (best: 0.5 h "
        "with Ama Mensah)"
    )
    # every sentence is a gettext message: a catalogue that marks its strings shows it
    monkeypatch.setattr(reasons_module, "_", lambda s: f"[{s}]")
    monkeypatch.setattr(
        reasons_module, "ngettext", lambda one, many, n: f"[{one if n == 1 else many}]"
    )
    assert render({"code": "pinned", "params": {}}) == "[pinned by programme staff]"
    assert render(why, people).startswith("[shares a language with 2 experienced leads")
    assert "[0.5 h] with Ama Mensah" in render(why, people)


def test_app_english_is_the_engines_english(pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    make_app(cohort, "Lou Learner", "learning", needs=["metadata-quality"])
    run = services.run_match(cohort, actor=coordinator)
    items = [r for x in run.result["pairs"] for r in x["reasons"]]
    items += [u["why"] for u in run.result["unmatched"]]
    assert items
    for item in items:
        assert render(item) == english(item)


MIGRATION = importlib.import_module("tandem.partnerships.migrations.0003_reasons_as_codes")


def test_migration_wraps_stored_english_as_legacy(pairing_cohort, coordinator):
    cohort, p = pairing_cohort
    lou = make_app(cohort, "Lou Learner", "learning", needs=["metadata-quality"])
    run = services.run_match(cohort, actor=coordinator)
    eva, ed = services.pid(p["eva"]), services.pid(p["ed"])
    old_why = f"all 2 compatible experienced lead(s) ({eva}, {ed}) are at full capacity"
    run.result = {
        **run.result,
        "pairs": [{"experienced": eva, "learning": "a0", "reasons": ["6 h/week overlap"]}],
        "unmatched": [{"id": services.pid(lou), "why": old_why}],
    }
    run.save()
    pair = run.partnerships.first()
    Partnership.objects.filter(pk=pair.pk).update(reasons=["pinned by programme staff", "x"])

    MIGRATION.forwards(django_apps, None)
    pair.refresh_from_db()
    run.refresh_from_db()
    assert pair.reasons == [
        {"code": "legacy", "params": {"text": "pinned by programme staff"}},
        {"code": "legacy", "params": {"text": "x"}},
    ]
    assert run.result["pairs"][0]["reasons"] == [
        {"code": "legacy", "params": {"text": "6 h/week overlap"}}
    ]
    assert run.result["unmatched"][0]["why"] == {
        "code": "legacy",
        "params": {
            "text": "all 2 compatible experienced lead(s) (Eva Expert, Ed Elder) are at full "
            "capacity"
        },
    }
    assert render(pair.reasons[0]) == "pinned by programme staff"
    others = Partnership.objects.exclude(pk=pair.pk)
    assert all(is_code(r) and r["code"] != "legacy" for x in others for r in x.reasons)

    MIGRATION.forwards(django_apps, None)  # running twice changes nothing
    assert MatchRun.objects.get(pk=run.pk).result == run.result

    MIGRATION.backwards(django_apps, None)
    pair.refresh_from_db()
    assert pair.reasons == ["pinned by programme staff", "x"]
    assert all(isinstance(r, str) for x in others.all() for r in x.reasons)


@pytest.mark.parametrize("count", [1, 2])
def test_staff_reasons_read_as_words_not_as_code(count):
    """No ``lead(s)``, ``pair(s)`` or ``>=`` on the run review: singular and plural are written
    out, levels in words, and the app's English is still the engine's."""
    ids = [f"e{i}" for i in range(count)]
    items = [
        {"code": "no_shared_language", "params": {"min_level": 2}},
        {"code": "no_language_match", "params": {"side": "learning", "min_level": 2}},
        {
            "code": "too_little_overlap",
            "params": {
                "side": "experienced",
                "candidates": count,
                "min_hours": 2,
                "best_hours": 0.5,
                "best": "e0",
            },
        },
        {
            "code": "too_little_overlap",
            "params": {"side": "learning", "candidates": count, "min_hours": 2},
        },
        {
            "code": "candidates_full",
            "params": {
                "count": count,
                "ids": ids,
                "more": 0,
                "method": "optimal",
                "fixed": count,
                "gap": count,
                "higher_score": count,
            },
        },
        {
            "code": "candidates_taken",
            "params": {"count": count, "ids": ids, "more": 0, "method": "optimal"},
        },
    ]
    for item in items:
        text = render(item)
        assert "(s)" not in text and ">=" not in text, text
        assert text == english(item)
