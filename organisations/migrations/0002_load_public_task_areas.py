"""Load the 41 spheres of public tasks of art. 4 ust. 1 (reversible)."""

from django.db import migrations

from organisations.task_areas import AREAS, load_areas


def load(apps, schema_editor):
    load_areas(apps.get_model("organisations", "PublicTaskArea"))


def unload(apps, schema_editor):
    PublicTaskArea = apps.get_model("organisations", "PublicTaskArea")
    PublicTaskArea.objects.filter(code__in=[code for code, _ in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
