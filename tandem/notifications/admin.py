from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboxMessage
from .services import deliver


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "subject", "status"]
    list_filter = ["status", "kind", "cohort"]
    search_fields = ["to", "subject"]
    readonly_fields = ["created_at", "sent_at", "error", "dedupe_key"]
    actions = ["retry"]

    @admin.action(description=_("Send again (failed or queued messages)"))
    def retry(self, request, queryset):
        sent = 0
        for message in queryset.exclude(status=OutboxMessage.Status.SENT):
            sent += deliver(message).status == OutboxMessage.Status.SENT
        messages.info(
            request,
            ngettext("%(count)d message sent.", "%(count)d messages sent.", sent) % {"count": sent},
        )
