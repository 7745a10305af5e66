"""The database settings from ``DATABASE_URL``: PostgreSQL in production, SQLite by default.

SQLite (the demo, small installs) locks the whole file for a write. Django's default opens a
transaction with a plain ``BEGIN``: two requests that read and then write at the same instant
(two registrations by one person) both hold a read lock, and the second to write fails at once
with "database is locked". So writes take the lock when their transaction begins
(``transaction_mode="IMMEDIATE"``: the other waits its turn), a waiting connection retries for
``timeout`` seconds instead of failing, and the journal is in WAL mode so that readers never
wait for a writer. PostgreSQL answers such requests one after the other on its own.
"""

from __future__ import annotations

from typing import Any

import dj_database_url

#: Seconds a SQLite connection waits for another's write before "database is locked".
SQLITE_TIMEOUT = 20

SQLITE_OPTIONS: dict[str, Any] = {
    "timeout": SQLITE_TIMEOUT,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_from_url(url: str, prepared_statements: bool = True) -> dict[str, Any]:
    """``DATABASES["default"]`` for ``url``, with the options each engine needs."""
    config = dj_database_url.parse(url, conn_max_age=60)
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.sqlite3":
        options.update(SQLITE_OPTIONS)
    elif config["ENGINE"] == "django.db.backends.postgresql" and prepared_statements:
        # Server-side parameters and prepared statements (psycopg 3): a query run a second time
        # on a connection reuses its plan. Planning was most of PostgreSQL's time on Tandem's
        # pages (2.7 ms to plan the home page's partner query, 0.4 ms to run it); bench/load.py.
        options.update(server_side_binding=True, prepare_threshold=2)
    return config
