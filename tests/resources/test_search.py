"""Finding resources by what is inside them (PostgreSQL full text with ranking and highlighted
snippets; the fallback on SQLite), filters, sorts, language variants. Runs on both databases."""

import pytest
from django.urls import reverse

from tandem.cohorts.models import Topic
from tandem.resources import selectors, services
from tandem.resources.models import Kind, Resource, Visibility
from tandem.resources.selectors import Filters

from .factories import docx_file, make_resource, pdf_file, text_file, upload

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def found(client, **params) -> str:
    response = client.get(reverse("resources:library"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_word_only_inside_a_pdf_and_inside_a_docx_is_found(client, coordinator):
    in_pdf = make_resource(
        coordinator, title="Onboarding guide", file=pdf_file("Remember the quetzalcoatl rule.")
    )
    in_docx = make_resource(
        coordinator, title="Agreement template", file=docx_file("Sign the zarzuela clause.")
    )
    make_resource(coordinator, title="Unrelated", file=text_file("Nothing to see."))
    page = found(client, q="quetzalcoatl")
    assert in_pdf.title in page and in_docx.title not in page
    assert "<mark>quetzalcoatl</mark>" in page.lower()
    page = found(client, q="zarzuela")
    assert in_docx.title in page and in_pdf.title not in page
    assert "Unrelated" not in found(client, q="zarzuela")


def test_odt_and_markdown_text_is_searched_too(client, coordinator):
    from tandem.demo import documents

    make_resource(
        coordinator,
        title="Guía",
        file=upload("guia.odt", documents.odt("Guía", ["La regla del ornitorrinco."])),
        language="es",
    )
    make_resource(coordinator, title="Notes", file=text_file("The axolotl method."))
    assert "Guía" in found(client, q="ornitorrinco")
    assert "Notes" in found(client, q="axolotl")


def test_title_matches_rank_before_body_matches(coordinator):
    body = make_resource(coordinator, title="Handbook", file=text_file("cadence cadence"))
    title = make_resource(coordinator, title="Cadence planner", file=text_file("plans"))
    ranked = list(selectors.search(None, Filters(q="cadence")).values_list("pk", flat=True))
    assert ranked == [title.pk, body.pk]


def test_snippets_are_escaped_user_text_with_marked_words(client, coordinator):
    make_resource(
        coordinator,
        title="Tricky",
        file=text_file('<script>alert("x")</script> the wombat & <b>friends</b>'),
    )
    page = found(client, q="wombat")
    assert "<mark>wombat</mark>" in page.lower()
    assert "<script>alert" not in page and "<b>friends" not in page
    assert "alert(&quot;x&quot;)" in page  # the text, escaped (PostgreSQL drops the tags)


def test_filters_by_topic_kind_language_and_cohort(client, coordinator, cohort):
    topic = Topic.objects.create(slug="outreach", name="Outreach")
    a = make_resource(coordinator, title="Alpha outreach", kind=Kind.GUIDE, topics=[topic])
    b = make_resource(coordinator, title="Beta slides", kind=Kind.SLIDES, language="fr")
    c = make_resource(
        coordinator, title="Gamma cohort", visibility=Visibility.PUBLIC, cohort=cohort
    )
    assert a.title in found(client, topic="outreach") and b.title not in found(
        client, topic="outreach"
    )
    assert b.title in found(client, kind="slides") and a.title not in found(client, kind="slides")
    assert b.title in found(client, language="fr") and c.title not in found(client, language="fr")
    page = found(client, cohort=cohort.slug)
    assert c.title in page and a.title not in page


def test_bad_filters_are_ignored_not_errors(client, coordinator):
    make_resource(coordinator, title="Still listed")
    assert "Still listed" in found(client, kind="nope", sort="'; drop", page="x", language="zz")


def test_sorts_newest_most_downloaded_most_useful(coordinator, participant):
    old = make_resource(coordinator, title="Old")
    new = make_resource(coordinator, title="New")
    Resource.objects.filter(pk=old.pk).update(download_count=10)
    services.toggle_useful(participant, new)
    order = lambda sort: list(  # noqa: E731
        selectors.search(None, Filters(sort=sort)).values_list("title", flat=True)
    )
    assert order("newest") == ["New", "Old"]
    assert order("downloads") == ["Old", "New"]
    assert order("useful") == ["New", "Old"]


def test_featured_resources_come_first_by_default(coordinator):
    first = make_resource(coordinator, title="First shared")
    make_resource(coordinator, title="Later")
    services.set_featured(coordinator, first, True)
    titles = list(selectors.search(None, Filters()).values_list("title", flat=True))
    assert titles[0] == "First shared"


def test_language_variants_show_once_in_the_readers_language(client, coordinator):
    en = make_resource(coordinator, title="Mentoring agreement", language="en")
    es = make_resource(coordinator, title="Acuerdo de mentoría", language="es", variant_of=en)
    fr = make_resource(coordinator, title="Accord de mentorat", language="fr", variant_of=en)
    spanish = client.get(reverse("resources:library"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    page = spanish.content.decode()
    assert es.title in page and en.title not in page and fr.title not in page
    assert ">EN</a>" in page and ">FR</a>" in page  # "also in"
    german = client.get(reverse("resources:library"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert en.title in german and es.title not in german  # none in German: the first shared
    detail = client.get(en.get_absolute_url()).content.decode()
    assert es.title in detail and fr.title in detail


def test_a_search_shows_each_matching_variant_readers_language_first(client, coordinator):
    """The English variant matches better (the word in its title), the Spanish one only in its
    text: a Spanish reader still sees the Spanish one first, then by rank; an English reader
    the English one."""
    en = make_resource(coordinator, title="Budget sheet", language="en", file=text_file("budget"))
    es = make_resource(
        coordinator,
        title="Hoja de cálculo",
        language="es",
        variant_of=en,
        file=text_file("Presupuesto (budget) del consorcio."),
    )
    other = make_resource(coordinator, title="Planning", language="en", file=text_file("budget"))
    order = lambda language, sort="": [  # noqa: E731
        r.pk
        for r in selectors.search(None, Filters(q="budget", sort=sort), reader_language=language)
    ]
    assert order("es") == [es.pk, en.pk, other.pk]
    assert order("en") == [en.pk, other.pk, es.pk]
    assert order("es", sort="newest") == [es.pk, other.pk, en.pk]
    page = client.get(
        reverse("resources:library"), {"q": "budget"}, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9"
    ).content.decode()
    assert page.index("Hoja de cálculo") < page.index("Budget sheet")


def test_a_broad_search_counts_up_to_a_cap_and_says_more(client, coordinator, monkeypatch):
    for i in range(3):
        make_resource(coordinator, title=f"Cadence plan {i}", file=text_file("cadence"))
    make_resource(coordinator, title="Unrelated", file=text_file("nothing"))
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    matches = selectors.search(None, Filters(q="cadence"))
    assert selectors.count_matches(matches) == 3  # cap + 1: "more than 2"
    assert selectors.count_matches(matches, cap=5) == 3
    page = found(client, q="cadence")
    assert "More than 2 resources match “cadence”" in page
    assert page.count("Cadence plan") == 2  # the best two, one page of the capped list
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    page = found(client, q="cadence")
    assert "3 resources match “cadence”" in page and "More than" not in page
    # Browsing without words is counted in full.
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    assert "More than" not in found(client) and "Unrelated" in found(client)


def test_a_search_sorted_by_newest_is_not_ranked(coordinator):
    older = make_resource(coordinator, title="Cadence in the title", file=text_file("x"))
    newer = make_resource(coordinator, title="Handbook", file=text_file("cadence"))
    results = selectors.search(None, Filters(q="cadence", sort="newest"))
    assert "rank" not in results.query.annotations
    assert [r.pk for r in results] == [newer.pk, older.pk]
    ranked = selectors.search(None, Filters(q="cadence"))
    assert [r.pk for r in ranked] == [older.pk, newer.pk]


def test_the_postgres_query_has_each_alternative_once(coordinator):
    if not selectors.is_postgres():
        pytest.skip("PostgreSQL full text search")
    from django.db import connection

    sql, params = selectors.pg_query("mentoring", "en").as_sql(None, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}::text", params)
        alternatives = cursor.fetchone()[0].split(" | ")
    assert len(alternatives) == len(set(alternatives)) < 5  # not once per language (16)
    assert "'mentor'" in alternatives and "'mentoring'" in alternatives
    # Web search syntax still works: a phrase, "or".
    fee = make_resource(coordinator, title="Fees", file=text_file("the fee model for consortia"))
    other = make_resource(coordinator, title="Pricing", file=text_file("a model, a fee, more"))
    titles = lambda q: {r.title for r in selectors.search(None, Filters(q=q))}  # noqa: E731
    assert titles('"fee model"') == {fee.title}
    assert titles("consortia or fee") == {fee.title, other.title}
    assert titles("the") == set()  # no words that count: nothing, no error


def test_search_vectors_are_kept_in_the_row(db):
    """Out of the row (TOAST), every match cost two more lookups (migration 0003)."""
    if not selectors.is_postgres():
        pytest.skip("PostgreSQL storage")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'resources_resource'::regclass"
            " AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == "m"


def test_snippets_of_markdown_and_csv_are_plain_text(client, coordinator):
    """No ``#``, ``**``, ``[…](…)`` or table bars of a Markdown file, no separators or quotes
    of a CSV file, in what the search finds and shows."""
    notes = (
        "# Kick-off notes #\n\n## Agenda\n\n- **Agree** on the *quokka* rule: see the "
        "[fee model](https://example.org/fees)\n\n"
        "| Task | Owner |\n|---|---|\n| quokka call | Lin |"
    )
    make_resource(coordinator, title="Notes", file=text_file(notes, "notes.md"))
    table = '"name","role","animal"\r\n"Ana","mentor","quokka"\r\n'
    make_resource(coordinator, title="Roles", file=upload("roles.csv", table.encode()))
    rows = list(selectors.search(None, Filters(q="quokka")))
    shown = selectors.snippets(rows, "quokka")
    assert len(shown) == 2
    for snippet in shown.values():
        text = snippet.replace("<mark>", "").replace("</mark>", "")
        for syntax in ("#", "*", "](", "|", "&quot;", ","):
            assert syntax not in text, (syntax, text)
    both = " ".join(shown.values())
    assert "Agree on the <mark>quokka</mark> rule: see the fee model" in both
    assert "name role animal Ana mentor <mark>quokka</mark>" in both
    page = found(client, q="quokka")
    assert "Agenda Agree on the <mark>quokka</mark>" in page and "## Agenda" not in page


def test_markdown_documents_indexed_before_are_made_plain_by_the_migration(client, coordinator):
    """Migration resources 0005: a Markdown resource indexed with its ``#`` (before the snippets
    fix) is found and shown as plain words after it; other resources are left as they were."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    notes = make_resource(
        coordinator, title="Notes", file=text_file("# Kick-off quokka\n\n**Agree**", "notes.md")
    )
    other = make_resource(coordinator, title="Plain", file=text_file("quokka # kept", "x.txt"))
    Resource.objects.filter(pk=notes.pk).update(
        search_document="Notes\n# Kick-off quokka **Agree**"
    )
    Resource.objects.filter(pk=other.pk).update(search_document="Plain\nquokka # kept")
    migration = importlib.import_module("tandem.resources.migrations.0005_plain_search_documents")
    migration.plain_documents(apps, SimpleNamespace(connection=connection))
    notes.refresh_from_db()
    other.refresh_from_db()
    assert "Kick-off quokka" in notes.search_document
    assert "#" not in notes.search_document and "**" not in notes.search_document
    assert other.search_document == "Plain\nquokka # kept"
    page = found(client, q="quokka")
    assert "# Kick-off" not in page
