"""The guidelines file field goes: its files are library resources now (0008)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("meetings", "0008_guidelines_into_library")]

    operations = [migrations.RemoveField(model_name="meeting", name="guidelines_document")]
