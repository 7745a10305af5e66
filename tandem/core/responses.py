"""Answers to bad input: a 4xx that says what was wrong, never a 500."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse


def bad_input(
    request: HttpRequest, message: str, errors: list[str] | None = None, status: int = 400
) -> HttpResponse:
    """A 4xx that says what was wrong: JSON ``{"detail", "errors"}`` under the API (its error
    format), a page with the message elsewhere."""
    errors = errors or []
    if request.path_info.startswith(reverse("api:api-root")):
        return JsonResponse({"detail": message, "errors": errors}, status=status)
    return render(request, "bad_input.html", {"message": message, "errors": errors}, status=status)
