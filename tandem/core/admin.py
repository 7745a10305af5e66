from django.contrib import admin, messages

from .models import ActivityLog, OutboxMessage
from .services import deliver


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "subject", "status"]
    list_filter = ["status", "kind", "cohort"]
    search_fields = ["to", "subject"]
    readonly_fields = ["created_at", "sent_at", "error", "dedupe_key"]
    actions = ["retry"]

    @admin.action(description="Send again (failed or queued messages)")
    def retry(self, request, queryset):
        sent = 0
        for message in queryset.exclude(status=OutboxMessage.Status.SENT):
            sent += deliver(message).status == OutboxMessage.Status.SENT
        messages.info(request, f"{sent} message(s) sent.")


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "cohort", "action", "summary"]
    list_filter = ["action", "cohort"]
    readonly_fields = ["created_at", "actor", "cohort", "action", "summary", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
