"""The year-end report PDF's annex: one paragraph per agreement, written in Python (reports/templatetags/annex.py)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports.annual import annual_report
from reports.templatetags.annex import annex_entries, annex_entry
from tests.accounts.factories import AuthorityStaffFactory
from tests.grants.agreement_factories import make_agreement
from tests.organisations.factories import OrganisationFactory
from tests.reports.fixtures import year_2025

NBSP = "\xa0"


def row(**changes) -> dict:
    return {
        "number": "UM/2025/007",
        "organisation": "Fundacja „Przystań”",
        "title": "Wypoczynek letni dzieci",
        "kind": "konkurs",
        "grant": Decimal("20000.00"),
        "years": "",
        "awarded": Decimal("20000.00"),
        "transferred": Decimal("15000.00"),
        "settled": Decimal("14500.50"),
        "returned": Decimal("0"),
        "status": "wykonana (rozliczona)",
        **changes,
    }


def test_an_entry_is_one_paragraph_of_three_lines_in_polish_formats():
    assert annex_entry(3, row()) == (
        "<p>3. UM/2025/007 · konkurs · wykonana (rozliczona) — Fundacja „Przystań”\nWypoczynek letni dzieci\n"
        f"dotacja 20{NBSP}000,00{NBSP}zł · przekazano 15{NBSP}000,00{NBSP}zł · rozliczono 14{NBSP}500,50{NBSP}zł · "
        f"zwrócono 0,00{NBSP}zł</p>"
    )


def test_an_entry_escapes_what_users_typed_and_keeps_it_on_its_line():
    entry = annex_entry(1, row(organisation="Klub <b>Orzeł</b> & Syn", title="Obóz\r\n  letni\tw górach"))
    assert "Klub &lt;b&gt;Orzeł&lt;/b&gt; &amp; Syn\nObóz letni w górach\n" in entry
    assert "<b>" not in entry and entry.count("\n") == 2  # a newline typed in the title does not start a fourth line
    imported = annex_entry(2, row(number="UM/2024/7\n(import)"))  # an imported agreement's number, as typed
    assert "UM/2024/7 (import) ·" in imported and imported.count("\n") == 2


def test_a_multi_year_or_terminated_agreement_shows_its_years_and_what_it_has_not():
    multi_year = annex_entry(1, row(years="2025–2026", grant=Decimal("50000.00")))
    assert " · konkurs · 2025–2026 · wykonana" in multi_year
    assert f"dotacja 20{NBSP}000,00{NBSP}zł (z 50{NBSP}000,00{NBSP}zł) · przekazano" in multi_year
    terminated = annex_entry(2, row(awarded=None, settled=None, status="rozwiązana"))
    assert "dotacja — · przekazano" in terminated and "rozliczono — · zwrócono" in terminated
    assert annex_entries([row(), row(number="UM/2025/008")]).count("<p>") == 2


@pytest.mark.django_db
def test_the_pdf_annex_lists_every_agreement_once_with_its_three_lines_on_one_page(client_for):
    programme = year_2025()
    call = programme.open_calls.first()
    for n in range(40):  # with the year's six, more than two pages of entries
        make_agreement(organisation=OrganisationFactory(name=f"Stowarzyszenie Nr {n} & Spółka"), call=call)
    rows = annual_report(programme)["agreement_list"]
    assert len(rows) == 46
    client = client_for(AuthorityStaffFactory(authority=programme.authority).user)
    response = client.get(reverse("reports:annual-pdf", args=[programme.pk]) + "?wersja=robocza")
    pages = _pages(response.content)
    start = next(n for n, page in enumerate(pages) if "Załącznik. Wykaz umów" in page)
    annex = pages[start:]
    assert len([page for page in annex if page.strip()]) >= 3
    text = " ".join(annex)
    for position, entry in enumerate(rows, start=1):
        assert text.count(f" {entry['number']} ") == 1, entry["number"]
        first = f"{position}. {entry['number']} · {entry['kind']} · {entry['status']} — {entry['organisation']}"
        awarded = "—" if entry["awarded"] is None else _money(entry["awarded"])
        lines = f"{first} {entry['title']} dotacja {awarded} · przekazano {_money(entry['transferred'])}"
        assert sum(lines in page for page in annex) == 1, lines  # the entry is not split between two pages
    assert "Razem: 46 umów" in text


def _money(amount) -> str:
    from config.polish import format_money

    return format_money(amount).replace(NBSP, " ")


def _pages(pdf: bytes) -> list[str]:
    """The PDF's text page by page (pdftotext ends each page with a form feed), lines joined as ``pdf_text`` does."""
    import subprocess

    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [" ".join(page.split("\n")).replace(NBSP, " ") for page in text.split("\f")]
