"""The demo: the 2025 year reported and settled; the 2024 programme gives S0's budget table."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from grants.models import Agreement, GrantReport
from programmes.demo import S0_LINES
from programmes.models import Programme
from reports.annual import annual_report
from reports.models import AnnualReport


@pytest.mark.django_db
def test_small_demo_has_a_complete_published_year_end_report_for_2025_and_s0s_table_for_2024():
    call_command("seed_demo", "--scale", "small", verbosity=0)
    programme = Programme.objects.get(year_from=2025)
    stored = AnnualReport.objects.get(programme=programme)
    assert stored.is_published and stored.conclusions
    agreements = Agreement.objects.filter(start_date__year=2025)
    assert agreements.filter(status=Agreement.Status.PERFORMED).exists()
    assert GrantReport.objects.filter(status=GrantReport.Status.ACCEPTED).exists()
    # ngo.admin's organisation has a 2025 agreement still to report on (on the overdue list)
    waiting = agreements.filter(organisation__krs="0000271822", status=Agreement.Status.SIGNED)
    assert waiting.exists() and not GrantReport.objects.filter(agreement__in=waiting).exists()
    context = annual_report(programme)
    assert context["agreements"]["reports_accepted"] > 0
    assert context["funds_total"].awarded > 0 and context["funds_total"].settled > 0
    assert context["small_grants"]["agreements"] > 0
    assert context["non_financial"]
    past = annual_report(Programme.objects.get(year_from=2024))
    assert [(r.name, r.planned) for r in past["funds_rows"]] == [(name, Decimal(a)) for name, _, a in S0_LINES]
    assert past["funds_total"].planned == Decimal("357000.00")
    # seeding again changes nothing
    count = GrantReport.objects.count()
    call_command("seed_demo", "--scale", "small", verbosity=0)
    assert GrantReport.objects.count() == count
