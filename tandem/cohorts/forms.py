from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.forms import TimezoneField
from tandem.core.timezones import WallClockError, to_utc

from .models import Cohort

DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WallClockField(forms.DateTimeField):
    """A naive wall-clock datetime: the zone is chosen by another field, not the viewer's."""

    def to_python(self, value):
        with dj_timezone.override(dt.UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result else result


class CohortForm(forms.ModelForm):
    """Coordinators enter the window as wall-clock times in a named zone; we store UTC."""

    timezone = TimezoneField(initial="America/Los_Angeles", label=_("Time zone of the window"))
    opens_local = WallClockField(label=_("Applications open"), widget=DATETIME_LOCAL)
    closes_local = WallClockField(
        label=_("Application deadline"),
        widget=DATETIME_LOCAL,
        help_text=_("Wall-clock time in the zone above, e.g. 23:59."),
    )

    class Meta:
        model = Cohort
        fields = [
            "name",
            "slug",
            "description",
            "timezone",
            "program_start",
            "program_end",
            "target_pairs",
            "checkin_cadence_months",
            "several_leads_per_consortium",
            "guidelines",
        ]
        labels = {
            "name": _("Name"),
            "slug": _("Short name for its web address"),
            "description": _("Description"),
            "program_start": _("Program start"),
            "program_end": _("Program end"),
            "target_pairs": _("Pairs you aim for"),
            "checkin_cadence_months": _("Months between check-ins"),
            "guidelines": _("Guidelines"),
        }
        help_texts = {
            "slug": _(
                "Lower-case letters, digits and hyphens, e.g. 2025-cohort: /cohorts/2025-cohort/."
            ),
        }
        widgets = {
            "program_start": DATE,
            "program_end": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = ["name", "slug", "description", "timezone", "opens_local", "closes_local"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["opens_local"] = self.instance.opens_local.replace(tzinfo=None)
            self.initial["closes_local"] = self.instance.closes_local.replace(tzinfo=None)

    def _utc(self, field: str) -> dt.datetime | None:
        value = self.cleaned_data.get(field)
        tzname = self.cleaned_data.get("timezone")
        if value is None or not tzname:
            return None
        try:
            return to_utc(value, tzname)
        except WallClockError as error:
            self.add_error(field, str(error))
            return None

    def clean(self):
        data = super().clean()
        opens, closes = self._utc("opens_local"), self._utc("closes_local")
        if opens and closes and closes <= opens:
            self.add_error("closes_local", _("The deadline must be after the opening time."))
        start, end = data.get("program_start"), data.get("program_end")
        if start and end and end <= start:
            self.add_error("program_end", _("The program must end after it starts."))
        self.instance.opens_at, self.instance.closes_at = opens, closes
        return data
