"""The library's pages. Every read goes through ``selectors.visible_to``: a resource a person
may not see is a 404, whatever the URL."""

from __future__ import annotations

from functools import wraps

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_POST, require_safe

from tandem.core.pagination import page_of
from tandem.core.uploads import stored_file_response

from . import selectors, services
from .forms import CommentForm, DescribeForm, ReviewForm, SearchForm, ShareForm, VersionForm
from .models import Resource, Status, Version
from .selectors import Filters, visible_to

PER_PAGE = 20


def reader_language(request) -> str:
    """The reader's language: the first their browser asks for (the interface may not be
    translated into it yet, the library's resources may be), else the interface's."""
    for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code != "*":
            return code.split("-")[0].lower()
    return (getattr(request, "LANGUAGE_CODE", None) or get_language() or "en").split("-")[0]


def _resource(request, pk) -> Resource:
    """The resource if ``request.user`` may see it, else 404."""
    return get_object_or_404(
        visible_to(request.user).select_related("owner", "cohort", "partnership"), pk=pk
    )


def login_if_hidden(view):
    """An anonymous visitor asking for a resource they may not see is sent to sign in (for any
    number, so the answer tells nothing about what exists); a signed-in person gets a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())

    return wrapper


def _require(request, perm: str, resource=None) -> None:
    if not rules.has_perm(perm, request.user, resource):
        raise PermissionDenied


class MatchesPaginator(Paginator):
    """Pages of a text search's matches, counted up to ``selectors.COUNT_CAP``: past it,
    ``capped`` is true, the page says "more than 1,000" and pages through the 1,000 best."""

    capped = False

    @cached_property
    def count(self) -> int:
        n = selectors.count_matches(self.object_list)
        self.capped = n > selectors.COUNT_CAP
        return min(n, selectors.COUNT_CAP)


@require_safe
def library(request):
    form = SearchForm(request.GET or None)
    values = form.filters() if request.GET else {}
    filters = Filters(**{k: v for k, v in values.items() if k in Filters.__dataclass_fields__})
    language = reader_language(request)
    results = selectors.search(request.user, filters, reader_language=language).only(
        "pk",
        "group",
        "title",
        "description",
        "kind",
        "language",
        "featured",
        "download_count",
        "useful_count",
        "version_count",
        "created_at",
        "visibility",
    )
    if selectors.terms_of(filters.q):  # a text search
        page = MatchesPaginator(results, PER_PAGE).get_page(request.GET.get("page"))
    else:
        page = page_of(request, results, per_page=PER_PAGE)
    rows = list(page.object_list)
    snippets = selectors.snippets(rows, filters.q, reader_language=language)
    variants = selectors.variants_of(request.user, rows)
    items = [
        {
            "resource": r,
            "snippet": snippets.get(r.pk, ""),
            "variants": [v for v in variants.get(r.group, []) if v[1] != r.pk],
        }
        for r in rows
    ]
    query = urlencode({k: v for k, v in values.items() if v})
    context = {
        "form": form,
        "page": page,
        "items": items,
        "query": query,
        "filters": filters,
        "reader_language": language,
    }
    template = "resources/_results.html" if request.htmx else "resources/library.html"
    return render(request, template, context)


@login_required
def share(request, pk=None):
    """Share a new resource, or (``pk``) the same resource in another language: adding a
    variant to a resource's group is editing it (its owner or a coordinator, who may share)."""
    original = None
    if pk:
        original = _resource(request, pk)
        _require(request, "resources.edit", original)
    _require(request, "resources.share")
    initial = {"language": reader_language(request)}
    if original is not None:
        initial = {
            "title": original.title,
            "kind": original.kind,
            "licence": original.licence,
            "visibility": original.visibility,
            "cohort": original.cohort_id,
            "pair": original.partnership_id,
            "topics": list(original.topics.values_list("pk", flat=True)),
        }
    form = ShareForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pair = data.get("pair")
        if pair is None and original is not None and data["visibility"] == original.visibility:
            pair = original.partnership  # a variant of a pair's resource: for the same pair
        try:
            resource = services.share(
                request.user,
                title=data["title"],
                file=data.get("file"),
                url=data.get("url", ""),
                kind=data["kind"],
                visibility=data["visibility"],
                cohort=data.get("cohort"),
                partnership=pair,
                language=data["language"],
                topics=data["topics"],
                description=data["description"],
                licence=data["licence"],
                variant_of=original,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if resource.status == Status.PUBLISHED:
                messages.success(
                    request, _("“%(title)s” is in the library.") % {"title": resource.title}
                )
            else:
                messages.success(
                    request,
                    _("“%(title)s” is sent for review; a coordinator will publish it.")
                    % {"title": resource.title},
                )
            return redirect(resource)
    return render(
        request,
        "resources/share.html",
        {"form": form, "original": original},
        status=400 if request.method == "POST" else 200,
    )


@require_safe
@login_if_hidden
def detail(request, pk):
    resource = _resource(request, pk)
    versions = list(resource.versions.select_related("uploaded_by").defer("text"))
    variants = list(
        visible_to(request.user)
        .filter(group=resource.group, status=Status.PUBLISHED)
        .exclude(pk=resource.pk)
        .only("pk", "title", "language")
        .order_by("language", "pk")
    )
    marked = (
        request.user.is_authenticated and resource.useful_marks.filter(user=request.user).exists()
    )
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "latest": versions[0] if versions else None,
            "versions": versions,
            "variants": variants,
            "topics": list(resource.topics.all()),
            "comments": list(resource.comments.select_related("author")),
            "comment_form": CommentForm(),
            "review_form": ReviewForm(),
            "marked": marked,
        },
    )


