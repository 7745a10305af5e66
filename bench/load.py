"""Load benchmark: gunicorn with the production settings, PostgreSQL, 2,000 participants.

What it does, in order (every step bounded in time; it stops by itself):

1. creates the scratch database ``tandem_load`` on the PostgreSQL server of ``--admin-url`` if
   it does not exist, migrates it and seeds one cohort of 1,000 × 1,000 accepted participants
   through the app's own services (``bench/seed_large.py``; a cohort already there is reused,
   ``--reseed`` drops the database first);
2. collects the static files into a temporary ``STATIC_ROOT`` (WhiteNoise's manifest storage);
3. starts gunicorn on a free port of 127.0.0.1 with ``tandem.settings.production``::

       gunicorn tandem.wsgi --bind 127.0.0.1:<port> --workers 4 --worker-class sync \\
           --timeout 30 --graceful-timeout 10

   and plays the TLS proxy the production settings expect: every request says
   ``X-Forwarded-Proto: https`` (so ``SECURE_SSL_REDIRECT`` and the secure cookies stay as
   deployed), and the client keeps its cookies itself (a cookie jar would not send ``Secure``
   cookies over plain HTTP);
4. signs people in through the sign-in form (CSRF token and ``Origin``, correct passwords, so
   django-axes never locks anyone out): ``--users`` participants with a published partner and
   ``--coordinator-sessions`` coordinators;
5. for each page: a short warm-up, then ``--users`` virtual users, each waiting 1–3 s (uniform)
   between its requests, for ``--duration`` seconds; then ``--sat-users`` users with no wait
   for ``--sat-duration`` seconds (the saturation throughput). After each phase a probe asks
   for the sign-in page until it answers (``--recovery-limit`` at most; if it never does,
   gunicorn is restarted so the next page is measured on a live server, and the table says so);
6. prints Markdown tables: requests, requests/s, p50/p95/p99/max latency (full response
   read), errors (any status but 200, time-outs after ``--client-timeout``, resets), response
   size, and how long the server took to answer the probe after the phase; and a final check
   that the server still answers quickly.

The load client is this file: the standard library only (``http.client`` and one thread per
virtual user), so it needs no extra dependency and its cost on the 2 cores is small next to the
server's. Run it with ``make bench-load`` (``make bench`` leaves it out: with the defaults it
takes 8–10 minutes, the first time a few minutes more for seeding).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def say(message: str) -> None:
    print(f"[load] {message}", file=sys.stderr, flush=True)


# --- The database ---------------------------------------------------------------------------


def database_url(admin_url: str, name: str) -> str:
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(admin_url: str, name: str, *, drop: bool) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if drop:
            drop_it = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            conn.execute(drop_it.format(sql.Identifier(name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            say(f"database {name} created")


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


# --- The server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    command: list[str]
    env: dict
    log_path: Path
    port: int
    process: subprocess.Popen | None = None

    def start(self, ready_within: float = 60.0) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one, never by name
        )
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.tail()}")
            try:
                status, _, _ = Client(self.port, timeout=5).request("GET", "/accounts/login/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer within {ready_within:.0f} s:\n{self.tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        pgid = os.getpgid(self.process.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def restart(self) -> None:
        self.stop()
        self.start()

    def count(self, text: str) -> int:
        """Lines of the log saying ``text`` so far (e.g. ``WORKER TIMEOUT``)."""
        return self.log_path.read_text(errors="replace").count(text)

    def tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


# --- The client -----------------------------------------------------------------------------


class Client:
    """One browser: its own connection and cookies, behind the (simulated) TLS proxy."""

    def __init__(self, port: int, *, timeout: float, cookies: dict | None = None):
        self.port = port
        self.timeout = timeout
        self.origin = f"https://{HOST}:{port}"
        self.cookies: dict[str, str] = dict(cookies or {})
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        all_headers = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "tandem-bench-load",
            "Accept": "text/html",
        }
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        try:
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
            data = response.read()
        except BaseException:
            self.close()
            raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value and value != '""':
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        if response.will_close:
            self.close()
        return response.status, response.headers, data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def login(self, email: str, password: str) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        match = CSRF_RE.search(page)
        if status != 200 or match is None:
            raise RuntimeError(f"sign-in page: HTTP {status}, CSRF token found: {bool(match)}")
        form = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": email,
                "password": password,
                "next": "",
            }
        ).encode()
        status, headers, _ = self.request(
            "POST",
            "/accounts/login/",
            form,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in of {email} failed: HTTP {status}")


def sign_in(port: int, emails: list[str], password: str, *, concurrency: int = 4) -> list[dict]:
    """Cookies of each person, signed in through the form (a few at a time: PBKDF2 is slow)."""
    jars: list[dict | None] = [None] * len(emails)
    failures: list[str] = []
    queue = list(enumerate(emails))
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if not queue:
                    return
                index, email = queue.pop()
            client = Client(port, timeout=120)
            try:
                client.login(email, password)
                jars[index] = client.cookies
            except (OSError, RuntimeError, http.client.HTTPException) as error:
                with lock:
                    failures.append(f"{email}: {error}")
            finally:
                client.close()

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError("sign-in failed: " + "; ".join(failures[:5]))
    return [jar for jar in jars if jar is not None]


# --- Phases and their statistics ------------------------------------------------------------


@dataclass
class Result:
    label: str
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    sizes: list[int] = field(default_factory=list)
    recovery: str = ""
    killed: int = 0  # gunicorn workers killed by its time-out during the phase and the probe

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    def pct(self, p: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def run_phase(
    label: str,
    port: int,
    path: str,
    jars: list[dict],
    *,
    users: int,
    duration: float,
    think: tuple[float, float] | None,
    timeout: float,
    count: int | None = None,
) -> Result:
    """``users`` threads asking for ``path`` until ``duration`` is over (each its own
    connection, with the cookies of ``jars[i % len(jars)]``); with ``think``, each waits a
    uniform time between its requests (and starts after one such wait, so arrivals spread).
    With ``count``, each asks that many times, whatever the duration."""
    result = Result(label)
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + duration
    last_end = [start]

    def user(index: int) -> None:
        rng = random.Random(index)
        client = Client(port, timeout=timeout, cookies=jars[index % len(jars)])
        if think:
            time.sleep(rng.uniform(0, think[1]))
        done = 0
        while (done < count) if count is not None else (time.monotonic() < deadline):
            done += 1
            t0 = time.monotonic()
            error, size = None, 0
            try:
                status, _, body = client.request("GET", path)
                size = len(body)
                if status != 200:
                    error = f"HTTP {status}"
            except TimeoutError:
                error = "time-out"
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
            t1 = time.monotonic()
            with lock:
                if error:
                    result.errors[error] += 1
                else:
                    result.latencies.append(t1 - t0)
                    result.sizes.append(size)
                last_end[0] = max(last_end[0], t1)
            if think:
                time.sleep(max(0.0, min(rng.uniform(*think), deadline - time.monotonic())))
        client.close()

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        if count is not None:  # bounded by the count of requests and their time-out
            thread.join(timeout=count * (timeout + 1) + 5)
        else:
            thread.join(timeout=max(1.0, deadline - time.monotonic()) + timeout + 5)
    result.elapsed = max(duration, last_end[0] - start, 1e-9)
    return result


def probe(port: int, limit: float) -> tuple[float | None, float | None]:
    """Seconds until the sign-in page answers (5 s per try), and that answer's latency."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        client = Client(port, timeout=5)
        t0 = time.monotonic()
        try:
            status, _, _ = client.request("GET", "/accounts/login/")
            if status == 200:
                return t0 - start, time.monotonic() - t0
        except (OSError, http.client.HTTPException):
            pass
        finally:
            client.close()
        time.sleep(max(0.0, 1.0 - (time.monotonic() - t0)))
    return None, None


