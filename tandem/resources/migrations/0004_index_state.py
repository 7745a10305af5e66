"""How far each version's text was read for search. Versions whose text was read are
``indexed``; files still waiting for the extraction task are ``pending``."""

from django.db import migrations, models


def pending_if_not_extracted(apps, schema_editor):
    Version = apps.get_model("resources", "Version")
    Version.objects.filter(extracted=False).exclude(blob="").update(index_state="pending")


class Migration(migrations.Migration):
    dependencies = [("resources", "0003_search_vector_in_row")]

    operations = [
        migrations.AddField(
            model_name="version",
            name="index_state",
            field=models.CharField(
                choices=[
                    ("pending", "Being indexed…"),
                    ("indexed", "Indexed"),
                    (
                        "partial",
                        "Only part of the text could be read in time: the rest is not searchable",
                    ),
                    (
                        "unread",
                        "Text could not be read in time: searchable by title and description only",
                    ),
                ],
                default="indexed",
                max_length=8,
            ),
        ),
        migrations.RunPython(pending_if_not_extracted, migrations.RunPython.noop),
    ]