@require_safe
@login_if_hidden
def download(request, pk, number=None):
    """The latest (or a given) version: a file from the storage as an attachment with its
    checked type and ``nosniff``, or a redirect to a link. Counted."""
    resource = _resource(request, pk)
    versions = Version.objects.filter(resource=resource).defer("text")
    version = (
        versions.filter(number=number).first()
        if number is not None
        else versions.order_by("-number").first()
    )
    if version is None:
        raise Http404
    services.count_download(resource)
    if version.is_link:
        return HttpResponseRedirect(version.url)
    try:
        return stored_file_response(
            services.storage(),
            version.blob,
            filename=version.filename or f"resource-{resource.pk}",
            content_type=version.content_type,
        )
    except FileNotFoundError as missing:
        raise Http404 from missing


@login_required
def new_version(request, pk):
    resource = _resource(request, pk)
    _require(request, "resources.edit", resource)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.add_version(
                request.user,
                resource,
                file=data.get("file"),
                url=data.get("url", ""),
                change_note=data["change_note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Version %(n)s is uploaded.") % {"n": version.number})
            return redirect(resource)
    return render(
        request,
        "resources/version_form.html",
        {"form": form, "resource": resource},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def edit(request, pk):
    resource = _resource(request, pk)
    _require(request, "resources.edit", resource)
    form = DescribeForm(request.POST or None, instance=resource, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        topics = data.pop("topics")
        data["partnership"] = data.pop("pair", None)
        try:
            services.edit(request.user, resource, data, topics=topics)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(resource)
    return render(
        request,
        "resources/edit.html",
        {"form": form, "resource": resource},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def remove(request, pk):
    resource = _resource(request, pk)
    _require(request, "resources.remove", resource)
    services.remove(request.user, resource)
    messages.success(request, _("“%(title)s” is removed.") % {"title": resource.title})
    return redirect("resources:library")


@require_POST
@login_required
def feature(request, pk):
    resource = _resource(request, pk)
    _require(request, "resources.feature", resource)
    services.set_featured(request.user, resource, not resource.featured)
    return redirect(resource)


@require_POST
@login_required
def useful(request, pk):
    resource = _resource(request, pk)
    _require(request, "resources.use", resource)
    services.toggle_useful(request.user, resource)
    return redirect(resource)


@require_POST
@login_required
def comment(request, pk):
    resource = _resource(request, pk)
    _require(request, "resources.use", resource)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment(request.user, resource, form.cleaned_data["body"])
        return redirect(f"{resource.get_absolute_url()}#comments")
    messages.error(request, _("Write a comment first."))
    return redirect(resource)


@require_safe
@login_required
def review_queue(request):
    _require(request, "resources.review")
    pending = (
        Resource.objects.filter(status__in=[Status.PENDING, Status.CHANGES])
        .select_related("owner", "cohort")
        .defer("search_document", "search_vector")
        .order_by("status", "updated_at", "pk")
    )
    page = page_of(request, pending)
    return render(
        request,
        "resources/review_queue.html",
        {"page": page, "review_form": ReviewForm(), "query": ""},
    )


@require_POST
@login_required
def decide(request, pk):
    _require(request, "resources.review")
    resource = get_object_or_404(
        Resource.objects.exclude(status=Status.REMOVED).select_related("owner"), pk=pk
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "resources/decide.html",
            {"form": form, "resource": resource},
            status=400,
        )
    approve = form.cleaned_data["decision"] == "approve"
    services.review(request.user, resource, approve=approve, note=form.cleaned_data["note"])
    messages.success(
        request,
        (_("“%(title)s” is published.") if approve else _("Changes asked for “%(title)s”."))
        % {"title": resource.title},
    )
    return redirect("resources:review_queue")


@require_safe
@login_required
def mine(request):
    """What I shared, with its review status."""
    resources = (
        Resource.objects.filter(owner=request.user)
        .exclude(status=Status.REMOVED)
        .defer("search_document", "search_vector")
        .order_by("-created_at", "-pk")
    )
    return render(
        request, "resources/mine.html", {"page": page_of(request, resources), "query": ""}
    )
