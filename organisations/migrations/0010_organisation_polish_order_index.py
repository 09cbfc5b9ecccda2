"""The directory's order as an index on PostgreSQL: the active organisations by name in the Polish collation (ICU
``pl-x-icu``), then id, exactly the ``ORDER BY`` of ``Organisation.objects.polish_order()``. A page of the
directory reads its 25 rows from it (and the count of active organisations reads the index alone) instead of sorting
every organisation of the installation (README, "Query plans").

Nothing happens on other databases (SQLite has no ICU collation; its directory sorts by ``search_name``).
"""

from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import Collate


def _index():
    return models.Index(
        Collate("name", "pl-x-icu"), "id", condition=Q(is_active=True), name="organisation_polish_order"
    )


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("organisations", "Organisation"), _index())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("organisations", "Organisation"), _index())


class Migration(migrations.Migration):
    dependencies = [("organisations", "0009_organisation_joint_representation")]

    operations = [migrations.RunPython(create, drop)]
