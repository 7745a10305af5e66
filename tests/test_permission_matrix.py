"""The permission matrix: every URL of every app, read from the URL resolver, requested by each
role with GET and with POST, against the outcome written for it.

The expected outcomes of Tandem's own URLs are the table in ``tests/permission_matrix.txt`` (one
line per URL and method, one column per role; the roles and outcomes are explained there).  The
Django admin's URLs follow one rule, :func:`admin_expected`: nobody but staff gets past its
sign-in page, and a coordinator sees and changes only the models their permissions allow.

Every request runs in a transaction that is rolled back, so no request changes what the next
one sees, and POSTs carry no data: the matrix says who may act at all; each app's own tests say
what a valid form does.

Adding a URL: add its GET and POST lines to ``tests/permission_matrix.txt`` and, if its path
takes arguments other than the cohort's ``slug``, an entry in :data:`ARGS`.  A URL without
lines fails ``test_every_url_is_in_the_matrix``, which names it; so does a line for a URL that
no longer exists.
"""

from __future__ import annotations

import datetime as dt
import re
from http.cookies import SimpleCookie
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve, reverse
from django.urls.exceptions import Resolver404

from tandem.calendars.models import CalendarFeed
from tandem.meetings.models import Meeting
from tandem.notifications import unsubscribe
from tandem.workshops.certificates import verification_id
from tandem.workshops.models import Material, Registration, TopicProposal
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import CohortFactory
from tests.pairing_fixtures import make_app
from tests.resources.factories import make_resource
from tests.workshops.factories import RegistrationFactory, SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

ROLES = (
    "anonymous",
    "newcomer",  # signed in, no application anywhere
    "participant",  # Lin: the application, check-in and calendar feed in the URLs are hers
    "partner",  # Eva, Lin's published partner
    "unrelated",  # Leo: accepted in the same cohort, paired with someone else
    "other_cohort",  # Olga: accepted in another cohort
    "coordinator",  # program staff (a staff user, not a superuser)
)
METHODS = ("GET", "POST")
TABLE = Path(__file__).with_name("permission_matrix.txt")


# The arguments of each URL's path, by parameter name: a value, or a function of the world.
# ``slug`` is the cohort's unless given here.
def _application(w):
    return w.application.pk


def _pair(w):
    return w.pair.pk


def _meeting(w):
    return w.meeting.pk


def _checkin(w):
    return w.checkin.pk


ARGS: dict[str, dict[str, Any]] = {
    "accounts:password_reset_confirm": {
        "uidb64": "MQ",
        "token": "not-a-token",
    },
    "applications:detail": {"pk": _application},
    "applications:decide": {"pk": _application},
    "applications:withdraw": {"pk": _application},
    "partnerships:set_role": {"pk": _application},
    "partnerships:run": {"pk": lambda w: w.run.pk},
    "partnerships:approve_all": {"pk": lambda w: w.run.pk},
    "partnerships:end": {"pk": _pair},
    "partnerships:pair_action": {"pk": _pair, "action": "approve"},
    "partnerships:run_status": {"pk": lambda w: w.run.pk},
    "partnerships:swap_search": {"pk": _pair},
    "meetings:detail": {"pk": _meeting},
    "meetings:edit": {"pk": _meeting},
    "meetings:checkin": {"pk": _checkin},
    "meetings:checkin_action": {"pk": _checkin, "action": "log"},
    "calendar:meeting_ics": {"pk": _meeting},
    "calendar:checkin_ics": {"pk": _checkin},
    "calendar:feed": {"token": lambda w: w.feed.token},
    # Lin's one-click unsubscribe from check-in-due reminders: anyone holding it may use it.
    "notifications:unsubscribe": {
        "token": lambda w: unsubscribe.token(w.application.applicant_id, "checkin-due")
    },
    **{
        f"resources:{name}": {"pk": lambda w: w.resource.pk}
        for name in (
            "detail",
            "download",
            "new_version",
            "add_variant",
            "edit",
            "remove",
            "feature",
            "useful",
            "comment",
            "decide",
        )
    },
    "resources:version_download": {"pk": lambda w: w.resource.pk, "number": 1},
    "calendar:workshop_ics": {"pk": lambda w: w.session.pk},
    "workshops:detail": {"pk": lambda w: w.session.workshop.pk},
    "workshops:edit": {"pk": lambda w: w.session.workshop.pk},
    "workshops:register": {"pk": lambda w: w.session.pk},
    "workshops:registration_action": {"pk": lambda w: w.registration.pk, "action": "cancel"},
    "workshops:topic_vote": {"pk": lambda w: w.proposal.pk},
    "workshops:topic_delete": {"pk": lambda w: w.proposal.pk},
    "workshops:run": {"pk": lambda w: w.past_session.workshop_id},
    "workshops:materials": {"pk": lambda w: w.past_session.workshop_id},
    "workshops:material_file": {"pk": lambda w: w.material.pk},
    "workshops:material_delete": {"pk": lambda w: w.material.pk},
    "workshops:roster": {"pk": lambda w: w.past_session.pk},
    "workshops:rate": {"pk": lambda w: w.past_session.pk},
    "workshops:certificate": {"pk": lambda w: w.past_session.pk},
    "workshops:session_certificates": {"pk": lambda w: w.past_session.pk},
    "workshops:mark_attendance": {"pk": lambda w: w.attended.pk},
    "certificates:verified": {"code": lambda w: verification_id(w.attended)},
    "api:applications": {"slug": lambda w: w.cohort.slug},
    "api:pairs": {"slug": lambda w: w.cohort.slug},
}


