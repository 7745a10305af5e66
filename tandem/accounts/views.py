from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.core.profile import posted_section
from tandem.core.profile import sections as profile_sections

from . import throttle
from .forms import OutboxPasswordResetForm, ProfileForm, SignupForm


def _requested_next(request) -> str:
    """The ``next`` parameter if it is a path or URL on this site (Django's safe-URL check: no
    other host, no scheme tricks such as ``//evil.example`` or ``https:evil.example``), else
    ''."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def safe_next(request, default: str = "home") -> str:
    """Where to go after a form: a safe ``next`` (see above), else ``default`` (a URL name or
    path). Never a view name taken from the request (``next=x:y`` is not looked up)."""
    return _requested_next(request) or resolve_url(default)


def signup(request):
    if request.user.is_authenticated:
        return HttpResponseRedirect(safe_next(request))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
        except IntegrityError:
            # A concurrent sign-up with the same address won the unique constraint between
            # our check and our insert: answer like the check would have.
            form.add_error("email", SignupForm.EXISTS)
            return render(
                request, "accounts/signup.html", {"form": form, "next": _requested_next(request)}
            )
        login(request, user, backend="tandem.accounts.backends.BackOfficeModelBackend")
        messages.success(
            request,
            _("Welcome, %(name)s! Your account is ready.") % {"name": user.get_short_name()},
        )
        return HttpResponseRedirect(safe_next(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _requested_next(request)})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, with links built from ``TANDEM_BASE_URL`` (see the form) and at
    most ``TANDEM_THROTTLES["password-reset"]`` e-mails per address and per client."""

    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        try:
            throttle.limit(
                "password-reset",
                address=form.cleaned_data["email"],
                client=throttle.client_ip(self.request),
            )
        except throttle.Throttled as refusal:
            form.add_error(
                None,
                ngettext(
                    "Too many password-reset e-mails were asked for this address or from your "
                    "network. Please try again in %(minutes)d minute.",
                    "Too many password-reset e-mails were asked for this address or from your "
                    "network. Please try again in %(minutes)d minutes.",
                    refusal.minutes,
                )
                % {"minutes": refusal.minutes},
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(int(refusal.retry_after.total_seconds()) + 1)
            return response
        return super().form_valid(form)


@login_required
def profile(request):
    """Name and time zone, then each app's section (tandem.core.profile): the private calendar
    link, which reminder e-mails to receive …

    A section's form posts with a submit button named ``save_<section>``; any other POST is the
    profile form."""
    posted = posted_section(request)
    saving_profile = request.method == "POST" and posted is None
    form = ProfileForm(request.POST if saving_profile else None, instance=request.user)
    section_forms = {
        section.name: section.form(request, request.POST if section is posted else None)
        for section in profile_sections()
        if section.form is not None
    }
    if saving_profile and form.is_valid():
        form.save()
        messages.success(request, _("Profile saved. Times are now shown in your new time zone."))
        return redirect("accounts:profile")
    if posted is not None and section_forms[posted.name].is_valid():
        section_forms[posted.name].save()
        if posted.saved:
            messages.success(request, posted.saved)
        return redirect(reverse("accounts:profile") + f"#{posted.name}")
    sections = [
        (
            section,
            {
                **(section.context(request) if section.context else {}),
                "form": section_forms.get(section.name),
            },
        )
        for section in profile_sections()
    ]
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "sections": sections,
            **{f"{name}_form": section_form for name, section_form in section_forms.items()},
        },
    )
