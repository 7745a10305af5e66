from __future__ import annotations

import datetime as dt

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.forms import TimezoneField
from tandem.cohorts.forms import DATE, DATETIME_LOCAL, WallClockField
from tandem.core.timezones import WallClockError, local_date, to_local, to_utc
from tandem.core.uploads import validate_document

from .models import DOCUMENT_TYPES, MAX_UPLOAD_BYTES, Meeting


class MeetingForm(forms.ModelForm):
    """The start is entered as a wall-clock time in a chosen zone (the coordinator's own)."""

    starts_local = WallClockField(label="Starts", widget=DATETIME_LOCAL)
    timezone = TimezoneField(label="in time zone")

    class Meta:
        model = Meeting
        fields = ["kind", "title", "duration_minutes", "video_url", "agenda", "guidelines_document"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 4})}

    field_order = ["kind", "title", "starts_local", "timezone", "duration_minutes"]

    def __init__(self, *args, tzname: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].initial = tzname
        if self.instance.pk:
            self.initial["starts_local"] = to_local(self.instance.starts_at, tzname).replace(
                tzinfo=None
            )

    def clean_guidelines_document(self):
        """A new upload must be what its name says, by content (tandem.core.uploads); the size
        and extension limits of the model field are checked after this."""
        upload = self.cleaned_data.get("guidelines_document")
        if isinstance(upload, UploadedFile) and upload.size <= MAX_UPLOAD_BYTES:
            validate_document(upload, allowed=DOCUMENT_TYPES)
        return upload

    def clean(self):
        data = super().clean()
        local, tzname = data.get("starts_local"), data.get("timezone")
        if local and tzname:
            try:
                self.instance.starts_at = to_utc(local, tzname)
            except WallClockError as error:
                self.add_error("starts_local", str(error))
        return data


class FindTimeForm(forms.Form):
    start = forms.DateField(label="From", widget=DATE)
    end = forms.DateField(label="To", widget=DATE)
    duration = forms.IntegerField(
        label="Duration (minutes)", min_value=15, max_value=480, initial=60
    )
    sessions = forms.TypedChoiceField(
        coerce=int, initial=1, choices=[(1, "One session for everyone"), (2, "Best two sessions")]
    )
    meetings = forms.IntegerField(
        required=False,
        min_value=2,
        max_value=12,
        label="Recurring meetings to rotate (optional)",
        help_text="Balance who gets the unsociable hour over N meetings.",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The range must end after it starts.")
            elif (end - start).days > 62:
                self.add_error("end", "Search at most two months at a time.")
        return data


class ProposeForm(forms.Form):
    suggested = forms.ChoiceField(required=False, label="One of your shared times")
    custom = WallClockField(
        required=False, widget=DATETIME_LOCAL, label="…or another time (in your time zone)"
    )
    duration = forms.IntegerField(min_value=15, max_value=180, initial=60)

    def __init__(self, *args, suggestions=(), tzname: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.tzname = tzname
        self.fields["suggested"].choices = [("", "—")] + [
            (s.isoformat(), f"{to_local(s, tzname):%a %d %b %Y, %H:%M}") for s in suggestions
        ]

    def clean(self):
        data = super().clean()
        if data.get("suggested"):
            data["start"] = dt.datetime.fromisoformat(data["suggested"])
        elif data.get("custom"):
            try:
                data["start"] = to_utc(data["custom"], self.tzname)
            except WallClockError as error:
                self.add_error("custom", str(error))
        else:
            raise forms.ValidationError("Choose a shared time or enter another one.")
        if data.get("start") and data["start"] < dj_timezone.now():
            raise forms.ValidationError("Propose a time in the future.")
        return data


class LogForm(forms.Form):
    """The log of a held check-in. Dates are the logger's own dates (their zone)."""

    held_on = forms.DateField(widget=DATE, label=_("Date of the meeting"))
    other_day = forms.BooleanField(
        required=False, label=_("We met on another day than the confirmed time")
    )
    progress = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("Progress on goals")
    )
    challenges = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Challenges")
    )
    next_steps = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Next steps"))
    rating = forms.TypedChoiceField(
        coerce=int,
        label=_("How useful was it?"),
        choices=[(5, _("5 · very useful")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 · not useful"))],
    )

    def __init__(
        self,
        *args,
        tzname: str = "UTC",
        planned: dt.date | None = None,
        now: dt.datetime | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.tzname, self.planned, self.now = tzname, planned, now

    def clean_held_on(self):
        held = self.cleaned_data["held_on"]
        today = local_date(self.now or dj_timezone.now(), self.tzname)
        if held > today:
            raise forms.ValidationError(_("Log a check-in after it has happened."))
        return held

    def clean(self):
        data = super().clean()
        held, planned = data.get("held_on"), self.planned
        if held and planned and held != planned and not data.get("other_day"):
            self.add_error(
                "held_on",
                _(
                    "You confirmed this check-in for %(planned)s. If you met on %(held)s "
                    "instead, tick “We met on another day”."
                )
                % {
                    "planned": formats.date_format(planned),
                    "held": formats.date_format(held),
                },
            )
        return data
