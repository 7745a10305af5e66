"""One-click unsubscribe (RFC 8058): the link of every optional mail, used without signing in.

A POST (the mail client's one-click, or the page's button) turns the kind off and answers 200;
a GET only shows what the button would turn off. The signed token is the whole authority, so
the view is CSRF-exempt: RFC 8058 clients post without a session or a CSRF token."""

from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .. import services, unsubscribe


@csrf_exempt
@require_http_methods(["GET", "POST"])
def one_click(request, token):
    found = unsubscribe.read(token)
    kinds = unsubscribe.labels()
    person = None
    if found and found[1] in kinds:
        person = get_user_model().objects.filter(pk=found[0]).first()
    if person is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    kind = found[1]
    done = request.method == "POST"
    if done:
        services.turn_off(person, kind)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"label": kinds[kind], "done": done, "token": token},
    )
