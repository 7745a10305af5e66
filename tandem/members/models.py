"""DataCite member organisations, modelled on DataCite's REST API ``/providers`` (JSON:API)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .geography import is_gap_country, region_for_country
from .validators import normalize_ror, validate_symbol


class MemberType(models.TextChoices):
    CONSORTIUM = "consortium", "Consortium (the Consortium Lead's account)"
    CONSORTIUM_ORGANIZATION = "consortium_organization", "Consortium organization"
    DIRECT_MEMBER = "direct_member", "Direct member"
    MEMBER_ONLY = "member_only", "Member only"
    CONTRACTUAL_MEMBER = "contractual_member", "Contractual member"
    FOR_PROFIT_PROVIDER = "for-profit_provider", "For-profit provider"
    DEVELOPER = "developer", "Developer"


class OrganizationType(models.TextChoices):
    RESEARCH_INSTITUTION = "researchInstitution", "Research institution"
    ACADEMIC_INSTITUTION = "academicInstitution", "Academic institution"
    GOVERNMENT_AGENCY = "governmentAgency", "Government agency"
    NATIONAL_INSTITUTION = "nationalInstitution", "National institution"
    PROFESSIONAL_SOCIETY = "professionalSociety", "Professional society"
    PUBLISHER = "publisher", "Publisher"
    SERVICE_PROVIDER = "serviceProvider", "Service provider"
    INTERNATIONAL_ORGANIZATION = "internationalOrganization", "International organization"
    OTHER = "other", "Other"


class FocusArea(models.TextChoices):
    NATURAL_SCIENCES = "naturalSciences", "Natural sciences"
    ENGINEERING = "engineeringAndTechnology", "Engineering and technology"
    MEDICAL = "medicalAndHealthSciences", "Medical and health sciences"
    AGRICULTURAL = "agriculturalSciences", "Agricultural sciences"
    SOCIAL = "socialSciences", "Social sciences"
    HUMANITIES = "humanities", "Humanities"
    GENERAL = "general", "General"


class Region(models.TextChoices):
    AMER = "AMER", "Americas"
    APAC = "APAC", "Asia Pacific"
    EMEA = "EMEA", "Europe, Middle East & Africa"


class NonProfitStatus(models.TextChoices):
    """DataCite's ``nonProfitStatus`` (``non-profit`` when DataCite has nothing else)."""

    NON_PROFIT = "non-profit", _("Non-profit")
    FOR_PROFIT = "for-profit", _("For-profit")


class CountryGapRule(models.Model):
    """A staff override of the shipped GAP rule for one country."""

    country = CountryField(unique=True)
    gap_eligible = models.BooleanField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["country"]
        verbose_name = "GAP country override"

    def __str__(self) -> str:
        return f"{self.country.name}: {'GAP' if self.gap_eligible else 'not GAP'}"


class OrganizationQuerySet(models.QuerySet):
    def with_gap_rules(self) -> OrganizationQuerySet:
        """Each organisation with its country's GAP override read in the same query
        (``country_gap_rule``: the override's ``gap_eligible``, or ``None``), so that
        :attr:`Organization.gap_eligible` of a whole list costs no query per organisation."""
        rule = CountryGapRule.objects.filter(country=models.OuterRef("country"))
        return self.annotate(country_gap_rule=models.Subquery(rule.values("gap_eligible")[:1]))


