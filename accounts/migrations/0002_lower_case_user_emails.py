"""Store every user's e-mail address trimmed and in lower case, and keep it so with a check constraint."""

import django.db.models.functions.text
from django.db import migrations, models


def lower_case_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "email").iterator():
        normalised = user.email.strip().lower()
        if normalised != user.email:
            User.objects.filter(pk=user.pk).update(email=normalised)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        # Nothing to undo: the lower-case spelling was always the one login matched.
        migrations.RunPython(lower_case_emails, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(email=django.db.models.functions.text.Trim(django.db.models.functions.text.Lower("email"))),
                name="user_email_normalised",
            ),
        ),
    ]
