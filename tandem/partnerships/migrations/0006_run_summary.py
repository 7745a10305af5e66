"""A run's summary numbers and its unmatched kept apart from its result document, so that pages
read them without the whole document; filled for the runs there are."""

from django.db import migrations, models


def copy_out(apps, schema_editor):
    MatchRun = apps.get_model("partnerships", "MatchRun")
    for run in MatchRun.objects.only("pk", "result").iterator(chunk_size=20):
        result = run.result if isinstance(run.result, dict) else {}
        MatchRun.objects.filter(pk=run.pk).update(
            summary=result.get("stats") or {}, unmatched=result.get("unmatched") or []
        )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0005_review_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchrun",
            name="summary",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="matchrun",
            name="unmatched",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(copy_out, migrations.RunPython.noop),
    ]
