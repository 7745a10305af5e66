from django.contrib import admin

from .models import CountryGapRule, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["symbol", "name", "member_type", "country", "region", "gap_override"]
    list_filter = ["member_type", "region", "organization_type", "gap_override"]
    search_fields = ["symbol", "name", "display_name"]
    autocomplete_fields = ["consortium"]


@admin.register(CountryGapRule)
class CountryGapRuleAdmin(admin.ModelAdmin):
    list_display = ["country", "gap_eligible", "note"]
