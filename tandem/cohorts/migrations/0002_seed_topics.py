from django.db import migrations


def seed_topics(apps, schema_editor):
    from tandem.cohorts.vocabulary import SEED_TOPICS

    Topic = apps.get_model("cohorts", "Topic")
    for order, (slug, name) in enumerate(SEED_TOPICS, start=1):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0001_initial")]
    operations = [migrations.RunPython(seed_topics, migrations.RunPython.noop)]
