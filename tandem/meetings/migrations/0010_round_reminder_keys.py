"""Check-in due/overdue reminders are keyed by round, not by check-in (one mail per person,
kind and round): the outbox keys of those sent before, ``<kind>:checkin<pk>:<user>``, become
``<kind>:cohort<id>-round<n>:<user>``, so nobody is reminded again of a round they were
reminded of. A second message of the same person, kind and round (the duplicate this change
ends) keeps its old key. Reverse: nothing to undo (the old keys are no longer asked for)."""

import re

from django.db import migrations
from django.db.models import Q

KINDS = ("checkin-due", "checkin-overdue")
OLD_KEY = re.compile(r"^(?P<kind>checkin-due|checkin-overdue):checkin(?P<pk>\d+):(?P<user>\d+)$")


def round_keys(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    CheckIn = apps.get_model("meetings", "CheckIn")
    old = Q()
    for kind in KINDS:
        old |= Q(dedupe_key__startswith=f"{kind}:checkin")
    messages = [
        (message, match)
        for message in OutboxMessage.objects.filter(old).only("pk", "dedupe_key").order_by("pk")
        if (match := OLD_KEY.match(message.dedupe_key))
    ]
    rounds = {
        pk: (cohort_id, number)
        for pk, cohort_id, number in CheckIn.objects.filter(
            pk__in={int(match["pk"]) for _, match in messages}
        ).values_list("pk", "partnership__cohort_id", "round")
    }
    taken = set(
        OutboxMessage.objects.filter(dedupe_key__contains="-round").values_list(
            "dedupe_key", flat=True
        )
    )
    changed = []
    for message, match in messages:
        if int(match["pk"]) not in rounds:
            continue
        cohort_id, number = rounds[int(match["pk"])]
        key = f"{match['kind']}:cohort{cohort_id}-round{number}:{match['user']}"
        if key not in taken:
            taken.add(key)
            message.dedupe_key = key
            changed.append(message)
    OutboxMessage.objects.bulk_update(changed, ["dedupe_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0009_remove_meeting_guidelines_document"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(round_keys, migrations.RunPython.noop)]
