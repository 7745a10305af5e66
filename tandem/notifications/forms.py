from django import forms
from django.utils.translation import gettext_lazy as _

from . import reminders
from .models import ReminderOptOut


class ReminderPreferencesForm(forms.Form):
    """Which reminder e-mails a person receives, one box per registered kind; each unticked
    kind is a ReminderOptOut row."""

    receive = forms.MultipleChoiceField(
        label=_("E-mail me when:"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.kinds = reminders.kinds()
        opted_out = set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))
        kwargs.setdefault("initial", {"receive": [k for k in self.kinds if k not in opted_out]})
        super().__init__(*args, **kwargs)
        self.fields["receive"].choices = list(self.kinds.items())

    def save(self) -> None:
        """Store the unticked kinds as opt-outs and drop the opt-outs of ticked ones (opt-outs of
        kinds no longer registered are left alone)."""
        receive = set(self.cleaned_data["receive"])
        off = [kind for kind in self.kinds if kind not in receive]
        ReminderOptOut.objects.filter(user=self.user, kind__in=self.kinds).exclude(
            kind__in=off
        ).delete()
        ReminderOptOut.objects.bulk_create(
            [ReminderOptOut(user=self.user, kind=kind) for kind in off], ignore_conflicts=True
        )
