from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.accounts.forms import TimezoneField
from tandem.applications.models import Application
from tandem.cohorts.forms import DATETIME_LOCAL, WallClockField
from tandem.cohorts.models import Cohort, Topic
from tandem.core.languages import language_choices
from tandem.core.timezones import WallClockError, to_local, to_utc

from ..models import Registration, Session, Workshop

User = get_user_model()


def facilitator_candidates(cohort: Cohort):
    """Who may facilitate a cohort's workshop: staff (coordinators) and its accepted
    participants."""
    participants = Application.objects.filter(
        cohort=cohort, status=Application.Status.ACCEPTED
    ).values("applicant_id")
    return User.objects.filter(Q(is_coordinator=True) | Q(pk__in=participants), is_active=True)


def person_id(value) -> int | None:
    """A person's id typed or posted as text, or ``None`` when it is not one (``"²"`` passes
    ``str.isdigit`` but is no number: parsed by a form field, never by ``isdigit``)."""
    try:
        return forms.IntegerField(min_value=1, max_value=2**63 - 1).clean(value)
    except forms.ValidationError:
        return None


def person_ids(values) -> list[int]:
    """The valid ids among ``values`` (the rest are left out)."""
    return [pk for pk in map(person_id, values) if pk is not None]


class FacilitatorsField(forms.ModelMultipleChoiceField):
    """Facilitators as ids (the picker's hidden inputs); only candidates are valid. Never
    rendered as a ``<select>`` of everyone: the template shows the chosen and a search box."""

    widget = forms.MultipleHiddenInput

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            if person_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class WorkshopForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    also_open_to = forms.ModelMultipleChoiceField(
        label=_("Also open to"),
        queryset=Cohort.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Participants of these cohorts may register too."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, initial="en")
    facilitators = FacilitatorsField(
        label=_("Facilitators"), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = Workshop
        fields = [
            "title",
            "topics",
            "description",
            "language",
            "video_url",
            "capacity",
            "gap_share",
            "offer_hours",
            "also_open_to",
            "facilitators",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, cohort: Cohort, can_manage: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["also_open_to"].queryset = Cohort.objects.exclude(pk=cohort.pk).order_by(
            "-program_start", "pk"
        )
        self.fields["facilitators"].queryset = facilitator_candidates(cohort)
        if not can_manage:
            # A facilitator edits the content, not who facilitates or who may come.
            for name in ("facilitators", "also_open_to", "capacity", "gap_share", "offer_hours"):
                del self.fields[name]

    def chosen_facilitators(self):
        """The facilitators to show in the picker (the submitted ones on a refused form)."""
        if "facilitators" not in self.fields:
            return []
        if self.is_bound:
            ids = person_ids(self.data.getlist(self.add_prefix("facilitators")))
            return list(self.fields["facilitators"].queryset.filter(pk__in=ids))
        if self.instance.pk:
            return list(self.instance.facilitators.all())
        return []


# The years a session may start in (by its wall clock).
FIRST_YEAR, LAST_YEAR = 2000, 2100


class SessionForm(forms.ModelForm):
    """A session's start as a wall-clock time in a chosen zone (the zone of the people it is
    for: "APAC session" at 10:00 Asia/Singapore)."""

    starts_local = WallClockField(label=_("Starts"), widget=DATETIME_LOCAL)
    timezone = TimezoneField(label=_("Time zone"))

    class Meta:
        model = Session
        fields = ["label", "duration_minutes"]

    field_order = ["label", "starts_local", "timezone", "duration_minutes"]

    def __init__(self, *args, tzname: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].initial = tzname
        if self.instance.pk:
            self.initial["starts_local"] = to_local(self.instance.starts_at, tzname).replace(
                tzinfo=None
            )

    def clean(self):
        data = super().clean()
        local, tzname = data.get("starts_local"), data.get("timezone")
        if local and not FIRST_YEAR <= local.year <= LAST_YEAR:
            # Far dates overflow once converted to UTC or given an end (a 500 otherwise).
            self.add_error(
                "starts_local",
                _("Choose a date in the years %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        elif local and tzname:
            try:
                self.instance.starts_at = to_utc(local, tzname)
            except WallClockError as error:
                self.add_error("starts_local", str(error))
        if data.get("DELETE") and self.instance.pk:
            active = self.instance.registrations.filter(
                status__in=[
                    Registration.Status.REGISTERED,
                    Registration.Status.OFFERED,
                    Registration.Status.WAITLISTED,
                ]
            )
            if active.exists():
                self.add_error(
                    None, _("People are registered for this session: it cannot be removed.")
                )
        return data


class BaseSessionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE", False)]
        if not kept:
            raise forms.ValidationError(_("A workshop needs at least one session."))


SessionFormSet = forms.inlineformset_factory(
    Workshop,
    Session,
    form=SessionForm,
    formset=BaseSessionFormSet,
    extra=1,
    can_delete=True,
    max_num=12,
    validate_max=True,
)


class BrowseForm(forms.Form):
    """The browse page's filters (bad values are ignored, never an error page)."""

    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        empty_label=_("Any topic"),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, languages: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Any language")), *languages]


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification id"),
        max_length=40,
        validators=[
            RegexValidator(
                r"\A[A-Za-z0-9-]+\Z", _("A verification id has letters, digits and a hyphen.")
            )
        ],
        help_text=_("As printed on the certificate, e.g. W123-0a1b2c3d4e."),
    )
