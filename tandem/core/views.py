"""Views every app shares: what a refused request answers."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render


def permission_denied(request, exception=None):
    """403 for a signed-in person; a signed-out visitor is sent to sign in and back.

    Views refuse with ``PermissionDenied`` (or ``permission_required(raise_exception=True)``)
    whoever asks; only the person who is signed in is really *not allowed*. The API answers
    its own 401 and never comes here."""
    if not request.user.is_authenticated:
        if request.headers.get("HX-Request"):
            response = render(request, "403.html", status=403)
            response["HX-Redirect"] = redirect_to_login(request.get_full_path())["Location"]
            return response
        return redirect_to_login(request.get_full_path())
    return render(request, "403.html", status=403)
