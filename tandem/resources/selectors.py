"""Reads of the library: who sees what (one queryset, :func:`visible_to`, used by every page,
search and download) and the search itself (PostgreSQL full text, or a fallback elsewhere)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Left

from tandem.applications.models import Application
from tandem.partnerships.models import Partnership

from .models import Resource, Status, Visibility

#: PostgreSQL text search configurations by ISO 639-1 code (stemming in that language).
PG_CONFIGS = {
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
SORTS = {
    "newest": ("-created_at", "-pk"),
    "downloads": ("-download_count", "-created_at", "-pk"),
    "useful": ("-useful_count", "-created_at", "-pk"),
}
MAX_TERMS = 8
#: A text search counts at most this many matches; past it the page says "more than 1,000"
#: (and pages through the 1,000 best). Counting every match of a word found in nearly every
#: resource cost as much as ranking them.
COUNT_CAP = 1000
#: Characters of a document scanned for its snippet (the first place a word occurs).
SNIPPET_SCAN_CHARS = 50_000
# Highlight markers: control characters, which stored text never contains (extract.clean),
# so the snippet can be HTML-escaped first and the markers turned into <mark> after.
START, STOP = "\x02", "\x03"


def is_coordinator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_coordinator)


def accepted_somewhere(user) -> Exists:
    return Exists(Application.objects.filter(applicant=user, status=Application.Status.ACCEPTED))


def visible_to(user) -> QuerySet[Resource]:
    """Every resource ``user`` may see (any status but removed; the list narrows to published):

    * public: anyone, anonymous visitors included;
    * all participants: an accepted participant of any cohort;
    * my cohort: an accepted participant of that cohort;
    * my pair: the two partners of that published pair;
    * coordinators: everything; owners: their own, also while pending review.
    One query, whoever asks."""
    resources = Resource.objects.exclude(status=Status.REMOVED)
    if is_coordinator(user):
        return resources
    public = Q(status=Status.PUBLISHED, visibility=Visibility.PUBLIC)
    if user is None or not user.is_authenticated:
        return resources.filter(public)
    cohorts = Application.objects.filter(applicant=user, status=Application.Status.ACCEPTED).values(
        "cohort_id"
    )
    pairs = Partnership.objects.filter(status=Partnership.Status.PUBLISHED).filter(
        Q(experienced__applicant=user) | Q(learning__applicant=user)
    )
    shared = Q(status=Status.PUBLISHED) & (
        Q(visibility=Visibility.PUBLIC)
        | (Q(visibility=Visibility.PARTICIPANTS) & Q(accepted_somewhere(user)))
        | Q(visibility=Visibility.COHORT, cohort__in=cohorts)
        | Q(visibility=Visibility.PAIR, partnership__in=pairs.values("pk"))
    )
    return resources.filter(shared | Q(owner=user))


def pg_config(language: str) -> str:
    return PG_CONFIGS.get((language or "").split("-")[0], "simple")


def vector_config():
    """The row's language as a text search configuration (a SQL expression)."""
    return Case(
        *(When(language=code, then=Value(name)) for code, name in PG_CONFIGS.items()),
        default=Value("simple"),
    )


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Filters:
    q: str = ""
    topic: str = ""
    kind: str = ""
    language: str = ""
    cohort: str = ""
    sort: str = ""


def terms_of(q: str) -> list[str]:
    words = re.findall(r"\w[\w'’-]*", q.casefold())
    return list(dict.fromkeys(words))[:MAX_TERMS]


def search(user, filters: Filters, *, reader_language: str = "en") -> QuerySet[Resource]:
    """The published resources ``user`` sees that match ``filters``, ordered: for a text query,
    the reader's language first, then by relevance (or the chosen sort); else by the sort
    (newest first by default), featured ones first. Without a query, language variants collapse
    to one row: the reader's language if there is one, else the first shared."""
    resources = visible_to(user).filter(status=Status.PUBLISHED)
    if filters.topic:
        resources = resources.filter(topics__slug=filters.topic)
    if filters.kind:
        resources = resources.filter(kind=filters.kind)
    if filters.language:
        resources = resources.filter(language=filters.language)
    if filters.cohort:
        resources = resources.filter(cohort__slug=filters.cohort)
    order = SORTS.get(filters.sort, SORTS["newest"])
    mine_first = Case(When(language=reader_language, then=Value(0)), default=Value(1))
    terms = terms_of(filters.q)
    if not terms:
        resources = _collapse_variants(resources, reader_language)
        resources = resources.annotate(lang_rank=mine_first)
        featured = ("-featured",) if not filters.sort else ()
        return resources.order_by(*featured, *order, "lang_rank")
    if is_postgres():
        query = pg_query(filters.q, reader_language)
        resources = resources.filter(search_vector=query).annotate(lang_rank=mine_first)
        if filters.sort:  # no relevance asked for: no rank computed for every match
            return resources.order_by("lang_rank", *order)
        rank = SearchRank(F("search_vector"), query, cover_density=False)
        return resources.annotate(rank=rank).order_by("lang_rank", "-rank", *order)
    matched = Q()
    hits = []
    for term in terms:
        matched |= Q(search_document__icontains=term)
        hits.append(Case(When(search_document__icontains=term, then=Value(1)), default=Value(0)))
    title_hits = [
        Case(When(title__icontains=term, then=Value(1)), default=Value(0)) for term in terms
    ]
    score = sum(hits[1:], hits[0]) * 2 + sum(title_hits[1:], title_hits[0])
    resources = resources.filter(matched).annotate(lang_rank=mine_first)
    if filters.sort:
        return resources.order_by("lang_rank", *order)
    resources = resources.annotate(rank=Coalesce(score, Value(0), output_field=IntegerField()))
    return resources.order_by("lang_rank", "-rank", *order)


