from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from tandem.meetings.models import CalendarFeed

from .forms import ProfileForm, ReminderPreferencesForm, SignupForm


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.get_short_name()}! Your account is ready.")
        return redirect(request.GET.get("next") or "home")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request):
    """Name and time zone; the private calendar link; which reminder e-mails to receive.

    The reminders form posts with a submit button named ``save_reminders``; any other POST is
    the profile form."""
    saving_reminders = request.method == "POST" and "save_reminders" in request.POST
    saving_profile = request.method == "POST" and not saving_reminders
    form = ProfileForm(request.POST if saving_profile else None, instance=request.user)
    reminders_form = ReminderPreferencesForm(
        request.POST if saving_reminders else None, user=request.user
    )
    if saving_profile and form.is_valid():
        form.save()
        messages.success(request, "Profile saved. Times are now shown in your new time zone.")
        return redirect("accounts:profile")
    if saving_reminders and reminders_form.is_valid():
        reminders_form.save()
        messages.success(request, "Reminder settings saved.")
        return redirect(reverse("accounts:profile") + "#reminders")
    feed, _ = CalendarFeed.objects.get_or_create(user=request.user)
    feed_url = request.build_absolute_uri(reverse("calendar:feed", args=[feed.token]))
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "reminders_form": reminders_form,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        },
    )
