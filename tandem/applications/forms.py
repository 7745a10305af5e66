"""The application form (with its language, availability and topic parts), the decision form
and the review filters."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.accounts.forms import TimezoneField
from tandem.cohorts.models import Topic
from tandem.core.languages import PROFICIENCY, language_choices
from tandem.core.widgets import QuickSelect
from tandem.members.models import MemberType, Organization
from tandem.members.services import lead_eligibility
from tandem.members.validators import normalize_orcid

from .models import Application, ApplicationTopic


class ApplicationForm(forms.ModelForm):
    """The application. With ``draft=True`` nothing is required, but what is entered is checked."""

    member_id = forms.CharField(
        label=_("DataCite member ID of your consortium"),
        max_length=8,
        help_text=_("The consortium account you lead, e.g. DCUK. Only Consortium Leads can apply."),
        widget=forms.TextInput(attrs={"list": "consortia", "autocomplete": "off"}),
    )
    timezone = TimezoneField(label=_("Your time zone"), empty_label=_("— Choose your time zone —"))
    orcid = forms.CharField(
        label=_("ORCID iD"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "0000-0002-1825-0097"}),
    )

    class Meta:
        model = Application
        fields = [
            "lead_since_year",
            "consortium_org_count",
            "repository_count",
            "dois_per_year",
            "full_name",
            "email",
            "job_title",
            "orcid",
            "timezone",
            "preferred_role",
            "years_leading",
            "experience_level",
            "goals",
            "challenges",
            "project_idea",
            "accepted_guidelines",
            "consent_share_profile",
        ]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "challenges": forms.Textarea(attrs={"rows": 3}),
            "project_idea": forms.Textarea(attrs={"rows": 2}),
            "orcid": forms.TextInput(attrs={"placeholder": "0000-0002-1825-0097"}),
            "experience_level": forms.Select(
                choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)]
            ),
        }
        labels = {
            "full_name": _("Full name"),
            "email": _("Email"),
            "job_title": _("Job title"),
            "preferred_role": _("Preferred role"),
            "experience_level": _("Self-rated experience (1 = new, 5 = very experienced)"),
            "years_leading": _("Years leading a consortium"),
            "goals": _("Your goals for the partnership"),
            "challenges": _("Main challenges you face"),
            "accepted_guidelines": _("I accept the participation guidelines"),
            "consent_share_profile": _(
                "Share my profile (goals, expertise, availability) with my matched partner"
            ),
        }

    def __init__(self, *args, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        if self.instance.organization_id:
            self.initial.setdefault("member_id", self.instance.organization.symbol)
        self.fields["orcid"].help_text = _("Optional.")
        self.fields["dois_per_year"].help_text = _("Optional.")
        self.fields["project_idea"].help_text = _("Optional: an idea for a collaborative project.")
        for field in self.fields.values():
            field.required = False
        self.fields["preferred_role"].choices = [("", "—")] + list(
            Application.RolePreference.choices
        )
        this_year = dj_timezone.now().year
        self.fields["lead_since_year"].widget.attrs.update(min=2009, max=this_year)

    def clean_member_id(self):
        symbol = (self.cleaned_data.get("member_id") or "").strip().upper()
        if not symbol:
            self.instance.organization = None
            return ""
        verdict = lead_eligibility(symbol)
        if not verdict.ok:
            raise ValidationError(verdict.reason, code="not_lead")
        self.instance.organization = Organization.objects.get(symbol=symbol)
        return symbol

    def clean_orcid(self):
        value = self.cleaned_data.get("orcid", "")
        return normalize_orcid(value) if value else ""

    def clean_lead_since_year(self):
        year = self.cleaned_data.get("lead_since_year")
        if year and not 2009 <= year <= dj_timezone.now().year:
            raise ValidationError(
                _("Enter a year between 2009 (DataCite's founding) and this year.")
            )
        return year

    def clean_experience_level(self):
        level = self.cleaned_data.get("experience_level")
        if level is not None and not 1 <= level <= 5:
            raise ValidationError(_("Choose a level from 1 to 5."))
        return level


class LanguageForm(forms.Form):
    code = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=lambda: [("", "—")] + language_choices(),
        widget=QuickSelect,
    )
    level = forms.TypedChoiceField(
        label=_("Proficiency"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + list(PROFICIENCY.items()),
    )

    def clean(self):
        data = super().clean()
        if data.get("code") and not data.get("level"):
            self.add_error("level", _("Choose how well you speak it."))
        if data.get("level") and not data.get("code"):
            self.add_error("code", _("Choose a language."))
        return data


DAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]
TIME = forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")


class AvailabilityForm(forms.Form):
    day = forms.ChoiceField(required=False, choices=[("", "—")] + DAYS)
    start = forms.TimeField(required=False, widget=TIME)
    end = forms.TimeField(required=False, widget=TIME)

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if any([day, start, end]) and not all([day, start, end]):
            raise ValidationError(_("Give the day, the start and the end of the window."))
        if start and end and end <= start:
            self.add_error(
                "end", _("The window must end after it starts (split windows at midnight).")
            )
        return data


class BaseLanguageFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            code = form.cleaned_data.get("code") if hasattr(form, "cleaned_data") else None
            if code and code in seen:
                form.add_error("code", _("This language is listed twice."))
            seen.add(code)

    def as_mapping(self) -> dict[str, int]:
        return {
            f.cleaned_data["code"]: f.cleaned_data["level"]
            for f in self.forms
            if f.cleaned_data.get("code") and f.cleaned_data.get("level")
        }


class BaseAvailabilityFormSet(forms.BaseFormSet):
    def as_windows(self) -> list[list[str]]:
        order = [d for d, _ in DAYS]
        windows = [
            [
                f.cleaned_data["day"],
                f.cleaned_data["start"].strftime("%H:%M"),
                f.cleaned_data["end"].strftime("%H:%M"),
            ]
            for f in self.forms
            if f.cleaned_data.get("day")
        ]
        return sorted(windows, key=lambda w: (order.index(w[0]), w[1]))


LanguageFormSet = formset_factory(LanguageForm, formset=BaseLanguageFormSet, extra=2, max_num=12)
AvailabilityFormSet = formset_factory(
    AvailabilityForm, formset=BaseAvailabilityFormSet, extra=3, max_num=21
)

#: How each level select of the topics table is named to assistive technology.
TOPIC_LEVEL_LABELS = {
    "expertise": _("Expertise I offer: %(topic)s"),
    "challenge": _("Help I seek: %(topic)s"),
}
LEVELS = [(0, "—"), (1, _("1 · some")), (2, _("2 · good")), (3, _("3 · deep"))]


class TopicsForm(forms.Form):
    """Two 0–3 levels per topic of the vocabulary: expertise offered, challenge sought."""

    def __init__(self, *args, initial_levels: dict[tuple[str, str], int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = list(Topic.objects.filter(is_active=True))
        initial_levels = initial_levels or {}
        for topic in self.topics:
            for kind in ApplicationTopic.Kind.values:
                self.fields[f"{kind}__{topic.slug}"] = forms.TypedChoiceField(
                    required=False,
                    coerce=int,
                    choices=LEVELS,
                    empty_value=0,
                    initial=initial_levels.get((kind, topic.slug), 0),
                    label=topic.name,
                    # The table shows the topic and the column; a screen reader hears both.
                    widget=forms.Select(
                        attrs={"aria-label": TOPIC_LEVEL_LABELS[kind] % {"topic": topic.name}}
                    ),
                )

    def rows(self):
        for topic in self.topics:
            yield topic, self[f"expertise__{topic.slug}"], self[f"challenge__{topic.slug}"]

    def levels(self) -> dict[tuple[str, str], int]:
        result = {}
        for name, value in self.cleaned_data.items():
            kind, slug = name.split("__", 1)
            result[(kind, slug)] = value or 0
        return result


class DecisionForm(forms.Form):
    """A coordinator's decision: starts with none chosen (an undecided application must not
    look accepted already) and needs an explicit choice."""

    decision = forms.ChoiceField(
        choices=[("", _("— Choose a decision —"))]
        + [(s.value, s.label) for s in Application.DECISIONS],
        error_messages={"required": _("Choose a decision.")},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Visible to coordinators only."),
    )


def experience_choices() -> list[tuple]:
    """``At least 3`` (in the reader's language, so built when the form is shown)."""
    return [("", gettext("Any experience"))] + [
        (i, gettext("At least %(level)s") % {"level": i}) for i in range(1, 6)
    ]


class ReviewFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"))
    status = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        choices=[("", _("Any status"))]
        + [c for c in Application.Status.choices if c[0] != "draft"],
    )
    region = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        choices=[("", _("Any region")), ("AMER", "AMER"), ("APAC", "APAC"), ("EMEA", "EMEA")],
    )
    gap = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        choices=[("", _("GAP and non-GAP")), ("yes", _("GAP only")), ("no", _("Non-GAP only"))],
    )
    role = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        choices=[("", _("Any role"))] + list(Application.RolePreference.choices),
    )
    experience_min = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        widget=QuickSelect,
        choices=experience_choices,
    )
    language = forms.ChoiceField(
        required=False,
        choices=lambda: [("", _("Any language"))] + language_choices(),
        widget=QuickSelect,
    )
    sort = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        choices=[
            ("gap", _("GAP first")),
            ("name", _("Name")),
            ("-submitted", _("Newest")),
            ("submitted", _("Oldest")),
            ("-experience", _("Most experienced")),
            ("experience", _("Least experienced")),
            ("-years", _("Most years leading")),
            ("region", _("Region")),
            ("status", _("Status")),
        ],
    )


def consortia_datalist():
    return Organization.objects.filter(member_type=MemberType.CONSORTIUM, is_active=True).only(
        "symbol", "name", "display_name"
    )
