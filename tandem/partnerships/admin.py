from django.contrib import admin

from .models import MatchRun, PairingProfile, Partnership


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "status", "score", "overlap_hours"]
    list_filter = ["cohort", "status"]
    raw_id_fields = ["experienced", "learning", "run", "approved_by", "ended_by"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_by", "created_at"]
    readonly_fields = ["input", "result", "alternatives", "settings"]


admin.site.register(PairingProfile)
