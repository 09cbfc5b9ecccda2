"""GIN indexes for the staff search on PostgreSQL: titles of calls, offers and agreements, in the
``portal_unaccent`` configuration of ``organisations.0005``. Nothing happens on other databases."""

from django.db import migrations

from organisations.search import full_text_index

TITLES = [("OpenCall", "title"), ("Offer", "title"), ("Agreement", "title")]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, field in TITLES:
        model = apps.get_model("grants", name)
        schema_editor.add_index(model, full_text_index(model, field))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, field in TITLES:
        model = apps.get_model("grants", name)
        schema_editor.remove_index(model, full_text_index(model, field))


class Migration(migrations.Migration):
    dependencies = [("grants", "0018_number_sequences"), ("organisations", "0007_full_text_search")]

    operations = [migrations.RunPython(create, drop)]
