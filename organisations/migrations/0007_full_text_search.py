"""Full-text search on PostgreSQL: the unaccent extension, a ``portal_unaccent`` text search configuration (the
``simple`` dictionary after ``unaccent``, so "lodz" finds "Łódź") and a GIN index on organisation names.

Nothing happens on other databases (SQLite in development searches without an index, ``organisations.search``).
The index is built from the same expression the queries use, so PostgreSQL can use it.
"""

from django.db import migrations

from organisations.search import SEARCH_CONFIG as CONFIG
from organisations.search import full_text_index
CREATE = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
    CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
  END IF;
END $$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE)
    model = apps.get_model("organisations", "Organisation")
    schema_editor.add_index(model, full_text_index(model, "name"))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("organisations", "Organisation")
    schema_editor.remove_index(model, full_text_index(model, "name"))
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG};")


class Migration(migrations.Migration):
    dependencies = [("organisations", "0006_imported_records")]

    operations = [migrations.RunPython(create, drop)]
