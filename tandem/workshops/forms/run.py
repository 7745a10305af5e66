"""Forms of running a workshop, its topics and materials (the planning forms are in forms.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.cohorts.models import Topic
from tandem.core.uploads import validate_document

from ..materials import MATERIAL_TYPES, MAX_BYTES
from ..models import Material, Registration, TopicProposal


class MaterialForm(forms.ModelForm):
    class Meta:
        model = Material
        fields = ["kind", "title", "url", "file"]
        labels = {"kind": gettext_lazy("Kind"), "file": gettext_lazy("File")}
        help_texts = {
            "url": gettext_lazy("A recording or slides online (https://…)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s, up to %(mb)s MB.") % {
            "types": ", ".join(ext.upper() for ext in MATERIAL_TYPES),
            "mb": MAX_BYTES // (1024 * 1024),
        }

    def clean_url(self):
        url = self.cleaned_data.get("url", "")
        if url and not url.lower().startswith("https://"):
            raise forms.ValidationError(_("Give an https:// link."))
        return url

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(
                    _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
                )
            validate_document(upload, allowed=MATERIAL_TYPES)
        return upload

    def clean(self):
        data = super().clean()
        url, upload = data.get("url"), data.get("file")
        if self.errors:
            return data
        if url and upload:
            raise forms.ValidationError(_("Give a file or a link, not both."))
        if not url and not upload:
            raise forms.ValidationError(_("Give a file or a link."))
        if data.get("kind") == Material.Kind.RECORDING and not url:
            self.add_error("url", _("A recording is given as a link."))
        return data


class RatingForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("Your rating"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("5: excellent · 1: poor"),
    )

    class Meta:
        model = Registration
        fields = ["rating", "comment"]
        labels = {"comment": gettext_lazy("Comment (optional)")}
        help_texts = {
            "comment": gettext_lazy("Shown to the coordinators and facilitators without your name.")
        }
        widgets = {"comment": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}

    def clean_comment(self):
        comment = self.cleaned_data.get("comment", "").strip()
        if len(comment) > 2000:
            raise forms.ValidationError(_("Keep the comment under 2,000 characters."))
        return comment


class ProposalForm(forms.ModelForm):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        label=gettext_lazy("Topic of the programme’s vocabulary (optional)"),
        help_text=gettext_lazy("Helps the coordinators see how many applicants face it too."),
    )

    class Meta:
        model = TopicProposal
        fields = ["title", "description", "topic"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}

    def clean_title(self):
        title = self.cleaned_data.get("title", "").strip()
        if len(title) < 4:
            raise forms.ValidationError(_("Give the topic a title of a few words."))
        return title

    def clean_description(self):
        text = self.cleaned_data.get("description", "").strip()
        if len(text) > 2000:
            raise forms.ValidationError(_("Keep it under 2,000 characters."))
        return text
