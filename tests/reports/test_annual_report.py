"""The year-end report: S0's budget table line by line, page and PDF, publication, the command, fixed queries."""

import itertools
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from grants.models import Agreement
from programmes.demo import S0_LINES
from programmes.models import Programme
from reports.annual import annual_report
from reports.models import AnnualReport
from reports.publications import publication_publish
from tests.accounts.factories import AuthorityStaffFactory
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory
from tests.helpers import assert_constant_queries, pdf_text, squash
from tests.organisations.factories import OrganisationFactory
from tests.programmes.factories import ProgrammeFactory, add_budget
from tests.reports.fixtures import accepted_report, year_2025

NBSP = "\xa0"
S0_AMOUNTS = ["100 000,00", "44 000,00", "20 000,00", "25 000,00", "28 000,00", "10 000,00", "10 000,00", "120 000,00"]


def s0_year() -> Programme:
    """S0 (Konstancin-Jeziorna 2018): the programme and its eight budget lines, 357 000,00 zł."""
    programme = ProgrammeFactory(
        year_from=2018,
        status=Programme.Status.REPORTED,
        title="Program współpracy Gminy Konstancin-Jeziorna z organizacjami pozarządowymi na rok 2018",
        resolution_number="655/VII/40/2017",
        resolution_date=date(2017, 11, 22),
    )
    add_budget(programme, [(name, amount) for name, _, amount in S0_LINES])
    report = AnnualReport.objects.create(
        programme=programme,
        implementing_units="Biuro Komunikacji Społecznej\nWydział Oświaty, Kultury i Zdrowia",
        conclusions="Współpraca przebiegała zgodnie z programem.",
    )
    publication_publish(actor=AuthorityStaffFactory(authority=programme.authority).user, document=report)
    return programme


@pytest.mark.django_db
def test_s0_budget_table_matches_the_seed_line_by_line():
    programme = s0_year()
    context = annual_report(programme)
    rows = context["funds_rows"]
    assert [(r.number, r.name, r.planned) for r in rows] == [
        (str(n), name, Decimal(amount)) for n, (name, _, amount) in enumerate(S0_LINES, start=1)
    ]
    assert context["funds_total"].planned == Decimal("357000.00")


