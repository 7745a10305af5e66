"""The search documents of Markdown and CSV resources as plain words (the snippets showed their
``#`` and separators): rebuilt from each resource's latest version, as ``refresh_search`` does
now. Other resources' documents are unchanged."""

from django.db import migrations
from django.db.models import Q

from tandem.resources.extract import clean
from tandem.resources.indexing import MAX_DOCUMENT_CHARS, search_vector_expression
from tandem.resources.plaintext import plain_text


def plain_documents(apps, schema_editor):
    Resource = apps.get_model("resources", "Resource")
    Version = apps.get_model("resources", "Version")
    markup = Q(filename__iendswith=".md") | Q(filename__iendswith=".csv")
    changed = []
    for resource in Resource.objects.filter(versions__in=Version.objects.filter(markup)).distinct():
        latest = resource.versions.order_by("-number").values_list("text", "filename").first()
        text, name = latest or ("", "")
        parts = [resource.title, resource.description, plain_text(text or "", name or "")]
        resource.search_document = clean("\n".join(parts))[:MAX_DOCUMENT_CHARS]
        resource.save(update_fields=["search_document"])
        changed.append(resource.pk)
    if changed and schema_editor.connection.vendor == "postgresql":
        Resource.objects.filter(pk__in=changed).update(search_vector=search_vector_expression())


class Migration(migrations.Migration):
    dependencies = [("resources", "0004_index_state")]

    operations = [migrations.RunPython(plain_documents, migrations.RunPython.noop)]
