"""The JSON API (django-ninja): exports and the DataCite member import, with OpenAPI.

Authentication: ``Authorization: Bearer <token>`` (``manage.py create_api_token``) or the
browser session. Coordinator-only endpoints answer 403 to anyone else; errors are JSON
``{"detail": "…"}`` (plus ``errors`` for imports and invalid parameters).

Lists come a page at a time with an opaque cursor (``?cursor=``, ``?limit=``; see
:mod:`tandem.api.pagination`): ``{"items": […], "next_cursor": …, "next": …}``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.validators import slug_re
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from tandem.applications import selectors as application_selectors
from tandem.applications import services as application_services
from tandem.applications.forms import ReviewFilterForm
from tandem.cohorts.models import Cohort
from tandem.members.models import Organization
from tandem.members.services import ImportFailed, import_members
from tandem.partnerships.models import Partnership
from tandem.partnerships.reasons import as_data
from tandem.partnerships.services import pid

from .models import ApiToken, digest
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, BadCursor, CursorPage, Keyset, paginate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = ApiToken.objects.select_related("user").filter(key_hash=digest(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Tandem API",
    version="1",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    description="Exports and the DataCite member import of the Tandem platform.",
)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc: ValidationError):
    """A parameter of the wrong type or out of range (``?limit=0``): 400 naming it, in the
    API's error format (not django-ninja's 422)."""
    return api.create_response(
        request,
        {
            "detail": _("Invalid parameters; nothing was returned."),
            "errors": [
                f"{error.get('loc', ['?'])[-1]}: {error.get('msg', '')}" for error in exc.errors
            ],
        },
        status=400,
    )


#: ``?limit=``: how many items a page holds.
Limit = Query(
    DEFAULT_LIMIT,
    ge=1,
    le=MAX_LIMIT,
    description=f"Items per page (1–{MAX_LIMIT}).",
)
#: ``?cursor=``: where the page starts.
Cursor = Query(
    "",
    description="Opaque: the next_cursor of the page before (empty for the first page).",
)


def page_of(qs, keyset: Keyset, cursor: str, limit: int) -> CursorPage:
    """A page of ``qs``; a cursor this list did not issue is a 400 with a message."""
    try:
        return paginate(qs, keyset, cursor, limit)
    except BadCursor as error:
        raise HttpError(400, str(error)) from error


def page_out(request: HttpRequest, page: CursorPage, items: list) -> dict[str, Any]:
    return {"items": items, **page.links(request)}


def coordinator(request: HttpRequest):
    user = request.auth
    if not user.has_perm("tandem.coordinate"):
        raise HttpError(403, "Only program coordinators may use this endpoint.")
    return user


def cohort_or_404(slug: str) -> Cohort:
    """The cohort of a URL. A path that cannot be a slug (a NUL byte, which PostgreSQL refuses
    in a query, or any other character) is answered 404 before it reaches the database."""
    if not slug_re.match(slug):
        raise HttpError(404, _("No cohort has this address."))
    return get_object_or_404(Cohort, slug=slug)


def form_errors(form) -> list[str]:
    """``field: message`` lines of a bound form's errors, for :class:`ErrorOut`."""
    return [
        f"{field}: {message}" for field, messages in form.errors.items() for message in messages
    ]


class CohortOut(Schema):
    slug: str
    name: str
    timezone: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    program_start: dt.date
    program_end: dt.date
    checkin_cadence_months: int
    is_open: bool


class ReasonOut(Schema):
    code: str
    params: dict[str, Any]
    text: str  # English, names for participant ids


class PairOut(Schema):
    id: int
    status: str
    experienced: str
    experienced_member_id: str
    learning: str
    learning_member_id: str
    score: float
    overlap_hours: float
    reasons: list[ReasonOut]
    published_at: dt.datetime | None


class MemberOut(Schema):
    id: str
    symbol: str
    name: str
    member_type: str
    country: str
    region: str
    gap_eligible: bool
    consortium: str | None


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    summary: str
    symbols: list[str]


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []


class CohortPage(Schema):
    items: list[CohortOut]
    next_cursor: str | None
    next: str | None


class ApplicationPage(Schema):
    items: list[dict[str, Any]]
    next_cursor: str | None
    next: str | None


class PairPage(Schema):
    items: list[PairOut]
    next_cursor: str | None
    next: str | None


class MemberPage(Schema):
    items: list[MemberOut]
    next_cursor: str | None
    next: str | None


COHORTS = Keyset("cohorts", ("-opens_at", "pk"))
#: The review list's default order, GAP first (the CSV's order).
APPLICATIONS = Keyset("applications", ("-is_gap", "submitted_at", "pk"))
PAIRS = Keyset("pairs", ("-score", "pk"))
MEMBERS = Keyset("members", ("name", "pk"))


