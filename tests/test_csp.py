"""Issue 11, point 15: a Content-Security-Policy on every response, no inline script anywhere,
and /api/docs loads its scripts from this site only (works offline)."""

import re
import uuid
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from tandem.meetings.models import Meeting
from tests.accounts.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "tandem").rglob("templates/**/*.html"))

SCRIPT_TAG = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.I | re.S)
HANDLER_ATTR = re.compile(r"""<[a-z][^>]*?\s(on[a-z]+|hx-on[:\w-]*)\s*=""", re.I | re.S)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)
DATA_BLOCK = re.compile(r"""type\s*=\s*["']application/(ld\+)?json["']""", re.I)


def inline_scripts(html: str) -> list[str]:
    """Executable inline code in ``html``: <script> without src (JSON data blocks are not
    code), on*= / hx-on handler attributes, javascript: URLs."""
    found = [
        m.group(0)[:120]
        for m in SCRIPT_TAG.finditer(html)
        if "src=" not in m.group("attrs").lower() and not DATA_BLOCK.search(m.group("attrs"))
    ]
    found += [m.group(0)[:120] for m in HANDLER_ATTR.finditer(html)]
    found += [m.group(0) for m in JS_URL.finditer(html)]
    return found


def same_origin(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def script_sources(html: str) -> list[str]:
    return [
        re.search(r"""src\s*=\s*["']([^"']+)""", m.group("attrs")).group(1)
        for m in SCRIPT_TAG.finditer(html)
        if "src=" in m.group("attrs").lower()
    ]


# --- The policy -----------------------------------------------------------------------------


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.django_db
@pytest.mark.integration
def test_the_policy_allows_no_inline_or_foreign_script(client):
    directives = policy(client.get(reverse("accounts:login")))
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["style-src"]


# --- Every URL of every app, from the URL resolver ------------------------------------------


def named_routes(patterns=None, namespace=""):
    """(qualified name, pattern) of every named URL, admin and API included."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
            yield from named_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry.pattern


def sample_kwargs(pattern, cohort) -> dict:
    converters = getattr(pattern, "converters", {})
    kwargs = {}
    for name, converter in converters.items():
        if isinstance(converter, IntConverter):
            kwargs[name] = 1
        elif isinstance(converter, UUIDConverter):
            kwargs[name] = uuid.uuid4()
        elif name == "slug":
            kwargs[name] = cohort.slug
        else:
            kwargs[name] = "x"
    if not converters and hasattr(pattern, "regex"):
        kwargs = {name: "x" for name in pattern.regex.groupindex}
    return kwargs


@pytest.mark.django_db
@pytest.mark.integration
def test_every_url_answers_with_the_policy(client, published_pair, coordinator):
    cohort, people, pair = published_pair
    checked = set()
    for user in (None, people["lin"].applicant, coordinator):
        client.logout()
        if user:
            client.force_login(user)
        for name, pattern in named_routes():
            try:
                url = reverse(name, kwargs=sample_kwargs(pattern, cohort))
            except NoReverseMatch:
                continue  # e.g. admin's app_label choices
            response = client.get(url)
            policy(response)
            checked.add(name)
    assert {
        "home",
        "accounts:signup",
        "applications:review",
        "meetings:checkin",
        "api:openapi-view",
        "admin:index",
        "outbox:index",
        "calendar:feed",
    } <= checked
    assert len(checked) > 60


@pytest.mark.django_db
@pytest.mark.integration
def test_error_and_refusal_pages_carry_the_policy(client, settings):
    assert policy(client.get("/no/such/page/"))
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("accounts:login"), {"username": user.email, "password": "x"})
    assert response.status_code == 429 and policy(response)
    assert policy(client.get("/static/css/tandem.css"))


# --- No inline script: in templates and in what pages render -------------------------------


@pytest.mark.unit
def test_no_template_contains_inline_script():
    assert TEMPLATES, "templates not found"
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in TEMPLATES
        if (found := inline_scripts(path.read_text()))
    }
    assert offenders == {}


@pytest.mark.unit
def test_the_inline_script_check_finds_what_it_should():
    assert inline_scripts("<script>alert(1)</script>")
    assert inline_scripts('<form onsubmit="return confirm(1)">')
    assert inline_scripts('<input\n  value="x" onfocus="this.select()">')
    assert inline_scripts('<div hx-on:click="alert(1)">')
    assert inline_scripts('<a href="javascript:alert(1)">')
    assert not inline_scripts('<script src="/static/js/tandem.js" defer></script>')
    assert not inline_scripts('<script type="application/json" id="s">{"a": 1}</script>')
    assert not inline_scripts("<p>Someone said: only on=weekends</p>")


@pytest.mark.django_db
@pytest.mark.integration
def test_rendered_pages_have_no_inline_script(client, published_pair, coordinator):
    cohort, people, pair = published_pair
    lin = people["lin"]
    meeting = Meeting.objects.create(
        cohort=cohort, title="Orientation", starts_at=pair.published_at
    )
    s = cohort.slug
    pages = {
        None: [
            "home",
            ("accounts:login", []),
            ("accounts:signup", []),
            ("accounts:password_reset", []),
            ("cohorts:detail", [s]),
        ],
        lin.applicant: [
            "home",
            ("accounts:profile", []),
            ("applications:detail", [s, lin.pk]),
            ("cohorts:detail", [s]),
            ("meetings:detail", [s, meeting.pk]),
            ("meetings:checkin", [s, pair.checkins.first().pk]),
        ],
        coordinator: [
            "home",
            ("applications:review", [s]),
            ("applications:detail", [s, lin.pk]),
            ("partnerships:home", [s]),
            ("meetings:list", [s]),
            ("meetings:checkins", [s]),
            ("meetings:find_time", [s]),
            ("meetings:create", [s]),
            ("outbox:index", []),
        ],
        UserFactory(is_staff=True, is_superuser=True): [
            ("admin:index", []),
            ("admin:accounts_user_changelist", []),
            ("admin:accounts_user_change", [lin.applicant.pk]),
        ],
    }
    for user, names in pages.items():
        client.logout()
        if user:
            client.force_login(user)
        for entry in names:
            name, args = (entry, []) if isinstance(entry, str) else entry
            response = client.get(reverse(name, args=args))
            assert response.status_code == 200, name
            html = response.content.decode()
            assert inline_scripts(html) == [], name
            assert "{#" not in html and "{%" not in html and "<header" in html, name
            assert all(same_origin(src) for src in script_sources(html)), name


# --- /api/docs: same-origin scripts only, and they are there --------------------------------


@pytest.mark.django_db
@pytest.mark.integration
def test_api_docs_load_scripts_from_this_site_only(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = script_sources(html)
    assert sources, "the docs page loads no script"
    assert all(src.startswith("/static/") for src in sources), sources
    assert "cdn" not in html.lower() and "//" not in "".join(sources)
    assert inline_scripts(html) == []
    policy(response)
    for src in sources:  # served here (offline), not only referenced
        assert client.get(src).status_code == 200, src
    stylesheets = re.findall(r"""<link[^>]+href=["']([^"']+)""", html)
    assert all(href.startswith("/static/") for href in stylesheets), stylesheets


@pytest.mark.django_db
@pytest.mark.integration
def test_sign_in_still_works_under_the_policy(client):
    user = UserFactory()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