def read_matrix(path: Path = TABLE) -> dict[tuple[str, str], dict[str, str]]:
    """(url, method) → role → expected outcome, from the table file."""
    matrix: dict[tuple[str, str], dict[str, str]] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, method, *cells = line.split()
        where = f"{path.name}:{number}"
        assert method in METHODS, f"{where}: method {method!r} is not GET or POST"
        assert len(cells) == len(ROLES), f"{where}: {len(cells)} outcomes for {len(ROLES)} roles"
        assert (key, method) not in matrix, f"{where}: {key} {method} appears twice"
        matrix[key, method] = dict(zip(ROLES, cells, strict=True))
    return matrix


# --- The world ---------------------------------------------------------------------------------


@pytest.fixture
def world(published_pair, coordinator):
    cohort, people, pair = published_pair
    lin = people["lin"]
    other_cohort = CohortFactory(slug="elsewhere")
    olga = make_app(other_cohort, "Olga Other", "learning")
    meeting = Meeting.objects.create(
        cohort=cohort, title="Orientation", starts_at=pair.published_at
    )
    # Issue 15: a resource Lin shared with her cohort, published after review.
    resource = make_resource(lin.applicant, visibility="cohort", cohort=cohort, status="published")
    # The meeting's guidelines are that library resource (downloaded under the library's rules).
    Meeting.objects.filter(pk=meeting.pk).update(guidelines=resource)
    checkin = pair.checkins.order_by("round").first()
    checkin.proposed_at, checkin.confirmed = pair.published_at + dt.timedelta(days=7), True
    checkin.save()
    # A workshop of the cohort, Lin with a seat in its session (in two weeks).
    session = SessionFactory(workshop__cohort=cohort)
    registration = RegistrationFactory(
        session=session, person=lin.applicant, status=Registration.Status.REGISTERED
    )
    # Issue 14 part 2: a past workshop facilitated by Eva, Lin marked present at its session
    # (rated), Leo absent; a slides file; a topic proposed by Lin.
    past = SessionFactory(
        workshop__cohort=cohort,
        workshop__facilitators=[people["eva"].applicant],
        starts_at=pair.published_at - dt.timedelta(days=3),
    )
    attended = RegistrationFactory(
        session=past, person=lin.applicant, attended=True, rating=4, comment="Useful."
    )
    RegistrationFactory(session=past, person=people["leo"].applicant, attended=False)
    material = Material.objects.create(workshop=past.workshop, kind="slides", title="Slides")
    material.file.save("slides.txt", ContentFile(b"Slide 1"), save=True)
    proposal = TopicProposal.objects.create(
        cohort=cohort, title="Fees and budgets", proposed_by=lin.applicant
    )
    return SimpleNamespace(
        past_session=past,
        attended=attended,
        material=material,
        proposal=proposal,
        cohort=cohort,
        application=lin,
        pair=pair,
        run=pair.run,
        meeting=meeting,
        resource=resource,
        checkin=checkin,
        session=session,
        registration=registration,
        feed=CalendarFeed.objects.create(user=lin.applicant),
        users={
            "anonymous": None,
            "newcomer": UserFactory(),
            "participant": lin.applicant,
            "partner": people["eva"].applicant,
            "unrelated": people["leo"].applicant,
            "other_cohort": olga.applicant,
            "coordinator": coordinator,
        },
    )