@pytest.mark.django_db
def test_s0_table_on_the_public_page_and_in_the_pdf(client):
    programme = s0_year()
    page = squash(client.get(reverse("reports:annual", args=[programme.pk])).content.decode())
    assert "uchwałą nr 655/VII/40/2017" in page
    for (name, _, _), amount in zip(S0_LINES, S0_AMOUNTS, strict=True):
        assert f'<td>{name}</td><td class="num">{amount.replace(" ", NBSP)}{NBSP}zł</td>' in page
    assert f'<td>Razem</td><td class="num">357{NBSP}000,00{NBSP}zł</td>' in page
    response = client.get(reverse("reports:annual-pdf", args=[programme.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    layout = pdf_text(response.content, layout=True)
    assert re.search(r"Razem\s+357 000,00 zł", layout.replace(NBSP, " "))
    for amount in S0_AMOUNTS:
        assert f"{amount} zł" in text
    assert "Strona 1 z" in text
    detail = client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert reverse("reports:annual", args=[programme.pk]) in detail


@pytest.mark.django_db
def test_unpublished_report_is_seen_only_by_the_authoritys_staff(client_for, staff_user, ngo_admin):
    programme = ProgrammeFactory(authority=staff_user.staff_roles.get().authority, status=Programme.Status.IN_FORCE)
    url = reverse("reports:annual", args=[programme.pk])
    assert client_for(None).get(url).status_code == 404
    assert client_for(ngo_admin).get(url).status_code == 404
    assert client_for(ngo_admin).get(reverse("reports:annual-pdf", args=[programme.pk])).status_code == 404
    staff = client_for(staff_user)
    assert staff.get(url).status_code == 200
    edit = reverse("reports:annual-edit", args=[programme.pk])
    response = staff.post(
        edit,
        {"implementing_units": "Wydział Spraw Społecznych", "conclusions": "Wnioski.", "non_financial_summary": ""},
    )
    assert response.status_code == 302
    assert client_for(None).get(url).status_code == 404  # saving the conclusions does not publish
    staff = client_for(staff_user)
    publish = reverse("reports:annual-publish", args=[programme.pk])
    assert "Co się stanie" in staff.get(publish).text
    assert staff.post(publish).status_code == 302
    public = client_for(None).get(url)
    assert public.status_code == 200 and "Wnioski." in public.text and "Wersja robocza" not in public.text
    assert client_for(ngo_admin).get(edit).status_code == 403
    assert client_for(ngo_admin).get(publish).status_code == 403


@pytest.mark.django_db
def test_indicator_table_with_targets_and_earlier_years(client_for, staff_user):
    programme = year_2025()
    earlier = ProgrammeFactory(
        authority=programme.authority,
        year_from=2024,
        status=Programme.Status.REPORTED,
        resolution_date=date(2023, 11, 20),
    )
    assert earlier.pk
    context = annual_report(programme)
    assert context["trend_years"] == [2024]
    q1 = next(r for r in context["indicator_rows"] if r.code == "Q1")
    assert (q1.display, q1.target, q1.met, q1.trend) == ("50,0%", "100%", False, ["brak danych"])
    q6 = next(r for r in context["indicator_rows"] if r.code == "Q6")
    assert q6.met is False  # 52,1% of grants went to small grants
    n2 = next(r for r in context["other_indicator_rows"] if r.code == "N2")
    assert n2.trend == ["1"] and n2.display == "2"
    assert "<svg" in context["chart_areas"] and "Kultura fizyczna" in context["chart_areas"]
    assert context["funds_rows"][0].awarded == Decimal("20000.00")  # a1 + a2 in force; terminated left out
    assert context["funds_rows"][0].settled == Decimal("19000.00")
    assert [r["count"] for r in context["mode_rows"]] == [2, 0, 3, 0]


@pytest.mark.django_db
def test_annual_report_command_writes_the_pdf(tmp_path):
    programme = year_2025()
    output = tmp_path / "report.pdf"
    call_command("annual_report", "--programme", str(programme.pk), "--output", str(output))
    text = pdf_text(output.read_bytes())
    assert "Sprawozdanie z realizacji programu współpracy za 2025 r." in text
    assert "Efektywność wykorzystania środków" in text
    assert "Dotacje przyznane w 2025 r. według obszarów" in text


@pytest.mark.django_db
def test_report_data_is_gathered_in_a_fixed_number_of_queries(client_for):
    programme = year_2025()
    client = client_for(AuthorityStaffFactory(authority=programme.authority).user)  # the working draft is live
    call = programme.open_calls.first()
    organisation = OrganisationFactory()
    counter = itertools.count()

    def grow():
        for _ in range(5):
            agreement = make_agreement(organisation=organisation, call=call, status=Agreement.Status.PERFORMED)
            accepted_report(
                agreement,
                actuals=[("8000.00", "7000.00"), ("2250.00", "2000.00"), ("1000.00", "900.00")],
                beneficiaries=next(counter),
                volunteers=1,
            )
        OpenCallFactory(programme=programme, number=f"OK/2025/X{next(counter)}")

    url = reverse("reports:annual", args=[programme.pk]) + "?wersja=robocza"
    pdf = reverse("reports:annual-pdf", args=[programme.pk]) + "?wersja=robocza"
    # 24, and 2 for local initiative (its requests and agreements; their spending only when there are agreements).
    assert_constant_queries(lambda: client.get(url), grow, budget=26)
    # The data's 26, plus 9 for the PDF made in the background: look-up, store, and (tests run tasks at once) layout.
    assert_constant_queries(lambda: client.get(pdf), grow, budget=35)
