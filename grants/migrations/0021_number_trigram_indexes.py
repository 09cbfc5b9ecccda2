"""Trigram GIN indexes for the staff search's "part of a number" matches on PostgreSQL: receipt numbers of offer
versions and agreement numbers (``icontains``, i.e. ``UPPER(col) LIKE '%…%'``). Without them every search read
every version and agreement (README, "Query plans"). Nothing happens on other databases."""

from django.db import migrations

INDEXES = [
    ("grants_offerversion_receipt_trgm", "grants_offerversion", "receipt_number"),
    ("grants_agreement_number_trgm", "grants_agreement", "number"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("grants", "0020_local_initiative")]

    operations = [migrations.RunPython(create, drop)]