def count_matches(resources: QuerySet[Resource], cap: int | None = None) -> int:
    """How many rows ``resources`` has, counting at most ``cap + 1`` (``COUNT_CAP``): a
    result over ``cap`` means "more than ``cap``". Counts ids only, unordered and unranked: the
    database stops at ``cap + 1`` matches and ranks none."""
    cap = COUNT_CAP if cap is None else cap
    return resources.order_by().values("pk")[: cap + 1].count()


class AnyLanguageQuery(SearchQuery):
    """``q`` in web search syntax, as typed (``simple``) or stemmed in any of ``configs``: the
    alternatives OR-ed, each distinct one once (most languages stem a word the same way, and 16
    copies of the same alternative made every match and every rank 16 times the work). A
    sub-select, so PostgreSQL builds it once per query, not once per row."""

    def __init__(self, q: str, configs: list[str]):
        super().__init__(q, search_type="websearch")
        self.text, self.configs = q, configs

    def as_sql(self, compiler, connection, function=None, template=None):
        one = "websearch_to_tsquery(%s::regconfig, %s)::text"
        sql = (
            "(SELECT coalesce(string_agg(DISTINCT '( ' || t || ' )', ' | '), '')::tsquery"
            f" FROM unnest(ARRAY[{', '.join(one for _ in self.configs)}]) AS t WHERE t <> '')"
        )
        return sql, [v for c in self.configs for v in (c, self.text)]


def pg_query(q: str, reader_language: str) -> SearchQuery:
    """The words as typed (``simple``) or stemmed in any of the languages the library stems
    (each resource is indexed in its own language), the reader's first; web search syntax:
    ``"a phrase"``, ``-not``, ``or``."""
    configs = dict.fromkeys(["simple", pg_config(reader_language), *PG_CONFIGS.values()])
    return AnyLanguageQuery(q, list(configs))


def _collapse_variants(resources: QuerySet[Resource], reader_language: str) -> QuerySet[Resource]:
    """One row per group of language variants: keep a resource unless a better variant of its
    group is also in ``resources`` (the reader's language, then the earliest shared)."""
    others = resources.filter(group=OuterRef("group")).exclude(pk=OuterRef("pk")).values("pk")
    better_when_mine = others.filter(language=reader_language, pk__lt=OuterRef("pk"))
    better_when_not = others.filter(Q(language=reader_language) | Q(pk__lt=OuterRef("pk")))
    return resources.filter(
        (Q(language=reader_language) & ~Exists(better_when_mine))
        | (~Q(language=reader_language) & ~Exists(better_when_not))
    )


def snippets(resources: list[Resource], q: str, *, reader_language: str = "en") -> dict[int, str]:
    """A safe HTML snippet per resource (pk → HTML) around the first place the words of ``q``
    occur, those words in ``<mark>``. On PostgreSQL the words are the query's lexemes (stems
    included: "mentoring" also marks "mentors"); the text is HTML-escaped before the markers
    become tags. (Cut out in Python: ``ts_headline`` over 20 long documents cost more than the
    whole search.)"""
    terms = terms_of(q)
    if not resources or not terms:
        return {}
    pks = [r.pk for r in resources]
    if is_postgres():
        configs = ["simple", *dict.fromkeys([pg_config(reader_language), *PG_CONFIGS.values()])]
        tsquery = " || ".join("websearch_to_tsquery(%s::regconfig, %s)" for _ in configs)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT querytree({tsquery})", [v for c in configs for v in (c, q)])
            lexemes = re.findall(r"'((?:[^']|'')+)'", cursor.fetchone()[0] or "")
        terms = list(dict.fromkeys([*terms, *(x.replace("''", "'") for x in lexemes)]))
    documents = Resource.objects.filter(pk__in=pks).annotate(
        head=Left("search_document", SNIPPET_SCAN_CHARS)
    )
    found = {pk: _window(doc, terms) for pk, doc in documents.values_list("pk", "head")}
    return {pk: mark(text) for pk, text in found.items() if text}


def mark(text: str) -> str:
    """Escape ``text`` and turn the highlight markers into ``<mark>`` (unbalanced markers
    cannot occur: they come in pairs, and the stored text never contains them)."""
    return html.escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


def _window(document: str, terms: list[str], width: int = 90) -> str:
    """``document`` around the first word that starts with one of ``terms``, every such word
    between the markers (terms shortest last, so the longest match wins)."""
    ordered = sorted(terms, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in ordered) + r")\w*", re.I)
    first = pattern.search(document)
    if first is None:
        return ""
    start = max(0, first.start() - width)
    end = min(len(document), first.end() + width)
    window = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", document[start:end])
    window = " ".join(window.split())
    return ("… " if start else "") + window + (" …" if end < len(document) else "")


def variants_of(user, resources: list[Resource]) -> dict:
    """group → [(language, pk), …] of the variants ``user`` sees (one query for a page)."""
    groups = {r.group for r in resources}
    if not groups:
        return {}
    out: dict = {}
    rows = (
        visible_to(user)
        .filter(status=Status.PUBLISHED, group__in=groups)
        .order_by("language", "pk")
        .values_list("group", "language", "pk")
    )
    for group, language, pk in rows:
        out.setdefault(group, []).append((language, pk))
    return out
