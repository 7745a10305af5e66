"""The notifications app's profile section: which reminder e-mails the person receives."""

from django.utils.translation import gettext_lazy as _

from tandem.core.profile import Section, register

from .forms import ReminderPreferencesForm


def _form(request, data):
    return ReminderPreferencesForm(data, user=request.user)


def register_profile_section() -> None:
    register(
        Section(
            "reminders",
            "notifications/_profile_reminders.html",
            form=_form,
            saved=_("Reminder settings saved."),
            order=20,
        )
    )
