"""SQLite answers two simultaneous writes as PostgreSQL does: one after the other, no "database
is locked" (two registrations by one person in the demo gave 500s)."""

import threading
import time

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.utils import OperationalError

from tandem.settings.database import SQLITE_OPTIONS, database_from_url

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker):
    """These tests open their own database files, not the test database."""
    with django_db_blocker.unblock():
        yield


def connect(path, options):
    settings = database_from_url(f"sqlite:///{path}")
    settings["OPTIONS"] = dict(options)
    settings.update(TIME_ZONE=None, AUTOCOMMIT=True, ATOMIC_REQUESTS=False)
    return DatabaseWrapper(settings, alias=f"concurrency-{id(options)}-{threading.get_ident()}")


def read_then_write(path, options, results, pause):
    """What a registration does: in one transaction, read (is there a seat?), think, write."""
    db = connect(path, options)
    try:
        db.ensure_connection()
        db._start_transaction_under_autocommit()  # what atomic() runs: BEGIN [IMMEDIATE]
        with db.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM seat")
            time.sleep(pause)
            cursor.execute("INSERT INTO seat (holder) VALUES (%s)", [threading.get_ident()])
            cursor.execute("COMMIT")
        results.append("ok")
    except OperationalError as error:
        results.append(str(error))
    finally:
        db.close()


def race(path, options) -> list[str]:
    setup = connect(path, options)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS seat (holder INTEGER)")
    setup.close()
    results: list[str] = []
    threads = [
        threading.Thread(target=read_then_write, args=(path, options, results, 0.3))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_without_the_options_the_second_writer_fails(tmp_path):
    """The guard: Django's defaults on a file database fail like the demo did."""
    results = race(tmp_path / "plain.sqlite3", {"timeout": 5})
    assert any("locked" in r for r in results), results


def test_with_tandems_options_both_writes_succeed_one_after_the_other(tmp_path):
    path = tmp_path / "tandem.sqlite3"
    assert race(path, SQLITE_OPTIONS) == ["ok", "ok"]
    db = connect(path, SQLITE_OPTIONS)
    with db.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM seat")
        assert cursor.fetchone() == (2,)
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
    db.close()


def test_sqlite_urls_get_the_options_and_postgresql_urls_do_not():
    sqlite = database_from_url("sqlite:////tmp/x.sqlite3")["OPTIONS"]
    assert sqlite["transaction_mode"] == "IMMEDIATE" and sqlite["timeout"] >= 5
    postgres = database_from_url("postgres://postgres@127.0.0.1:5432/tandem")["OPTIONS"]
    assert "transaction_mode" not in postgres
