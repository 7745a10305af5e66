"""The public check of a certificate of attendance (no sign-in): ``/certificates/verify/`` asks
for the verification id printed on the certificate, ``/certificates/verify/<id>/`` says whose it
is — the attendee's name, the workshop and the date of attendance, nothing else — or that no
certificate has this id. Lookups are throttled per client address
(``TANDEM_THROTTLES["certificate-verification"]``), so ids cannot be guessed in bulk."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from tandem.accounts import throttle

from .. import certificates
from ..forms.workshops import VerifyForm


@require_GET
def verify(request):
    """The form; a submitted id goes to its own address (a link anyone can share)."""
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("certificates:verified", code=form.cleaned_data["code"])
    return render(
        request,
        "workshops/verify.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@require_GET
def verified(request, code):
    try:
        throttle.limit("certificate-verification", client=throttle.client_ip(request))
    except throttle.Throttled as refusal:
        message = ngettext(
            "Too many certificates were checked from your network. Please try again in "
            "%(minutes)d minute.",
            "Too many certificates were checked from your network. Please try again in "
            "%(minutes)d minutes.",
            refusal.minutes,
        ) % {"minutes": refusal.minutes}
        response = render(
            request,
            "workshops/verify.html",
            {"form": VerifyForm(), "refused": message},
            status=429,
        )
        response["Retry-After"] = str(int(refusal.retry_after.total_seconds()) + 1)
        return response
    registration = certificates.verify(code[:40])
    found = certificates.certificate_of(registration) if registration else None
    return render(
        request,
        "workshops/verify.html",
        {
            "form": VerifyForm(initial={"code": code[:40]}),
            "checked": True,
            "code": code[:40],
            # The name on the profile only: never the e-mail the certificate falls back to.
            "name": registration.person.name if registration else "",
            "found": found,
        },
        status=200 if found else 404,
    )