# --- Every URL, from the resolver ---------------------------------------------------------------


def every_url() -> dict[str, str]:
    """``namespace:name`` (or, for an unnamed pattern, its route) → route, for every pattern."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespaces: tuple[str, ...]) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                key = ":".join((*namespaces, pattern.name)) if pattern.name else route
                found.setdefault(key, route)

    walk(get_resolver().url_patterns, "", ())
    return found


PARAM = re.compile(r"\(\?P<(?P<group>\w+)>[^)]*\)|<(?:[^>:]+:)?(?P<name>[^>]+)>")


def admin_kwargs(world, route: str) -> dict[str, Any]:
    """Arguments of a back-office URL: an existing object of the model in its path."""
    parts = route.split("/")
    model = None
    # Not admin/r/<content_type_id>/<object_id>/ (view on site), nor a path argument; an app
    # whose name starts with "r" (resources) is a model's page like any other.
    if len(parts) > 3 and parts[1] != "r" and not parts[1].startswith("<"):
        try:
            model = apps.get_model(parts[1], parts[2])
        except LookupError:
            model = None
    values = {
        "url": "no-such-page/",
        "app_label": "members",
        "content_type_id": ContentType.objects.get_for_model(world.meeting).pk,
        "id": world.users["participant"].pk,
    }
    obj = model.objects.order_by("pk").first() if model is not None else world.meeting
    values["object_id"] = obj.pk if obj is not None else 0
    return values


def build_url(world, key: str, route: str) -> str:
    names = [m.group("group") or m.group("name") for m in PARAM.finditer(route)]
    if key.startswith("admin:") or route.startswith("admin/"):
        given = admin_kwargs(world, route)
    else:
        given = {"slug": world.cohort.slug, **ARGS.get(key, {})}
    kwargs = {}
    for name in names:
        value = given[name]
        kwargs[name] = value(world) if callable(value) else value
    if key != route:  # a named URL
        return reverse(key, kwargs=kwargs)
    path = PARAM.sub(lambda m: str(kwargs[m.group("group") or m.group("name")]), route)
    return "/" + path.replace("^", "").replace("$", "")


# --- One request, one outcome -------------------------------------------------------------------


class _RollBack(Exception):
    pass


def client_for(world, role: str) -> Client:
    client = Client(raise_request_exception=False)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def outcome(client: Client, url: str, method: str) -> str:
    """The request's outcome as the matrix writes it; nothing it changes is kept."""
    cookies = SimpleCookie(client.cookies)  # a sign-out must not sign the next request out
    try:
        with transaction.atomic():
            response = client.generic(method, url)
            raise _RollBack
    except _RollBack:
        pass
    finally:
        client.cookies = cookies
    status = response.status_code
    if status not in (301, 302, 303, 307, 308):
        return str(status)
    target = urlsplit(response["Location"]).path
    if target == reverse("accounts:login"):
        return "login"
    if target == reverse("admin:login"):
        return "admin-login"
    try:
        return f"302>{resolve(target).view_name}"
    except Resolver404:
        return f"302>{target}"


# --- The Django admin: one rule ------------------------------------------------------------------

ADMIN_SITE = {
    # url: (GET, POST) for a coordinator, who is staff
    "admin:index": ("200", "200"),
    "admin:login": ("302>admin:index", "200"),
    "admin:logout": ("405", "302>home"),
    "admin:password_change": ("200", "200"),
    "admin:password_change_done": ("200", "405"),
    "admin:jsi18n": ("200", "405"),
    "admin:autocomplete": ("403", "405"),
    # Django's "view on site" only redirects to the object's own page (checked there).
    "admin:view_on_site": ("302>meetings:detail", "302>meetings:detail"),
    "admin/(?P<url>.*)$": ("404", "404"),
}
MODEL_URL = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")


