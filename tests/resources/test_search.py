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


def test_a_search_shows_each_matching_variant_readers_language_first(coordinator):
    en = make_resource(coordinator, title="Budget sheet", language="en")
    es = make_resource(coordinator, title="Budget sheet ES", language="es", variant_of=en)
    rows = list(selectors.search(None, Filters(q="budget", sort="newest"), reader_language="es"))
    assert {r.pk for r in rows} == {en.pk, es.pk}
