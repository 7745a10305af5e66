"""A check-in account may give the time the meeting began (UTC), so a time hours away from the
confirmed one can be asked about like another day."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("meetings", "0010_round_reminder_keys")]

    operations = [
        migrations.AddField(
            model_name="checkinlog",
            name="held_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When it began, if the author gave the time (UTC).",
                null=True,
            ),
        ),
    ]
