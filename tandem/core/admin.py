from django.contrib import admin

from .models import ActivityLog


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "cohort", "action", "summary"]
    list_filter = ["action", "cohort"]
    readonly_fields = ["created_at", "actor", "cohort", "action", "summary", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
