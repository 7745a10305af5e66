"""A meeting's guidelines become a library resource: the new link (filled by 0008)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_workshop_kind_retired"),
        ("resources", "0003_search_vector_in_row"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="guidelines",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="resources.resource",
                verbose_name="guidelines",
            ),
        ),
    ]