class Organization(models.Model):
    symbol = models.CharField(
        "member ID",
        max_length=8,
        unique=True,
        validators=[validate_symbol],
        help_text="DataCite member ID: 2–8 capital letters. The API id is its lowercase.",
    )
    name = models.CharField(max_length=255)
    display_name = models.CharField(max_length=255, blank=True)
    member_type = models.CharField(max_length=32, choices=MemberType.choices)
    consortium = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consortium_organizations",
        limit_choices_to={"member_type": MemberType.CONSORTIUM},
        help_text="For a consortium organization: the consortium it belongs to.",
    )
    country = CountryField()
    region = models.CharField(max_length=4, choices=Region.choices, blank=True, editable=False)
    datacite_region = models.CharField(
        _("region sent by DataCite"),
        max_length=4,
        choices=Region.choices,
        blank=True,
        help_text=_("The region DataCite's API gives; leave empty to derive it from the country."),
    )
    non_profit_status = models.CharField(
        _("non-profit status"),
        max_length=10,
        choices=NonProfitStatus.choices,
        default=NonProfitStatus.NON_PROFIT,
        help_text=_("DataCite's nonProfitStatus. For-profit organisations are never GAP eligible."),
    )
    organization_type = models.CharField(
        max_length=32, choices=OrganizationType.choices, default=OrganizationType.OTHER
    )
    focus_area = models.CharField(
        max_length=32, choices=FocusArea.choices, default=FocusArea.GENERAL
    )
    ror_id = models.URLField("ROR ID", blank=True)
    website = models.URLField(blank=True)
    year_joined = models.PositiveSmallIntegerField(null=True, blank=True)
    gap_override = models.BooleanField(
        "GAP eligibility override",
        null=True,
        blank=True,
        help_text="Leave empty to derive GAP eligibility from the country.",
    )
    is_active = models.BooleanField(default=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(member_type="consortium_organization")
                | models.Q(consortium__isnull=False),
                name="consortium_organization_has_consortium",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name or self.name} ({self.symbol})"

    def save(self, *args, **kwargs):
        self.region = self.datacite_region or region_for_country(str(self.country))
        super().save(*args, **kwargs)

    @property
    def provider_id(self) -> str:
        """The id DataCite's REST API uses: the member ID in lowercase."""
        return self.symbol.lower()

    @property
    def label(self) -> str:
        return self.display_name or self.name

    def clean(self) -> None:
        errors = {}
        if self.ror_id:
            try:
                self.ror_id = normalize_ror(self.ror_id)
            except ValidationError as error:
                errors["ror_id"] = error
        if self.member_type == MemberType.CONSORTIUM_ORGANIZATION:
            if not self.consortium_id:
                errors["consortium"] = "A consortium organization must name its consortium."
            elif self.consortium.member_type != MemberType.CONSORTIUM:
                errors["consortium"] = "That member is not a consortium."
        elif self.consortium_id:
            errors["consortium"] = "Only consortium organizations belong to a consortium."
        if (
            self.pk
            and self.member_type != MemberType.CONSORTIUM
            and self.consortium_organizations.exists()
        ):
            members = ", ".join(self.consortium_organizations.values_list("symbol", flat=True))
            errors["member_type"] = _(
                "Organisations still belong to this consortium (%(members)s): move them to "
                "another consortium first."
            ) % {"members": members}
        if self.gap_override and self.is_for_profit:
            errors["gap_override"] = _(
                "A for-profit organisation is never GAP eligible (the fund is for non-profits)."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_for_profit(self) -> bool:
        """For-profit by DataCite's ``nonProfitStatus`` or by being a for-profit provider."""
        return (
            self.non_profit_status == NonProfitStatus.FOR_PROFIT
            or self.member_type == MemberType.FOR_PROFIT_PROVIDER
        )

    @property
    def gap_eligible(self) -> bool:
        """Never for a for-profit organisation (the fund is for not-for-profits, and no override
        changes that); otherwise the organisation override, else the country override, else the
        shipped rule. The country override is read once per organisation, unless the
        organisation comes from :meth:`OrganizationQuerySet.with_gap_rules`."""
        if self.is_for_profit:
            return False
        if self.gap_override is not None:
            return self.gap_override
        if "country_gap_rule" in self.__dict__:  # annotated: no query
            rule = self.country_gap_rule
        else:
            rule = (
                CountryGapRule.objects.filter(country=self.country)
                .values_list("gap_eligible", flat=True)
                .first()
            )
        if rule is not None:
            return rule
        return is_gap_country(str(self.country))
