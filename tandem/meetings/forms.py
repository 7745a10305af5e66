from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import formats
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.forms import TimezoneField
from tandem.cohorts.forms import DATE, DATETIME_LOCAL, WallClockField
from tandem.core.timezones import WallClockError, local_date, to_local, to_utc
from tandem.resources.models import Status
from tandem.resources.selectors import visible_to
from tandem.resources.services import check_file

from .models import Meeting
from .services import FAR_FROM_CONFIRMED


class MeetingForm(forms.ModelForm):
    """The start is entered as a wall-clock time in a chosen zone (the coordinator's own).

    The guidelines are a library resource: one picked among the published resources the
    coordinator sees (a search-as-you-type picker, ``meetings:guidelines_search``: the field is
    never rendered as a select of every resource), or a file uploaded here, which
    ``services.save_meeting`` shares in the library for the meeting's cohort (checked like every
    library file: type by content, ``TANDEM_RESOURCE_MAX_BYTES``) and which replaces the one
    picked."""

    starts_local = WallClockField(label="Starts", widget=DATETIME_LOCAL)
    timezone = TimezoneField(label=_("Time zone"))
    guidelines_file = forms.FileField(
        required=False,
        label=_("…or upload a guidelines file"),
        help_text=_(
            "Filed in the resource library for the cohort (PDF, Word, OpenDocument, Markdown, "
            "text …), and it replaces the resource chosen above."
        ),
    )

    class Meta:
        model = Meeting
        fields = ["kind", "title", "duration_minutes", "video_url", "agenda", "guidelines"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 4}), "guidelines": forms.HiddenInput}
        labels = {"duration_minutes": _("Duration (minutes)")}

    field_order = ["kind", "title", "starts_local", "timezone", "duration_minutes"]

    def __init__(self, *args, tzname: str = "UTC", user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].initial = tzname
        if self.instance.pk:
            self.initial["starts_local"] = to_local(self.instance.starts_at, tzname).replace(
                tzinfo=None
            )
        # Any published resource the coordinator sees, or the one the meeting links to now.
        self.fields["guidelines"].queryset = visible_to(user).filter(
            Q(status=Status.PUBLISHED) | Q(pk=self.instance.guidelines_id)
        )
        self.fields["guidelines"].label = _("Guidelines from the library")

    @property
    def chosen_guidelines(self):
        """The resource ticked in the picker: the one submitted (if valid) or the current."""
        field = self.fields["guidelines"]
        if self.is_bound:
            value = self.data.get(self.add_prefix("guidelines"), "")
            if not str(value).isdigit():
                return None
            return field.queryset.filter(pk=int(value)).first()
        return self.instance.guidelines if self.instance.guidelines_id else None

    def clean_guidelines_file(self):
        """Checked as the library checks every file (type by content, size limit)."""
        upload = self.cleaned_data.get("guidelines_file")
        if upload:
            check_file(upload)
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
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)
    duration = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, initial=60
    )
    sessions = forms.TypedChoiceField(
        coerce=int,
        initial=1,
        label=_("Sessions"),
        choices=[(1, _("One session for everyone")), (2, _("Best two sessions"))],
    )
    meetings = forms.IntegerField(
        required=False,
        min_value=2,
        max_value=12,
        label=_("Recurring meetings to rotate (optional)"),
        help_text=_("Balance who gets the unsociable hour over N meetings."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The range must end after it starts."))
            elif (end - start).days > 62:
                self.add_error("end", _("Search at most two months at a time."))
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
    """The log of a held check-in. Dates and times are the logger's own (their zone); a date
    other than the confirmed day, or a time more than :data:`FAR_FROM_CONFIRMED` from the
    confirmed time, must be acknowledged."""

    held_on = forms.DateField(widget=DATE, label=_("Date of the meeting"))
    held_time = forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        label=_("Time it began (your time zone)"),
    )
    other_day = forms.BooleanField(
        required=False, label=_("We met on another day than the confirmed time")
    )
    other_time = forms.BooleanField(
        required=False, label=_("We met at another time of day than the confirmed time")
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
        confirmed_at: dt.datetime | None = None,
        now: dt.datetime | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.tzname, self.planned, self.now = tzname, planned, now
        self.confirmed_at = confirmed_at

    def clean_held_on(self):
        held = self.cleaned_data["held_on"]
        today = local_date(self.now or dj_timezone.now(), self.tzname)
        if held > today:
            raise forms.ValidationError(_("Log a check-in after it has happened."))
        return held

    def clean(self):
        data = super().clean()
        held, planned = data.get("held_on"), self.planned
        data["held_at"] = None
        if held and data.get("held_time"):
            try:
                data["held_at"] = to_utc(dt.datetime.combine(held, data["held_time"]), self.tzname)
            except WallClockError as error:
                self.add_error("held_time", str(error))
        if (
            data["held_at"]
            and self.confirmed_at
            and held == planned
            and abs(data["held_at"] - self.confirmed_at) > FAR_FROM_CONFIRMED
            and not data.get("other_time")
        ):
            self.add_error(
                "held_time",
                _(
                    "You confirmed this check-in for %(planned)s. If you met at %(held)s "
                    "instead, tick “We met at another time of day”."
                )
                % {
                    "planned": f"{to_local(self.confirmed_at, self.tzname):%H:%M}",
                    "held": f"{data['held_time']:%H:%M}",
                },
            )
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
