"""The outbox page: every e-mail with its status, and the reminders due now."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from . import services
from .models import OutboxMessage


@permission_required("notifications.view_outbox", raise_exception=True)
def outbox(request):
    messages_qs = OutboxMessage.objects.select_related("cohort")
    status = request.GET.get("status")
    if status in OutboxMessage.Status.values:
        messages_qs = messages_qs.filter(status=status)
    preview = (
        services.send_reminders(timezone.now(), dry_run=True) if "preview" in request.GET else None
    )
    return render(
        request,
        "notifications/outbox.html",
        {
            "outbox": messages_qs[:200],
            "status": status,
            "preview": preview,
            "statuses": OutboxMessage.Status.choices,
        },
    )


@require_POST
@permission_required("notifications.send_reminders", raise_exception=True)
def outbox_send_reminders(request):
    sent = services.send_reminders(timezone.now())
    messages.success(
        request,
        ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", len(sent))
        % {"count": len(sent)},
    )
    return redirect("outbox:index")
