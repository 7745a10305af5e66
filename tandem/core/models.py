"""Cross-cutting records: the staff activity log (the outbox is tandem.notifications)."""

from django.conf import settings
from django.db import models


class ActivityLog(models.Model):
    """An append-only record of staff actions, shown on the cohort's pages."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity",
    )
    # The audit trail outlives its cohort: deleting a cohort keeps its entries (cohort emptied).
    cohort = models.ForeignKey(
        "cohorts.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="activity"
    )
    action = models.CharField(max_length=80)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"
