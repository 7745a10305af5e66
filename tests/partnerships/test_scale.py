"""Pairing at any cohort size (issue 13): the pages cost the same number of queries at 10 and
at 200 participants, nothing lists everyone (swaps, pins and forbids are searched), and a large
match runs as a task with its progress on the run page."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tandem.applications.models import Application
from tandem.core.models import ActivityLog
from tandem.partnerships import services, tasks, views
from tandem.partnerships.models import MatchRun, PairingProfile, Partnership
from tests.cohorts.factories import CohortFactory
from tests.pairing_fixtures import make_app

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
COUNTRIES = ["KE", "DE", "BR", "IN", "GB", "NP", "AU", "CL", "FR", "GH"]
ZONES = ["Africa/Nairobi", "Europe/Berlin", "Europe/London", "Asia/Kolkata"]


def cohort_of(n: int, slug: str):
    """``n`` accepted participants, every other one an experienced lead of capacity 1."""
    cohort = CohortFactory(slug=slug)
    for k in range(n):
        experienced = k % 2 == 0
        make_app(
            cohort,
            f"{'Expert' if experienced else 'Learner'} {k:03d}",
            "experienced" if experienced else "learning",
            country=COUNTRIES[k % len(COUNTRIES)],
            years=6 if experienced else 1,
            tz=ZONES[k % len(ZONES)],
            expertise=[("metadata-quality", 3)] if experienced else (),
            needs=() if experienced else ["metadata-quality"],
        )
    return cohort


def queries(client, url: str, **headers) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response.content.decode()


@pytest.fixture
def small_and_large(coordinator):
    """Two cohorts, 10 and 200 participants, each matched, approved and published."""
    out = {}
    for n in (10, 200):
        cohort = cohort_of(n, f"scale-{n}")
        run = services.run_match(cohort, actor=coordinator)
        assert run.stats["pairs"] == n // 2
        services.approve_run(run, actor=coordinator)
        services.publish(cohort, actor=coordinator, notify=False)
        out[n] = (cohort, services.run_match(cohort, actor=coordinator))  # a re-run: all kept
    return out


def test_run_review_pairing_home_and_participant_home_cost_the_same_at_10_and_200(
    client, coordinator, small_and_large
):
    counts = {}
    for n, (cohort, run) in small_and_large.items():
        first = Partnership.objects.filter(cohort=cohort, status="published").order_by("pk")[0]
        client.force_login(coordinator)
        published_run = first.run
        counts[n] = {
            "run review": queries(client, reverse("partnerships:run", args=[cohort.slug, run.pk])),
            "run review, published": queries(
                client, reverse("partnerships:run", args=[cohort.slug, published_run.pk])
            ),
            "pairing home": queries(client, reverse("partnerships:home", args=[cohort.slug])),
        }
        client.force_login(first.learning.applicant)
        counts[n]["participant home"] = queries(client, reverse("home"))
    for page in counts[10]:
        assert counts[10][page][0] == counts[200][page][0], page
    small, large = counts[10], counts[200]
    # One page of rows at any size: nobody is listed in a select of everyone.
    assert len(large["pairing home"][1]) < 2 * len(small["pairing home"][1]) + 60_000
    assert len(large["run review, published"][1]) < len(small["run review, published"][1]) * 12
    body = large["run review, published"][1]
    assert '<select name="learning"' not in body and "Page 1 of 2" in body
    assert "Your partner in" in large["participant home"][1]


def test_proposals_are_paged_and_searched_and_every_swap_is_searchable(
    client, coordinator, settings
):
    cohort = cohort_of(120, "paged")
    run = services.run_match(cohort, actor=coordinator)
    client.force_login(coordinator)
    url = reverse("partnerships:run", args=[cohort.slug, run.pk])
    first = client.get(url)
    per_page = views.RUN_PAGE
    assert first.context["page"].paginator.count == 60 and len(first.context["rows"]) == per_page
    last = client.get(url + f"?page={60 // per_page}")
    assert len(last.context["rows"]) == per_page and last.context["page"].number == 60 // per_page
    beyond = client.get(url + "?page=999")  # past the end: the last page, not an error
    assert beyond.status_code == 200 and beyond.context["page"].number == 60 // per_page
    # each row's alternatives come out of the run's document, as the engine ranked them
    stored = MatchRun.objects.get(pk=run.pk).alternatives
    names = {services.pid(a.pk): a.full_name for a in Application.objects.filter(cohort=cohort)}
    for row in first.context["rows"]:
        pid = services.pid(row["pair"].experienced_id)
        expected = [(names[a["id"]], f"{a['score']:.2f}") for a in stored.get(pid, [])]
        assert row["alt_e"] == expected and expected
    found = client.get(url + "?q=Learner+007")
    assert [r["pair"].learning.full_name for r in found.context["rows"]] == ["Learner 007"]
    assert "q=Learner+007" not in first.content.decode()  # the search is kept in page links…
    paged = client.get(url + "?q=Learner&page=2").content.decode()
    assert "q=Learner&amp;page=1" in paged  # …as here

    pair = run.partnerships.get(learning__full_name="Learner 007")
    search = reverse("partnerships:swap_search", args=[cohort.slug, pair.pk])
    options = client.get(search, headers={"hx-request": "true"}).context["options"]
    assert 0 < len(options) <= services.SWAP_OPTIONS
    scores = [o["score"] for o in options]
    assert scores == sorted(scores, reverse=True)
    assert pair.learning_id not in {o["application"].pk for o in options}
    # Anyone free can be found by name, and is offered with the score a swap then gives.
    named = client.get(search + "?q=Learner+119").context["options"]
    assert [o["application"].full_name for o in named] == ["Learner 119"]
    other = named[0]
    client.post(
        reverse("partnerships:pair_action", args=[cohort.slug, pair.pk, "swap"]),
        {"learning": other["application"].pk},
    )
    pair.refresh_from_db()
    assert pair.learning_id == other["application"].pk
    assert pair.score == other["score"] and pair.reasons[0]["code"] == "swapped"


def test_the_swap_score_is_the_runs_score_for_that_pair(pairing_cohort, coordinator):
    cohort, people = pairing_cohort
    run = services.run_match(cohort, actor=coordinator)
    for pair in run.partnerships.all():
        verdict = services.score_pair(run, pair.experienced_id, pair.learning_id)
        assert verdict["score"] == pair.score and verdict["reasons"] == pair.reasons


def test_pins_and_forbids_are_searched_by_role(client, coordinator, pairing_cohort):
    cohort, people = pairing_cohort
    client.force_login(coordinator)
    url = reverse("partnerships:people_search", args=[cohort.slug])
    body = client.get(url, {"field": "pin_0_e", "pin_0_e_q": "eva"}).content.decode()
    assert re.search(rf'<option value="{people["eva"].pk}" selected>Eva Expert', body)
    assert 'name="pin_0_e"' in body and 'id="id_pin_0_e"' in body
    learners = client.get(url, {"field": "forbid_3_l", "forbid_3_l_q": "e"}).content.decode()
    assert "Lin Learner" in learners and "Leo Learner" in learners
    assert "Eva Expert" not in learners and "Wendy" not in learners  # role; accepted only
    assert "Nobody matches" in client.get(url, {"field": "pin_0_l", "pin_0_l_q": "Eva"}).text
    assert client.get(url, {"field": "pin_9_x"}).status_code == 400
    # The form offers only the chosen person and refuses a learning lead as experienced.
    home = client.get(reverse("partnerships:home", args=[cohort.slug])).content.decode()
    assert home.count("<option") < 40
    response = client.post(
        reverse("partnerships:run_create", args=[cohort.slug]),
        {
            "min_overlap_hours": "1",
            "w_expertise": "1",
            "w_goals": "0",
            "w_language": "0",
            "w_overlap": "0",
            "w_gap": "0",
            "pin_0_e": people["lin"].pk,
            "pin_0_l": people["leo"].pk,
        },
    )
    assert response.status_code == 400 and not MatchRun.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_roles_in_sql_are_the_roles_in_python(pairing_cohort, coordinator):
    cohort, _ = pairing_cohort
    combos = [
        ("either", 5, 2, 3, ()),
        ("either", 1, 4, 3, ()),
        ("either", 1, 2, 20, [("outreach", 3)]),
        ("either", 1, 2, 20, [("outreach", 2)]),
        ("either", None, None, None, ()),
        ("", 1, 1, 1, ()),
    ]
    for k, (preferred, years, level, orgs, expertise) in enumerate(combos):
        app = make_app(cohort, f"Either {k}", preferred, expertise=expertise)
        Application.objects.filter(pk=app.pk).update(
            years_leading=years, experience_level=level, consortium_org_count=orgs
        )
    lin = Application.objects.get(full_name="Lin Learner")
    services.set_role(lin, "experienced", 2, actor=coordinator)
    PairingProfile.objects.create(application=make_app(cohort, "Blank Role", "learning"), role="")
    annotated = services.with_roles(services.accepted_applications(cohort))
    assert len(annotated) == 11
    for app in annotated:
        assert app.proposed_pairing_role == services.proposed_role(app), app.full_name
        assert app.pairing_role == services.effective_role(app), app.full_name


def test_roles_table_is_searched_and_paged_and_a_save_returns_to_its_page(client, coordinator):
    cohort = cohort_of(60, "roles")
    client.force_login(coordinator)
    url = reverse("partnerships:home", args=[cohort.slug])
    page = client.get(url)
    assert page.context["roles"].paginator.count == 60 and len(page.context["roles"]) == 50
    learners = client.get(url, {"role": "learning", "q": "Learner 05"}).context["roles"]
    assert [a.full_name for a in learners] == [f"Learner {k:03d}" for k in (51, 53, 55, 57, 59)]
    app = learners[0]
    response = client.post(
        reverse("partnerships:set_role", args=[cohort.slug, app.pk]),
        {"role": "experienced", "capacity": "2", "back": "?role=learning&roles_page=1"},
    )
    assert response["Location"] == url + "?role=learning&roles_page=1"
    assert services.effective_role(Application.objects.get(pk=app.pk)) == "experienced"
    elsewhere = client.post(
        reverse("partnerships:set_role", args=[cohort.slug, app.pk]),
        {"role": "", "capacity": "1", "back": "https://evil.example/"},
    )
    assert elsewhere["Location"] == url


# --- Large runs are tasks ------------------------------------------------------------------------


def run_form(**extra):
    return {
        "min_overlap_hours": "1",
        "w_expertise": "0.35",
        "w_goals": "0.2",
        "w_language": "0.1",
        "w_overlap": "0.2",
        "w_gap": "0.15",
        **{k: str(v) for k, v in extra.items()},
    }


def test_a_small_match_runs_in_the_request(client, coordinator, pairing_cohort, settings):
    cohort, _ = pairing_cohort
    settings.TASKS = DATABASE  # would need a worker: not used below the limit
    client.force_login(coordinator)
    response = client.post(reverse("partnerships:run_create", args=[cohort.slug]), run_form())
    run = MatchRun.objects.get()
    assert response.status_code == 302 and run.status == MatchRun.Status.DONE
    assert not DBTaskResult.objects.exists()


def test_a_large_match_is_a_task_immediate_backend(client, coordinator, pairing_cohort, settings):
    cohort, people = pairing_cohort
    settings.TASKS, settings.TANDEM_SYNC_MATCH_LIMIT = IMMEDIATE, 3
    client.force_login(coordinator)
    response = client.post(
        reverse("partnerships:run_create", args=[cohort.slug]), run_form(), follow=True
    )
    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.DONE and run.progress == 100
    assert run.stats["pairs"] == 2 and run.partnerships.count() == 2
    assert run.alternatives[services.pid(people["lin"])][0]["id"] == services.pid(people["eva"])
    body = response.content.decode()
    assert f"Match run #{run.pk} finished." in body and "Eva Expert" in body


def test_a_large_match_waits_for_the_worker_with_its_progress_on_the_page(
    client, coordinator, pairing_cohort, settings, monkeypatch
):
    cohort, people = pairing_cohort
    settings.TASKS, settings.TANDEM_SYNC_MATCH_LIMIT = DATABASE, 3
    client.force_login(coordinator)
    response = client.post(
        reverse("partnerships:run_create", args=[cohort.slug]), run_form(), follow=True
    )
    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.QUEUED and DBTaskResult.objects.count() == 1
    assert not run.partnerships.exists()
    body = response.content.decode()
    status_url = reverse("partnerships:run_status", args=[cohort.slug, run.pk])
    assert "running in the background" in body and f'hx-get="{status_url}"' in body
    assert 'hx-trigger="every 1s"' in body and "waiting for a worker" in body
    polled = client.get(status_url, headers={"hx-request": "true"})
    assert polled.status_code == 200 and "<progress" in polled.content.decode()

    stages = []
    report = services._report
    monkeypatch.setattr(
        services,
        "_report",
        lambda r, status, stage, error="": (
            stages.append((status, stage)),
            report(r, status, stage, error),
        ),
    )
    monkeypatch.setattr(  # the worker recycles connections; inside the test transaction it must not
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert stages == [
        ("running", "reading"),
        ("running", "scoring"),
        ("running", "solving"),
        ("running", "explaining"),
        ("running", "alternatives"),
        ("running", "saving"),
    ]
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE and run.progress == 100
    assert run.partnerships.count() == 2
    done = client.get(status_url, headers={"hx-request": "true"})
    assert done["HX-Refresh"] == "true"
    assert client.get(status_url)["Location"] == reverse(
        "partnerships:run", args=[cohort.slug, run.pk]
    )
    page = client.get(reverse("partnerships:run", args=[cohort.slug, run.pk])).content.decode()
    assert "Eva Expert" in page and "run-status" not in page
    assert services.compute_queued_run(run.pk).status == "done"  # a retry changes nothing
    assert run.partnerships.count() == 2


def test_a_failed_task_shows_the_engines_message(client, coordinator, pairing_cohort, settings):
    cohort, people = pairing_cohort
    settings.TASKS, settings.TANDEM_SYNC_MATCH_LIMIT = IMMEDIATE, 3
    client.force_login(coordinator)
    eva, lin, leo = people["eva"], people["lin"], people["leo"]
    response = client.post(  # Eva (capacity 1) pinned to two learners
        reverse("partnerships:run_create", args=[cohort.slug]),
        run_form(pin_0_e=eva.pk, pin_0_l=lin.pk, pin_1_e=eva.pk, pin_1_l=leo.pk),
        follow=True,
    )
    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.FAILED
    assert "exceed the capacity 1" in run.error and not run.partnerships.exists()
    body = response.content.decode()
    assert "failed" in body and "exceed the capacity 1" in body and "every 1s" not in body


def test_an_unexpected_error_fails_the_run_and_the_task(coordinator, pairing_cohort, monkeypatch):
    cohort, _ = pairing_cohort
    run = services.queue_match(cohort, actor=coordinator)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "solve", broken)
    with pytest.raises(RuntimeError):
        tasks.run_match_task.call(run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "disk full" in run.error


# --- Approving a whole run -----------------------------------------------------------------------


class _Undo(Exception):
    pass


def test_approve_all_decides_like_approving_one_by_one(pairing_cohort, coordinator):
    """Capacity, a learner proposed twice, a withdrawn participant, someone in the other role:
    the batch approves and refuses exactly what approve() pair by pair does, in the same words."""
    cohort, p = pairing_cohort
    lou = make_app(cohort, "Lou Learner", "learning", needs=["metadata-quality"])
    gone = make_app(cohort, "Gil Gone", "learning")
    run = services.run_match(cohort, actor=coordinator)
    run.partnerships.all().delete()
    for e, lrn, score in [
        (p["eva"], p["lin"], 0.9),
        (p["eva"], lou, 0.8),  # Eva has capacity 1
        (p["ed"], p["lin"], 0.7),  # Lin proposed twice
        (p["ed"], gone, 0.6),  # withdrawn below
        (p["ed"], p["leo"], 0.5),
        (p["leo"], lou, 0.4),  # Leo learns from Ed: he cannot lead too
    ]:
        Partnership.objects.create(cohort=cohort, run=run, experienced=e, learning=lrn, score=score)
    Application.objects.filter(pk=gone.pk).update(status="withdrawn")

    one_by_one = []
    try:
        with transaction.atomic():
            for pair in run.partnerships.filter(status="proposed"):
                try:
                    services.approve(pair, actor=coordinator)
                    one_by_one.append(("ok", pair.pk))
                except services.PairingConflict as error:
                    one_by_one.append(("no", str(error)))
            raise _Undo
    except _Undo:
        pass
    with CaptureQueriesContext(connection) as captured:
        done, problems = services.approve_run(run, actor=coordinator)
    approved = list(
        run.partnerships.filter(status="approved").order_by("-score").values_list("pk", flat=True)
    )
    assert [x for kind, x in one_by_one if kind == "ok"] == approved and done == 2
    assert [x for kind, x in one_by_one if kind == "no"] == problems and len(problems) == 4
    assert len(captured) < 15
    assert ActivityLog.objects.filter(action="pairing.approved").count() == 2


def test_publishing_many_pairs_is_a_task(
    client, coordinator, pairing_cohort, settings, monkeypatch
):
    cohort, _ = pairing_cohort
    services.approve_run(services.run_match(cohort, actor=coordinator), actor=coordinator)
    settings.TASKS, settings.TANDEM_SYNC_MATCH_LIMIT = DATABASE, 3  # 2 pairs: 4 people
    client.force_login(coordinator)
    response = client.post(reverse("partnerships:publish", args=[cohort.slug]), follow=True)
    assert "being published in the background" in response.content.decode()
    assert DBTaskResult.objects.count() == 1
    assert not Partnership.objects.filter(cohort=cohort, status="published").exists()
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert Partnership.objects.filter(cohort=cohort, status="published").count() == 2
    assert len(mail.outbox) == 4
    settings.TANDEM_SYNC_MATCH_LIMIT = 200
    again = client.post(reverse("partnerships:publish", args=[cohort.slug]), follow=True)
    assert "0 pairs published" in again.content.decode()


def test_the_run_page_reads_the_unmatched_and_stats_without_the_whole_result(
    client, coordinator, pairing_cohort
):
    cohort, _ = pairing_cohort
    make_app(cohort, "Far Away", "learning", tz="Pacific/Auckland", availability=[])
    run = services.run_match(cohort, actor=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("partnerships:run", args=[cohort.slug, run.pk]))
    shown = page.context["run"]
    assert shown.stats == run.stats == run.result["stats"] and shown.stats["pairs"] >= 1
    assert {"result", "unmatched", "input", "alternatives"} <= shown.get_deferred_fields()
    assert [name for name, _ in page.context["unmatched"]] == ["Far Away"]
    assert "no availability windows given" in page.content.decode()


def test_the_unmatched_are_read_a_page_at_a_time(coordinator, pairing_cohort):
    """selectors.StoredList: the length and one slice, in the database, in the stored order."""
    from tandem.partnerships.selectors import StoredList

    cohort, _ = pairing_cohort
    run = services.run_match(cohort, actor=coordinator)
    entries = [{"id": f"a{n}", "why": [{"code": "no_capacity", "params": {}}]} for n in range(7)]
    MatchRun.objects.filter(pk=run.pk).update(unmatched=entries)
    stored = StoredList(run, "unmatched")
    with CaptureQueriesContext(connection) as queries:
        assert len(stored) == 7
        assert stored[2:5] == entries[2:5]
        assert stored[5:50] == entries[5:]
        assert stored[7:9] == []
    assert len(queries) == 3  # the length once, then each slice
    assert stored[0] == entries[0] and stored[6] == entries[6]
    with pytest.raises(IndexError):
        stored[7]
    assert len(StoredList(MatchRun.objects.create(cohort=cohort), "unmatched")) == 0


def test_a_run_saved_before_the_summary_column_shows_its_result_stats(coordinator, pairing_cohort):
    cohort, _ = pairing_cohort
    run = services.run_match(cohort, actor=coordinator)
    MatchRun.objects.filter(pk=run.pk).update(summary={})
    assert MatchRun.objects.get(pk=run.pk).stats == run.result["stats"]
