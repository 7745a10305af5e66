from django.db import migrations


def seed_topics(apps, schema_editor):
    from tandem.cohorts.vocabulary import ensure_seed_topics

    ensure_seed_topics(apps.get_model("cohorts", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0001_initial")]
    operations = [migrations.RunPython(seed_topics, migrations.RunPython.noop)]