@api.get(
    "/cohorts",
    response={200: CohortPage, 400: ErrorOut},
    auth=None,
    summary="All cohorts (public), newest first, a page at a time",
)
def cohorts(request, cursor: str = Cursor, limit: int = Limit):
    page = page_of(Cohort.objects.all(), COHORTS, cursor, limit)
    return page_out(
        request,
        page,
        [
            {
                **{f: getattr(c, f) for f in CohortOut.model_fields if f != "is_open"},
                "is_open": c.is_open(),
            }
            for c in page.items
        ],
    )


@api.get(
    "/cohorts/{slug}/applications",
    response={200: ApplicationPage, 400: ErrorOut, 403: ErrorOut},
    summary="A cohort's applications (coordinators); same filters as the review page",
    description="Filters take the values of the review page's filters; any other value "
    "(an unknown status, a NUL byte…) is answered 400 with the field and the reason. "
    "GAP applicants first, then by submission; a page at a time.",
)
def applications(
    request,
    slug: str,
    status: str = "",
    region: str = "",
    gap: str = "",
    role: str = "",
    language: str = "",
    cursor: str = Cursor,
    limit: int = Limit,
):
    coordinator(request)
    cohort = cohort_or_404(slug)
    form = ReviewFilterForm(
        {"status": status, "region": region, "gap": gap, "role": role, "language": language}
    )
    if not form.is_valid():
        return Status(
            400, {"detail": _("Invalid filter; nothing was returned."), "errors": form_errors(form)}
        )
    qs = application_selectors.review_queryset(cohort, form.cleaned_data)
    page = page_of(qs, APPLICATIONS, cursor, limit)
    prefetch_related_objects(page.items, "topics__topic")
    return page_out(
        request,
        page,
        [
            dict(zip(application_services.CSV_COLUMNS, row, strict=True))
            for row in application_services.export_rows(page.items)
        ],
    )


@api.get(
    "/cohorts/{slug}/pairs",
    response={200: PairPage, 400: ErrorOut, 403: ErrorOut},
    summary="A cohort's approved and published pairs (coordinators), best score first",
)
def pairs(request, slug: str, cursor: str = Cursor, limit: int = Limit):
    coordinator(request)
    cohort = cohort_or_404(slug)
    rows = Partnership.objects.filter(cohort=cohort, status__in=Partnership.ACTIVE).select_related(
        "experienced__organization", "learning__organization"
    )
    page = page_of(rows, PAIRS, cursor, limit)
    with translation.override("en"):
        return page_out(request, page, [_pair_out(p) for p in page.items])


def _pair_out(p: Partnership) -> dict[str, Any]:
    """One pair; its reasons as code + params, with their English text (names for ids)."""
    people = {pid(p.experienced_id): p.experienced, pid(p.learning_id): p.learning}
    return {
        "id": p.pk,
        "status": p.status,
        "experienced": p.experienced.full_name,
        "experienced_member_id": p.experienced.organization.symbol,
        "learning": p.learning.full_name,
        "learning_member_id": p.learning.organization.symbol,
        "score": p.score,
        "overlap_hours": p.overlap_hours,
        "reasons": [as_data(r, people) for r in p.reasons],
        "published_at": p.published_at,
    }


@api.get(
    "/members",
    response={200: MemberPage, 400: ErrorOut, 403: ErrorOut},
    summary="DataCite members known to Tandem (coordinators), by name",
)
def members(request, cursor: str = Cursor, limit: int = Limit):
    coordinator(request)
    # The country GAP overrides come with each organisation: no query per organisation.
    orgs = Organization.objects.select_related("consortium").with_gap_rules()
    page = page_of(orgs, MEMBERS, cursor, limit)
    return page_out(
        request,
        page,
        [
            {
                "id": o.provider_id,
                "symbol": o.symbol,
                "name": o.name,
                "member_type": o.member_type,
                "country": str(o.country),
                "region": o.region,
                "gap_eligible": o.gap_eligible,
                "consortium": o.consortium.symbol if o.consortium else None,
            }
            for o in page.items
        ],
    )


JSONAPI_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["data"],
                "properties": {"data": {"type": "array", "items": {"type": "object"}}},
                "example": {
                    "data": [
                        {
                            "id": "krdc",
                            "type": "providers",
                            "attributes": {
                                "symbol": "KRDC",
                                "name": "Kenya Research Data Consortium",
                                "memberType": "consortium",
                                "country": "KE",
                            },
                        }
                    ]
                },
            }
        }
    },
}


@api.post(
    "/members/import",
    response={200: ImportOut, 400: ErrorOut, 403: ErrorOut},
    summary="Import a DataCite /providers JSON:API document (all or nothing)",
    openapi_extra={"requestBody": JSONAPI_BODY},
)
def members_import(request):
    """One JSON:API page, or a JSON array of saved pages imported as one set."""
    user = coordinator(request)
    try:
        result = import_members(request.body, "json", actor=user)
    except ImportFailed as error:
        return Status(400, {"detail": error.detail, "errors": error.errors})
    return Status(
        200,
        {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "summary": result.summary,
            "symbols": result.symbols,
        },
    )
