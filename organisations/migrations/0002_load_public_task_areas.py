"""Load the 41 spheres of public tasks of art. 4 ust. 1 (reversible)."""

import re

from django.db import migrations

from organisations.task_areas import AREAS, SOURCE, VALID_FROM


def _split(code: str) -> tuple[int, str]:
    number, suffix = re.fullmatch(r"(\d+)([a-z]*)", code).groups()
    return int(number), suffix


def load(apps, schema_editor):
    PublicTaskArea = apps.get_model("organisations", "PublicTaskArea")
    for code, text in AREAS:
        number, suffix = _split(code)
        PublicTaskArea.objects.update_or_create(
            code=code,
            defaults={"number": number, "suffix": suffix, "text": text, "source": SOURCE, "valid_from": VALID_FROM},
        )


def unload(apps, schema_editor):
    PublicTaskArea = apps.get_model("organisations", "PublicTaskArea")
    PublicTaskArea.objects.filter(code__in=[code for code, _ in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