def admin_expected(world, key: str, route: str, method: str, role: str) -> str:
    """What a role gets from a back-office URL.

    Only staff get past the back office's sign-in page.  A coordinator is staff; for a model's
    pages they get what Django's admin gives for their permissions on that model (through the
    rules backend too: ``cohorts.view_application`` lets them view applications there)."""
    if role != "coordinator":
        if key == "admin:login":
            return "200"
        if key == "admin:logout":
            return "302>admin:index"
        return "admin-login"
    if key in ADMIN_SITE:
        return ADMIN_SITE[key][METHODS.index(method)]
    user = world.users[role]
    if key == "admin:app_list":
        return "200" if user.has_module_perms("members") else "404"
    found = MODEL_URL.match(route)
    assert found, f"{key} ({route}): a back-office URL the rule does not know; extend ADMIN_SITE"
    app, model_name = found["app"], found["model"]

    def may(action: str) -> bool:
        return user.has_perm(f"{app}.{action}_{model_name}")

    sees = may("view") or may("change")
    denied = "403"
    if key == route:  # admin/<app>/<model>/<id>/ redirects to the change page
        return f"302>admin:{app}_{model_name}_change"
    kind = key.rsplit("_", 1)[-1]
    if key.endswith("_password_change"):
        return "200" if may("change") else denied
    if kind == "changelist":
        return "200" if sees else denied
    if kind == "add":
        return "200" if may("add") else denied
    if kind == "change":
        return "200" if (may("change") if method == "POST" else sees) else denied
    if kind == "delete":
        if not may("delete"):
            return denied
        return "200" if method == "GET" else f"302>admin:{app}_{model_name}_changelist"
    if kind == "history":
        model = apps.get_model(app, model_name)
        if not model.objects.exists():
            return "302>admin:index"  # Django answers "no such object" before permissions
        return "200" if sees else denied
    raise AssertionError(f"{key} ({route}): a back-office URL the rule does not know")


# --- The tests ----------------------------------------------------------------------------------


def is_admin(key: str, route: str) -> bool:
    return route.startswith("admin/")


def check_every_url_is_in_the_matrix() -> None:
    urls = {key: route for key, route in every_url().items() if not is_admin(key, route)}
    matrix = read_matrix()
    missing = [
        f"{key} ({'/' + route}) {method}"
        for key, route in sorted(urls.items())
        for method in METHODS
        if (key, method) not in matrix
    ]
    assert not missing, (
        "URL(s) without a line in tests/permission_matrix.txt — add what each role gets:\n  "
        + "\n  ".join(missing)
    )
    stale = sorted({key for key, _method in matrix} - set(urls))
    assert not stale, f"Lines in tests/permission_matrix.txt for URLs that do not exist: {stale}"
    unknown_args = sorted(set(ARGS) - set(urls))
    assert not unknown_args, f"ARGS for URLs that do not exist: {unknown_args}"


def test_every_url_is_in_the_matrix():
    check_every_url_is_in_the_matrix()


def test_a_new_url_without_lines_fails_and_is_named():
    from tandem import urls as project_urls

    def secret(request, slug):
        return HttpResponse("secret")

    urlconf = ModuleType("urls_with_a_new_page")
    urlconf.urlpatterns = [
        *project_urls.urlpatterns,
        path("cohorts/<slug:slug>/secret/", secret, name="secret"),
    ]
    with (
        override_settings(ROOT_URLCONF=urlconf),
        pytest.raises(AssertionError, match=r"secret \(/cohorts/<slug:slug>/secret/\) GET"),
    ):
        check_every_url_is_in_the_matrix()


@pytest.mark.parametrize("role", ROLES)
def test_matrix(world, role):
    matrix = read_matrix()
    client = client_for(world, role)
    wrong = []
    for key, route in sorted(every_url().items()):
        url = build_url(world, key, route)
        for method in METHODS:
            if is_admin(key, route):
                expected = admin_expected(world, key, route, method, role)
            else:
                expected = matrix[key, method][role]
            got = outcome(client, url, method)
            if got != expected:
                wrong.append(f"{method} {url} ({key}): expected {expected}, got {got}")
    assert not wrong, f"As {role}:\n  " + "\n  ".join(wrong)


def test_a_wrong_feed_token_is_not_found(client, world):
    assert client.get(reverse("calendar:feed", args=["x" * 43])).status_code == 404


def test_feed_reset_only_touches_the_signed_in_person(client, world):
    client.force_login(world.users["unrelated"])
    client.post(reverse("calendar:feed_reset"))
    world.feed.refresh_from_db()
    assert CalendarFeed.objects.get(user=world.users["participant"]).token == world.feed.token
