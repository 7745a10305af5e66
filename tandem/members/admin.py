from django.contrib import admin

from .models import CountryGapRule, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = [
        "symbol",
        "name",
        "member_type",
        "country",
        "region",
        "non_profit_status",
        "gap_override",
    ]
    list_filter = [
        "member_type",
        "region",
        "non_profit_status",
        "organization_type",
        "gap_override",
    ]
    search_fields = ["symbol", "name", "display_name"]
    autocomplete_fields = ["consortium"]


@admin.register(CountryGapRule)
class CountryGapRuleAdmin(admin.ModelAdmin):
    list_display = ["country", "gap_eligible", "note"]
