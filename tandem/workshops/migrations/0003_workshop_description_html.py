"""Workshops keep their description rendered (sanitised HTML beside the Markdown): a page view
never parses Markdown. Existing workshops are rendered here, once."""

from django.db import migrations, models

from tandem.workshops import markdown


def render_descriptions(apps, schema_editor):
    Workshop = apps.get_model("workshops", "Workshop")
    changed = []
    for workshop in Workshop.objects.exclude(description="").only("pk", "description").iterator():
        workshop.description_html = markdown.render(workshop.description)
        changed.append(workshop)
        if len(changed) == 200:
            Workshop.objects.bulk_update(changed, ["description_html"])
            changed = []
    Workshop.objects.bulk_update(changed, ["description_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0002_workshop_meetings_moved_in"),
    ]

    operations = [
        migrations.AddField(
            model_name="workshop",
            name="description_html",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The description rendered and sanitised, at save.",
            ),
        ),
        migrations.AlterField(
            model_name="workshop",
            name="description",
            field=models.TextField(
                blank=True,
                help_text="Markdown; shown sanitised.",
                max_length=20000,
                verbose_name="description",
            ),
        ),
        migrations.RunPython(render_descriptions, migrations.RunPython.noop),
    ]
