from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from tandem.cohorts.models import Cohort, Topic
from tandem.core.languages import language_choices
from tandem.partnerships.models import Partnership

from .models import Kind, Resource, Visibility
from .selectors import is_coordinator
from .services import FILE_TYPES, accepted_cohorts, check_file, check_url, own_pairs

ACCEPT = ",".join(f".{ext}" for ext in FILE_TYPES)


def _topics():
    return Topic.objects.filter(is_active=True).order_by("order", "name")


class SourceMixin:
    """A file or a link: exactly one, the file checked by size and content."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            check_file(upload)
        return upload

    def clean_url(self):
        url = self.cleaned_data.get("url", "")
        check_url(url)
        return url

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("file")) == bool(data.get("url")):
            raise ValidationError(_("Upload a file or give a link (one of the two)."))
        return data


class PairChoiceField(forms.ModelChoiceField):
    """One of a person's pairs, by the partner's name (and the cohort)."""

    person = None

    def label_from_instance(self, pair) -> str:
        mine_is_learning = pair.learning.applicant_id == self.person.pk
        partner = pair.experienced if mine_is_learning else pair.learning
        return f"{partner.full_name} ({pair.cohort.name})"


class DescribeForm(forms.ModelForm):
    """What describes a resource: title, description, kind, topics, language, licence, who sees
    it (and, for "my cohort", which cohort)."""

    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Topics"),
    )
    language = forms.ChoiceField(label=_("Language"))
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        required=False,
        label=_("Cohort"),
        help_text=_("For “My cohort”: which one."),
    )

    pair = PairChoiceField(
        queryset=Partnership.objects.none(),
        required=False,
        label=_("Which pair"),
        help_text=_("For “My pair”: shared with this partner."),
    )

    class Meta:
        model = Resource
        fields = ["title", "description", "kind", "topics", "language", "licence", "visibility"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["topics"].queryset = _topics()
        self.fields["language"].choices = language_choices()
        cohorts = (
            Cohort.objects.order_by("-program_start", "-pk")
            if is_coordinator(user)
            else accepted_cohorts(user)
        )
        self.fields["cohort"].queryset = cohorts
        if not self.is_bound and self.instance.pk:
            self.fields["cohort"].initial = self.instance.cohort_id
        # "Which pair": only for a person in more than one pair (the owner's, on an edit).
        # Not the model's field name, so that the model's validation leaves the pair alone.
        person = self.instance.owner if self.instance.pk and self.instance.owner else user
        if own_pairs(person)[:2].count() > 1:
            field = self.fields["pair"]
            field.person = person
            field.queryset = own_pairs(person).select_related("cohort", "experienced", "learning")
            if not self.is_bound and self.instance.partnership_id:
                field.initial = self.instance.partnership_id
        else:
            del self.fields["pair"]
        self.fields["visibility"].help_text = (
            ""
            if is_coordinator(user)
            else _(
                "Shared with your pair: at once. With your cohort, all participants or the "
                "public: after a coordinator's review."
            )
        )

    def clean(self):
        data = super().clean()
        if data.get("visibility") == Visibility.COHORT and not data.get("cohort"):
            cohorts = list(self.fields["cohort"].queryset[:2])
            if len(cohorts) == 1:
                data["cohort"] = cohorts[0]
            else:
                self.add_error("cohort", _("Choose the cohort to share with."))
        if (
            data.get("visibility") == Visibility.PAIR
            and "pair" in self.fields
            and not data.get("pair")
        ):
            self.add_error("pair", _("Choose the pair to share with."))
        return data


class ShareForm(SourceMixin, DescribeForm):
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, CSV, Markdown, text or an image."),
    )
    url = forms.URLField(
        label=_("Or a link"),
        required=False,
        assume_scheme="https",
        help_text=_("A recording, a page …"),
    )

    class Meta(DescribeForm.Meta):
        pass

    field_order = ["title", "file", "url", "description", "kind", "topics", "language"]


class VersionForm(SourceMixin, forms.Form):
    file = forms.FileField(
        label=_("File"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    url = forms.URLField(label=_("Or a link"), required=False, assume_scheme="https")
    change_note = forms.CharField(label=_("What changed"), max_length=300)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("changes", _("Ask for changes"))],
        label=_("Decision"),
    )
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "changes" and not data.get("note"):
            self.add_error("note", _("Say what should change."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class SearchForm(forms.Form):
    """The library's search and filters (GET). A value that is not offered is ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    cohort = forms.ChoiceField(label=_("Cohort"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("", _("best first")),
            ("newest", _("newest")),
            ("downloads", _("most downloaded")),
            ("useful", _("most useful")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        any_ = [("", _("any"))]
        self.fields["topic"].choices = any_ + list(_topics().values_list("slug", "name"))
        self.fields["kind"].choices = any_ + list(Kind.choices)
        self.fields["language"].choices = any_ + language_choices()
        self.fields["cohort"].choices = any_ + list(
            Cohort.objects.order_by("-program_start").values_list("slug", "name")
        )

    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped, never an error page)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}
