"""The outbox page: every e-mail with its status, and the reminders due now."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from tandem.core.pagination import page_of

from .. import services, tasks
from ..models import OutboxMessage


@permission_required("notifications.view_outbox", raise_exception=True)
def outbox(request):
    """One page of messages (``?page=N``, newest first, ``?status=`` filters), and with
    ``?preview=1`` one page of the reminders due now (``?preview_page=N``)."""
    messages_qs = OutboxMessage.objects.select_related("cohort")
    status = request.GET.get("status")
    if status not in OutboxMessage.Status.values:
        status = None
    if status:
        messages_qs = messages_qs.filter(status=status)
    page = page_of(request, messages_qs)
    query = urlencode({"status": status}) if status else ""
    preview = None
    if "preview" in request.GET:
        # Planned in full (the count is of everything due); only the shown page is rendered.
        due = services.send_reminders(timezone.now(), dry_run=True)
        preview = page_of(request, due, param="preview_page")
        preview_query = urlencode([("preview", 1), *([("status", status)] if status else [])])
        if page.number > 1:
            preview_query += "&" + urlencode({"page": page.number})
    return render(
        request,
        "notifications/outbox.html",
        {
            "outbox": page,
            "page": page,
            "query": query,
            "status": status,
            "preview": preview,
            "preview_query": preview_query if preview is not None else "",
            "statuses": OutboxMessage.Status.choices,
        },
    )


@require_POST
@permission_required("notifications.send_reminders", raise_exception=True)
def outbox_send_reminders(request):
    """Send what is due now: in the request for a small programme, otherwise as the reminder
    job in the background (thousands of e-mails, each a round trip to the mail server, must not
    hold a web worker; the outbox lists them as they are queued)."""
    if services.send_in_background():
        tasks.send_reminders_task.enqueue()
        messages.success(
            request,
            _(
                "The due reminders are being sent in the background; they appear below as "
                "they are queued."
            ),
        )
        return redirect("outbox:index")
    sent = services.send_reminders(timezone.now())
    messages.success(
        request,
        ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", len(sent))
        % {"count": len(sent)},
    )
    return redirect("outbox:index")