def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.0f}"


def table(title: str, results: list[Result], alone: list[Result]) -> str:
    """One row per page; ``alone`` (same order): the page asked by one user, for comparison."""
    lines = [
        f"**{title}**",
        "",
        "| page | alone p50 ms | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | "
        "KiB | workers killed | answers after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for r, one in zip(results, alone, strict=True):
        errors = ", ".join(f"{n} {kind}" for kind, n in r.errors.most_common()) or "0"
        size = f"{sum(r.sizes) / len(r.sizes) / 1024:.0f}" if r.sizes else "–"
        lines.append(
            f"| {r.label} | {ms(one.pct(50))} | {r.requests} | "
            f"{len(r.latencies) / r.elapsed:.1f} | "
            f"{ms(r.pct(50))} | {ms(r.pct(95))} | {ms(r.pct(99))} | "
            f"{ms(max(r.latencies) if r.latencies else None)} | {errors} | {size} | "
            f"{r.killed} | {r.recovery} |"
        )
    return "\n".join(lines)


# --- Main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL database to create the scratch one from (env LOAD_PG_URL)",
    )
    parser.add_argument("--database", default="tandem_load", help="the scratch database")
    parser.add_argument("--reseed", action="store_true", help="drop the scratch database first")
    parser.add_argument("--participants", type=int, default=2000, help="half of them experienced")
    parser.add_argument("--users", type=int, default=50, help="virtual users with think time")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per page")
    parser.add_argument("--sat-users", type=int, default=8, help="users without think time")
    parser.add_argument("--sat-duration", type=float, default=20.0, help="seconds per page")
    parser.add_argument("--coordinator-sessions", type=int, default=5)
    parser.add_argument("--client-timeout", type=float, default=30.0)
    parser.add_argument("--recovery-limit", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread)")
    parser.add_argument("--timeout", type=int, default=30, help="gunicorn worker time-out (s)")
    parser.add_argument(
        "--pages",
        default="home,review,run,checkins",
        help="which of home, review, run, checkins (comma separated)",
    )
    args = parser.parse_args(argv)

    db_url = database_url(args.admin_url, args.database)
    tmp = Path(tempfile.mkdtemp(prefix="tandem-load-"))
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "STATIC_", "MEDIA_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tandem.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=db_url,
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",  # nothing leaves
        TANDEM_BASE_URL=f"https://{HOST}:{port}",
        LOG_LEVEL="WARNING",
    )
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "tandem.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--timeout",
        str(args.timeout),
        "--graceful-timeout",
        "10",
        "--no-control-socket",  # gunicorn 27 would otherwise share ~/.gunicorn/gunicorn.ctl
    ]
    server = Server(command, env, tmp / "gunicorn.log", port)
    try:
        t0 = time.monotonic()
        ensure_database(args.admin_url, args.database, drop=args.reseed)
        manage(env, "migrate", "--noinput", "-v0")
        info_path = tmp / "seed.json"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "seed_large.py"),
                "--database-url",
                db_url,
                "--participants",
                str(args.participants),
                "--json",
                str(info_path),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        info = json.loads(info_path.read_text())
        manage(env, "collectstatic", "--noinput", "-v0")
        say(f"database and static files ready in {time.monotonic() - t0:.0f} s")

        server.start()
        say("gunicorn: " + " ".join(["gunicorn", *command[3:]]))
        slug, run = info["cohort"], info["run"]
        participants = info["participants"][:: max(1, len(info["participants"]) // args.users)]
        accounts = {
            "people": participants[: args.users],
            # the same coordinator may sign in several times: one session each
            "staff": (info["coordinators"] * args.coordinator_sessions)[
                : args.coordinator_sessions
            ],
        }

        def sign_everyone_in() -> dict[str, list[dict]]:
            t0 = time.monotonic()
            jars = {
                kind: sign_in(port, emails, info["password"]) for kind, emails in accounts.items()
            }
            say(
                f"{len(jars['people'])} participants and {len(jars['staff'])} coordinators "
                f"signed in in {time.monotonic() - t0:.0f} s"
            )
            return jars

        sessions = sign_everyone_in()
        pages = {
            "home": ("participant home `/`", "/", "people"),
            "review": ("applications review", f"/cohorts/{slug}/applications/", "staff"),
            "run": ("match-run review", f"/cohorts/{slug}/pairing/runs/{run}/", "staff"),
            "checkins": ("check-ins overview", f"/cohorts/{slug}/checkins/", "staff"),
        }
        chosen = [pages[name.strip()] for name in args.pages.split(",") if name.strip()]
        load_before = os.getloadavg()
        client_cpu = phases_wall = 0.0
        alone, thought, saturated = [], [], []
        for label, path, kind in chosen:
            for phase, users, requests, duration, think, into in (
                ("warm-up", args.workers, 1, 0.0, None, None),
                ("alone", 1, 10, 0.0, None, alone),
                ("think", args.users, None, args.duration, tuple(args.think), thought),
                ("saturation", args.sat_users, None, args.sat_duration, None, saturated),
            ):
                say(f"{label}: {phase}, {users} users, {duration:.0f} s")
                killed_before = server.count("WORKER TIMEOUT")
                usage = resource.getrusage(resource.RUSAGE_SELF)
                cpu_before = usage.ru_utime + usage.ru_stime
                result = run_phase(
                    label,
                    port,
                    path,
                    sessions[kind],
                    users=users,
                    duration=duration,
                    think=think,
                    timeout=args.client_timeout,
                    count=requests,
                )
                usage = resource.getrusage(resource.RUSAGE_SELF)
                client_cpu += usage.ru_utime + usage.ru_stime - cpu_before
                phases_wall += result.elapsed
                after, latency = probe(port, args.recovery_limit)
                result.killed = server.count("WORKER TIMEOUT") - killed_before
                if after is None:
                    result.recovery = f"**not within {args.recovery_limit:.0f} s** (restarted)"
                    say("the server does not answer: restarting it")
                    server.restart()
                    sessions = sign_everyone_in()
                else:
                    result.recovery = f"{after:.1f} s ({ms(latency)} ms)"
                say(
                    f"  {result.requests} requests, p95 {ms(result.pct(95))} ms, "
                    f"errors {sum(result.errors.values())}, workers killed {result.killed}, "
                    f"probe: {result.recovery}"
                )
                if into is not None:
                    into.append(result)

        # The server afterwards: 20 participant homes one after the other.
        after = Result("participant home, one user, after the run")
        client = Client(port, timeout=args.client_timeout, cookies=sessions["people"][0])
        for _ in range(20):
            t = time.monotonic()
            try:
                status, _, _ = client.request("GET", "/")
                if status == 200:
                    after.latencies.append(time.monotonic() - t)
                else:
                    after.errors[f"HTTP {status}"] += 1
            except (OSError, http.client.HTTPException) as exc:
                after.errors[type(exc).__name__] += 1
        client.close()

        print()
        print(
            f"Tandem under load: gunicorn {args.workers} {args.worker_class} workers"
            f"{f' × {args.threads} threads' if args.worker_class == 'gthread' else ''}, "
            f"--timeout {args.timeout}, tandem.settings.production, PostgreSQL, cohort "
            f"`{slug}` ({info['accepted']} accepted, {info['published_pairs']} published pairs); "
            f"{os.cpu_count()} cores shared with the client (which used "
            f"{100 * client_cpu / max(phases_wall, 1e-9):.0f} % of one core while it ran); load "
            f"average before {load_before[0]:.1f}."
        )
        print()
        print(
            table(
                f"{args.users} users, think time {args.think[0]:g}–{args.think[1]:g} s, "
                f"{args.duration:g} s per page",
                thought,
                alone,
            )
        )
        print()
        print(
            table(
                f"Saturation: {args.sat_users} users without think time, "
                f"{args.sat_duration:g} s per page",
                saturated,
                alone,
            )
        )
        print()
        print(
            f"Afterwards: participant home p50 {ms(after.pct(50))} ms, max "
            f"{ms(max(after.latencies) if after.latencies else None)} ms over 20 requests, "
            f"errors {sum(after.errors.values())}."
        )
        print()
        print("'answers after': seconds from the end of the phase until the sign-in page")
        print("answered (and that answer's latency).")
        return 0
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
