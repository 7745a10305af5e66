from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.engines.pairing import DEFAULT_WEIGHTS

from .models import Role

WEIGHT_LABELS = {
    "expertise": _("Expertise covers needs"),
    "goals": _("Goal alignment"),
    "language": _("Language comfort"),
    "overlap": _("Weekly overlap"),
    "gap": _("Experience gap"),
}


class RunForm(forms.Form):
    """Weights, minimum overlap, and up to five pinned and five forbidden pairs.

    A pin or forbid is a person picked by searching (``partnerships:people_search`` fills
    the select); each select lists only the person chosen, so the form costs the same at any
    cohort size. A submitted id is valid if it is an accepted participant of the cohort in the
    slot's role (one query for all of them)."""

    min_overlap_hours = forms.FloatField(
        initial=1.0, min_value=0, max_value=40, label=_("Minimum weekly overlap (hours)")
    )

    def __init__(self, *args, people=None, rows: int = 5, **kwargs):
        """``people(pks)`` returns the applications with those pks that may be chosen, each
        with its ``pairing_role`` (see ``services.with_roles``)."""
        super().__init__(*args, **kwargs)
        for key, default in DEFAULT_WEIGHTS.items():
            self.fields[f"w_{key}"] = forms.FloatField(
                initial=default, min_value=0, max_value=1, label=WEIGHT_LABELS.get(key, key)
            )
        self.rows = rows
        names = [
            f"{kind}_{n}_{side}" for kind in ("pin", "forbid") for n in range(rows) for side in "el"
        ]
        chosen: dict[str, set[int]] = {}  # the ids in each slot, submitted or initial
        for name in names:
            value = self.data.get(self.add_prefix(name)) if self.is_bound else None
            chosen[name] = {
                int(c)
                for c in (value, self.initial.get(name))
                if c not in (None, "") and str(c).isdigit()
            }
        wanted = sorted(set().union(*chosen.values()))
        known = {a.pk: a for a in people(wanted)} if people and wanted else {}
        for name in names:
            role = Role.EXPERIENCED if name.endswith("_e") else Role.LEARNING
            choices = [("", "—")] + [
                (a.pk, f"{a.full_name} ({a.organization.symbol})")
                for a in (known.get(pk) for pk in sorted(chosen[name]))
                if a is not None and a.pairing_role == role
            ]
            self.fields[name] = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                label=_("Experienced") if role == Role.EXPERIENCED else _("Learning"),
            )

    def clean(self):
        data = super().clean()
        if data and not any(data.get(f"w_{k}") for k in DEFAULT_WEIGHTS):
            raise forms.ValidationError(_("At least one weight must be above zero."))
        for kind in ("pin", "forbid"):
            for n in range(self.rows):
                e, lrn = data.get(f"{kind}_{n}_e"), data.get(f"{kind}_{n}_l")
                if bool(e) != bool(lrn):
                    self.add_error(f"{kind}_{n}_l", _("Choose both people of the pair."))
        pins, forbids = set(self.pairs("pin")), set(self.pairs("forbid"))
        if pins & forbids:
            raise forms.ValidationError(_("A pair cannot be both pinned and forbidden."))
        return data

    def pairs(self, kind: str) -> list[tuple[int, int]]:
        out = []
        for n in range(self.rows):
            e = self.cleaned_data.get(f"{kind}_{n}_e")
            lrn = self.cleaned_data.get(f"{kind}_{n}_l")
            if e and lrn:
                out.append((e, lrn))
        return out

    def weights(self) -> dict[str, float]:
        return {k: self.cleaned_data[f"w_{k}"] for k in DEFAULT_WEIGHTS}

    def pair_rows(self, kind: str):
        for n in range(self.rows):
            yield self[f"{kind}_{n}_e"], self[f"{kind}_{n}_l"]

    @property
    def pin_rows(self):
        return list(self.pair_rows("pin"))

    @property
    def forbid_rows(self):
        return list(self.pair_rows("forbid"))

    def weight_fields(self):
        return [self[f"w_{k}"] for k in DEFAULT_WEIGHTS]


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[("", _("Proposed"))] + list(Role.choices), required=False)
    capacity = forms.IntegerField(min_value=0, max_value=5, initial=1)


class EndForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Shared with the program team."),
    )
    leaving = forms.ChoiceField(
        required=False,
        choices=[
            ("", _("Both stay in the program")),
            ("experienced", _("The experienced lead leaves")),
            ("learning", _("The learning lead leaves")),
        ],
    )


class AllowRematchForm(forms.Form):
    """Staff's note on why an ended pair may be proposed again (logged)."""

    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class SwapForm(forms.Form):
    """The learning lead a proposal is given instead (offered by ``services.swap_options``;
    the view checks that they are still free)."""

    learning = forms.IntegerField(min_value=1)


class SearchForm(forms.Form):
    """A name search over a long list (``?q=``), kept in the list's page links."""

    q = forms.CharField(required=False, max_length=100, label=_("Search"))


class RoleFilterForm(SearchForm):
    """The roles table's filters: name or member ID, and the role."""

    role = forms.ChoiceField(
        required=False, choices=[("", _("Any role"))] + list(Role.choices), label=_("Role")
    )
