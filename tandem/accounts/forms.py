from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from tandem.core.timezones import canonical_zone, is_valid_timezone, timezone_choices
from tandem.core.widgets import ZoneSelect
from tandem.notifications.services import queue_mail

from .models import User


class TimezoneField(forms.ChoiceField):
    """The IANA zones, one per place, grouped by region and showing their UTC offset now
    (``tandem.core.timezones.timezone_choices``). With ``empty_label`` the list starts with an
    empty choice, so nothing is pre-selected that the person did not see or choose (a browser
    shows the first option of a select without a selected one, and a form would save it);
    tandem.js then proposes the device's zone.

    An old alias (Asia/Calcutta) is shown and saved as its canonical zone (Asia/Kolkata); a
    valid zone with no canonical equivalent stays valid and selected."""

    def __init__(self, empty_label=None, **kwargs):
        if empty_label is not None:
            kwargs.setdefault("choices", lambda: [("", empty_label), *timezone_choices()])
        kwargs.setdefault("choices", timezone_choices)
        kwargs.setdefault("widget", ZoneSelect)
        kwargs.setdefault(
            "help_text", _("IANA time zone, e.g. America/Los_Angeles or Africa/Nairobi.")
        )
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "data-zone-picker": True,
                "data-zone-filter-label": _("Search time zones"),
                "data-zone-filter-hint": _("City, region or offset, e.g. Nairobi or +05:30"),
                "data-zone-filter-count": _("Time zones shown: %(count)s"),
            }
        )
        if empty_label is not None:
            self.widget.attrs["data-zone-default-note"] = _(
                "We chose your device's time zone: %(zone)s; change it if it is wrong."
            )

    def prepare_value(self, value):
        return canonical_zone(value) if isinstance(value, str) else value

    def to_python(self, value):
        return canonical_zone(super().to_python(value))

    def valid_value(self, value):
        return super().valid_value(value) or is_valid_timezone(value)

    def validate(self, value):
        super().validate(value)
        if value and not is_valid_timezone(value):
            raise forms.ValidationError(_("Unknown time zone."))


class SignupForm(forms.ModelForm):
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)
    # No zone pre-chosen (it was UTC, saved for whoever did not notice): an empty first
    # choice that must be chosen. A plain select, so a script can pre-fill the browser's zone.
    timezone = TimezoneField(
        label=_("Time zone"),
        empty_label=_("— Choose your time zone —"),
        error_messages={"required": _("Choose your time zone.")},
    )

    EXISTS = _("An account with this e-mail already exists. Sign in instead.")

    class Meta:
        model = User
        fields = ["name", "email", "timezone"]
        labels = {"name": _("Name")}

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(self.EXISTS)
        return email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            user = User(email=data.get("email", ""), name=data.get("name", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


class ProfileForm(forms.ModelForm):
    timezone = TimezoneField(label=_("Time zone"))

    class Meta:
        model = User
        fields = ["name", "timezone"]
        labels = {"name": _("Name")}


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True})
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Password reset e-mails go through the outbox like every other message.

    The link is built from ``settings.TANDEM_BASE_URL``, never from the request's ``Host``
    header (which a stranger controls: a poisoned link would hand them the reset token)."""

    def save(self, **kwargs):
        base = urlsplit(settings.TANDEM_BASE_URL)
        kwargs["domain_override"] = base.netloc
        kwargs["use_https"] = base.scheme == "https"
        kwargs["extra_email_context"] = {
            **(kwargs.get("extra_email_context") or {}),
            "base_url": settings.TANDEM_BASE_URL,
        }
        return super().save(**kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue_mail(
            kind="password-reset",
            to=to_email,
            subject=subject,
            body=body,
            user=context.get("user"),
            concerns="account",
        )
