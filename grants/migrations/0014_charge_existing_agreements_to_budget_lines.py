"""Agreements made before budget lines were charged per agreement keep counting where the year-end report put them:
on the call's only line, or shared between the call's lines in proportion to its allocations (the rule the report
used until then), rounded to the grosz with the remainder on the largest share. Agreements outside calls stay
uncharged (the report shows them apart) until the office picks their line."""

from decimal import ROUND_DOWN, Decimal

from django.db import migrations

CENT = Decimal("0.01")


def charge(apps, schema_editor):
    Agreement = apps.get_model("grants", "Agreement")
    CallBudgetLine = apps.get_model("grants", "CallBudgetLine")
    AgreementBudgetLine = apps.get_model("grants", "AgreementBudgetLine")
    allocations = {}
    for allocation in CallBudgetLine.objects.order_by("pk"):
        allocations.setdefault(allocation.call_id, []).append((allocation.budget_line_id, allocation.amount))
    made = []
    for agreement in Agreement.objects.filter(budget_charges__isnull=True, award__call__isnull=False).values(
        "pk", "grant_amount", "start_date", "award__call_id"
    ):
        parts = allocations.get(agreement["award__call_id"])
        if not parts:
            continue
        whole = sum((amount for _, amount in parts), Decimal("0"))
        grant = agreement["grant_amount"]
        shares = [(grant * amount / whole).quantize(CENT, rounding=ROUND_DOWN) for _, amount in parts]
        largest = max(range(len(parts)), key=lambda i: parts[i][1])
        shares[largest] += grant - sum(shares, Decimal("0"))
        made += [
            AgreementBudgetLine(
                agreement_id=agreement["pk"], budget_line_id=line, year=agreement["start_date"].year, amount=share
            )
            for (line, _), share in zip(parts, shares, strict=True)
            if share > 0
        ]
    AgreementBudgetLine.objects.bulk_create(made, batch_size=500)


def uncharge(apps, schema_editor):
    """Reversing keeps the rows: they stay valid data (the table itself goes when 0008 is reversed)."""


class Migration(migrations.Migration):
    dependencies = [("grants", "0013_joint_offeror_consent_and_protocol_signature")]

    operations = [migrations.RunPython(charge, uncharge)]
