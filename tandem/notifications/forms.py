from django import forms
from django.utils.translation import gettext_lazy as _

from . import reminders
from .models import DigestChoice, ReminderOptOut

IMMEDIATE = "immediate"
PERIODS = [(IMMEDIATE, _("at once")), *DigestChoice.Period.choices]


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
        periods = dict(DigestChoice.objects.filter(user=user).values_list("kind", "period"))
        initial = {"receive": [k for k in self.kinds if k not in opted_out]}
        initial |= {f"every_{k}": periods.get(k, IMMEDIATE) for k in self.kinds}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["receive"].choices = list(self.kinds.items())
        for kind, label in self.kinds.items():
            # Optional: a form posted without them (or from before digests) keeps "at once".
            self.fields[f"every_{kind}"] = forms.ChoiceField(
                label=label, choices=PERIODS, required=False
            )

    def period_fields(self):
        """The "how often" choice of each kind, in the order of the boxes."""
        return [self[f"every_{kind}"] for kind in self.kinds]

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
        digested = {
            kind: period
            for kind in self.kinds
            if (period := self.cleaned_data.get(f"every_{kind}")) and period != IMMEDIATE
        }
        DigestChoice.objects.filter(user=self.user, kind__in=self.kinds).delete()
        DigestChoice.objects.bulk_create(
            [DigestChoice(user=self.user, kind=k, period=p) for k, p in digested.items()]
        )
