"""Deleting a cohort keeps its history: the e-mails sent about it and the staff activity log."""

import pytest

from tandem.cohorts.models import Cohort
from tandem.core.models import ActivityLog
from tandem.core.services import log_activity
from tandem.notifications.models import OutboxMessage
from tandem.notifications.services import queue_mail

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_deleting_a_cohort_keeps_its_mail_and_audit_rows(published_pair, coordinator):
    cohort, people, _ = published_pair
    lin = people["lin"].applicant
    queue_mail(kind="test", to=lin.email, subject="Hi", body="Hello", user=lin, cohort=cohort)
    log_activity(coordinator, "cohort.test", "Did something", cohort=cohort)
    mail_ids = set(OutboxMessage.objects.filter(cohort=cohort).values_list("pk", flat=True))
    log_ids = set(ActivityLog.objects.filter(cohort=cohort).values_list("pk", flat=True))
    assert mail_ids and log_ids

    cohort.delete()

    assert not Cohort.objects.filter(pk=cohort.pk).exists()
    kept_mail = OutboxMessage.objects.filter(pk__in=mail_ids)
    kept_log = ActivityLog.objects.filter(pk__in=log_ids)
    assert set(kept_mail.values_list("pk", flat=True)) == mail_ids
    assert set(kept_log.values_list("pk", flat=True)) == log_ids
    assert not kept_mail.filter(cohort__isnull=False).exists()
    assert not kept_log.filter(cohort__isnull=False).exists()
    assert kept_mail.filter(kind="test", to=lin.email, user=lin).exists()
