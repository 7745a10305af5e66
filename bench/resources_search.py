"""Search benchmark of the resource library: 5,000 resources with extracted text on PostgreSQL.

Usage::

    python bench/resources_search.py                       # 5,000 resources, 50 queries a kind
    python bench/resources_search.py --resources 20000 --queries 100 --keep

A scratch database (``tandem_bench_resources`` on ``--admin-url``'s server) is created, migrated
and seeded, and dropped at the end (``--keep`` keeps it). Each resource has a title, a
description and 300–1,500 words of "extracted text" (an invented vocabulary with a Zipf-like
spread, plus the programme's own words), in five languages, and its search vector is built by
the app's own ``indexing.update_vectors`` (one UPDATE for all). Each query is what the library
page does for one request: count the matches (a text search up to ``selectors.COUNT_CAP``, as
the page does), read the first page of 20 ranked rows, and their highlighted snippets
(``selectors.search`` + ``selectors.snippets``), timed end to end; the table gives p50 and p95
over ``--queries`` different queries of each kind (and how many resources match, counted apart),
and the plan shows that the GIN index on the search vector is used. After seeding, the table is
compacted (``VACUUM FULL``): seeding writes every row twice, which a live library does not.

Needs PostgreSQL (``make test``'s server at 127.0.0.1:5432); without it the benchmark says so
and exits 0.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
DB = "tandem_bench_resources"
ADMIN = os.environ.get("PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def admin(url: str, sql: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def words(rng: random.Random, vocabulary: list[str], n: int) -> str:
    # Zipf-like: a few words are everywhere, most are rare.
    picks = [
        vocabulary[min(int(rng.paretovariate(1.1)) - 1, len(vocabulary) - 1)] for _ in range(n)
    ]
    return " ".join(picks)


COMMON = [
    "mentoring",
    "partnership",
    "consortium",
    "members",
    "metadata",
    "fees",
    "budget",
    "workshop",
    "template",
    "agenda",
    "goals",
    "challenges",
    "onboarding",
    "outreach",
    "governance",
    "community",
    "repository",
    "persistent",
    "identifiers",
]
LANGUAGES = ["en", "es", "fr", "pt", "de"]


def seed(count: int, rng: random.Random) -> list[str]:
    from django.contrib.auth import get_user_model

    from tandem.resources.indexing import update_vectors
    from tandem.resources.models import Resource, Version

    syllables = ["ka", "lo", "mi", "ra", "te", "zu", "no", "vi", "sa", "pe", "do", "qui"]
    invented = sorted(
        {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(6000)}
    )
    rng.shuffle(invented)
    vocabulary = COMMON + invented
    owner = get_user_model().objects.create_user(email="bench@example.org", password="x")
    batch = 1000
    for start in range(0, count, batch):
        rows, texts = [], []
        for i in range(start, min(count, start + batch)):
            text = words(rng, vocabulary, rng.randint(300, 1500))
            if i % 500 == 7:
                text += " the fee model for small consortia"
            title = f"{rng.choice(COMMON).capitalize()} {rng.choice(invented)} {i}"
            description = words(rng, vocabulary, 25)
            rows.append(
                Resource(
                    group=uuid.uuid4(),
                    title=title,
                    description=description,
                    kind=rng.choice(["template", "guide", "slides", "best_practice"]),
                    language=rng.choice(LANGUAGES),
                    visibility="public",
                    status="published",
                    owner=owner,
                    download_count=rng.randint(0, 300),
                    useful_count=rng.randint(0, 40),
                    version_count=1,
                    search_document="\n".join([title, description, text]),
                )
            )
            texts.append(text)
        made = Resource.objects.bulk_create(rows)
        Version.objects.bulk_create(
            Version(
                resource=r,
                number=1,
                url="https://example.org/r",
                text=t,
                extracted=True,
                uploaded_by=owner,
            )
            for r, t in zip(made, texts, strict=True)
        )
    update_vectors(Resource.objects.all())
    return vocabulary


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def page_of_results(filters, language="en"):
    from tandem.resources import selectors

    def run():
        results = selectors.search(None, filters, reader_language=language)
        # As the library page: a text search counts up to selectors.COUNT_CAP ("more than").
        total = selectors.count_matches(results) if filters.q else results.count()
        rows = list(results.only("pk", "group", "title", "language")[:20])
        selectors.snippets(rows, filters.q, reader_language=language)
        selectors.variants_of(None, rows)
        return total

    return run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--admin-url", default=ADMIN)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    try:
        admin(args.admin_url, f"DROP DATABASE IF EXISTS {DB}")
        admin(args.admin_url, f"CREATE DATABASE {DB}")
    except psycopg.OperationalError as error:
        print(f"# resources search: PostgreSQL is not reachable ({error}); skipped")
        return 0
    base = args.admin_url.rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = f"{base}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tandem.resources.selectors import Filters

    try:
        call_command("migrate", interactive=False, verbosity=0)
        rng = random.Random(15)
        started = time.perf_counter()
        vocabulary = seed(args.resources, rng)
        with connection.cursor() as cursor:
            # Seeding wrote every row twice (insert, then its vector): compact the table as a
            # live one is (a resource's vector is written once per upload, and vacuumed).
            cursor.execute("VACUUM FULL ANALYZE resources_resource")
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('resources_resource'))")
            size = cursor.fetchone()[0]
        print(
            f"# {args.resources} resources seeded and indexed in "
            f"{time.perf_counter() - started:.0f} s (table with its indexes: {size}); "
            f"p50 / p95 over {args.queries} queries of each kind, ms per page (count, 20 ranked "
            "rows, snippets); matches: all of them, counted apart",
            flush=True,
        )
        rare = vocabulary[len(COMMON) + 3000 :]
        mid = vocabulary[len(COMMON) + 40 : len(COMMON) + 400]
        kinds = {
            "common word (in most resources)": lambda i: Filters(q=COMMON[i % 4]),
            "mid-frequency word": lambda i: Filters(q=mid[i]),
            "rare word": lambda i: Filters(q=rare[i]),
            "common word, sorted by newest": lambda i: Filters(q=COMMON[i % 4], sort="newest"),
            "two words": lambda i: Filters(q=f"{COMMON[i % 8]} {mid[i]}"),
            'phrase ("fee model")': lambda i: Filters(q='"fee model"'),
            "word + kind + language filters": lambda i: Filters(
                q=mid[i], kind="template", language=LANGUAGES[i % 5]
            ),
            "no words, newest (variants collapsed)": lambda i: Filters(),
            "no words, most downloaded": lambda i: Filters(sort="downloads"),
        }
        from tandem.resources import selectors

        print("| query | matches (median) | p50 ms | p95 ms |")
        print("|---|---:|---:|---:|")
        for name, make in kinds.items():
            page_of_results(make(0))()  # warm
            times, matches = [], []
            for i in range(args.queries):
                filters = make(i)
                run = page_of_results(filters, LANGUAGES[i % 5])
                start = time.perf_counter()
                run()
                times.append((time.perf_counter() - start) * 1000)
                matches.append(selectors.search(None, filters).count())  # all, not timed
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"| {name} | {int(statistics.median(matches))} | "
                f"{statistics.median(times):.1f} | {p95:.1f} |",
                flush=True,
            )
        plan = selectors.search(None, Filters(q=rare[0])).explain()
        uses_gin = "resources_resource_search_gin" in plan
        print(f"# the plan of a word search uses the GIN index: {'yes' if uses_gin else 'NO'}")
        print("\n".join("#   " + line for line in plan.splitlines()[:16]))
    finally:
        connection.close()
        if not args.keep:
            admin(args.admin_url, f"DROP DATABASE IF EXISTS {DB}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
