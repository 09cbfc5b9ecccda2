"""Every office list downloads as CSV and XLSX from one description (``reports.exports``): the XLSX is opened
with openpyxl and its cells checked (numbers are numbers, dates are dates, formula-like text is inert)."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse
from openpyxl import load_workbook

from grants.models import Agreement, OpenCall
from programmes.models import Programme
from reports.exports import MONEY_FORMAT, Column, Kind, table_response
from tests.grants.agreement_factories import make_agreement
from tests.grants.commission_factories import A, fill_card, make_commission, review_call
from tests.grants.factories import OpenCallFactory
from tests.grants.test_small_grants import filed_small_grant
from tests.helpers import assert_constant_queries
from tests.organisations.factories import OrganisationFactory
from tests.programmes.factories import ProgrammeFactory, add_budget

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://zly.example")'


def sheet_of(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def rows_of_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))


def header(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def cell(sheet, row: int, name: str):
    return sheet.cell(row=row, column=header(sheet).index(name) + 1)


@pytest.fixture
def call(authority):
    programme = ProgrammeFactory(authority=authority, year_from=2025, status=Programme.Status.IN_FORCE)
    return OpenCallFactory(programme=programme, number="OK/2025/7")


def test_the_shared_exporter_writes_typed_cells_and_inert_text():
    columns = [
        Column("Tekst", lambda r: r[0]),
        Column("Kwota", lambda r: r[1], Kind.MONEY),
        Column("Data", lambda r: r[2], Kind.DATE),
        Column("Liczba", lambda r: r[3], Kind.INTEGER),
    ]
    rows = [("@SUM(A1)", Decimal("1234.56"), date(2026, 5, 31), 7), ("-2+3", None, None, None)]
    sheet = sheet_of(table_response("xlsx", filename="x", sheet="Arkusz", columns=columns, rows=rows))
    assert header(sheet) == ["Tekst", "Kwota", "Data", "Liczba"]
    text, amount, day, count = sheet[2]
    assert text.value == "'@SUM(A1)" and text.data_type == "s"
    assert amount.value == 1234.56 and amount.data_type == "n" and amount.number_format == MONEY_FORMAT
    assert day.is_date and day.value == datetime(2026, 5, 31) and day.number_format == "DD.MM.YYYY"
    assert count.value == 7 and count.data_type == "n"
    assert sheet["A3"].value == "'-2+3" and sheet["B3"].value is None
    csv_rows = rows_of_csv(table_response("csv", filename="x", sheet="Arkusz", columns=columns, rows=rows))
    assert csv_rows[1] == ["'@SUM(A1)", "1234,56", "31.05.2026", "7"]
    with pytest.raises(Http404):
        table_response("ods", filename="x", sheet="Arkusz", columns=columns, rows=rows)


def test_agreements_download_as_numbers_and_dates_following_the_filters(client_for, staff_user, call):
    evil = OrganisationFactory(name=EVIL)
    signed = make_agreement(organisation=evil, call=call, grant=Decimal("10250.00"), year=2025)
    make_agreement(organisation=OrganisationFactory(), call=call, year=2024, status=Agreement.Status.DRAFT)
    client = client_for(staff_user)
    sheet = sheet_of(client.get(reverse("grants:agreements-xlsx"), {"rok": "2025", "status": "signed"}))
    assert sheet.max_row == 2  # the header and the one signed 2025 agreement
    assert cell(sheet, 2, "Numer umowy").value == signed.number
    organisation = cell(sheet, 2, "Zleceniobiorca")
    assert organisation.value == "'" + EVIL and organisation.data_type == "s"
    amount = cell(sheet, 2, "Kwota dotacji [zł]")
    assert amount.data_type == "n" and amount.value == 10250 and amount.number_format == MONEY_FORMAT
    start = cell(sheet, 2, "Data rozpoczęcia")
    assert start.is_date and start.value.date() == signed.start_date
    rows = rows_of_csv(client.get(reverse("grants:agreements-csv"), {"rok": "2025"}))
    assert len(rows) == 2 and rows[1][0] == signed.number and "10250,00" in rows[1]
    # The page shows the same filters and links to the downloads with them.
    html = client.get(reverse("grants:agreement-list"), {"rok": "2025"}).content.decode()
    assert 'href="/konkursy/urzad/umowy/umowy.xlsx?rok=2025"' in html
    assert signed.number in html


def test_agreement_export_queries_do_not_grow(client_for, staff_user, call):
    client = client_for(staff_user)
    make_agreement(organisation=OrganisationFactory(), call=call)

    def grow():
        for _ in range(6):
            make_agreement(organisation=OrganisationFactory(), call=call)

    assert_constant_queries(lambda: client.get(reverse("grants:agreements-xlsx")), grow, budget=8)


def test_call_offers_download_with_receipt_numbers_and_amounts(client_for, staff_user, authority):
    call = review_call(offers=2, authority=authority)
    client = client_for(staff_user)
    sheet = sheet_of(client.get(reverse("grants:call-offers-xlsx", args=[call.pk])))
    assert sheet.max_row == 3
    requested = cell(sheet, 2, "Wnioskowana dotacja [zł]")
    assert requested.data_type == "n" and requested.value > 0
    submitted = cell(sheet, 2, "Złożono")
    assert submitted.is_date and submitted.number_format == "DD.MM.YYYY HH:MM"
    assert cell(sheet, 2, "Nr potwierdzenia").value


def test_ranking_downloads_for_staff_with_scores_as_numbers(client_for, staff_user, authority):
    call = review_call(offers=2, authority=authority)
    commission, seats = make_commission(call, seats=[(A, True), (A, False), (A, False)], started=True)
    first, second = call.offers.order_by("pk")
    for seat in seats:
        fill_card(seat, first, [9, 4])
        fill_card(seat, second, [6, 3])
    sheet = sheet_of(client_for(staff_user).get(reverse("grants:ranking-xlsx", args=[call.pk])))
    assert sheet.max_row == 3
    score = cell(sheet, 2, "Średnia ocen [pkt]")
    assert score.data_type == "n"
    assert cell(sheet, 2, "Miejsce").value == 1 and score.value == 13
    assert cell(sheet, 3, "Średnia ocen [pkt]").value == 9


def test_reports_and_small_grants_download(client_for, staff_user, ngo_admin, organisation, authority, call):
    small_grants = ProgrammeFactory(authority=authority, year_from=2027, status=Programme.Status.IN_FORCE)
    add_budget(small_grants, [("Kultura", "80000.00")])
    agreement = make_agreement(organisation=organisation, call=call)
    client = client_for(staff_user)
    sheet = sheet_of(client.get(reverse("grants:reports-xlsx")))
    assert cell(sheet, 2, "Numer umowy").value == agreement.number
    due = cell(sheet, 2, "Termin sprawozdania końcowego")
    assert due.is_date and due.value.date() == agreement.report_due
    assert cell(sheet, 2, "Sprawozdania").value == "brak"
    rows = rows_of_csv(client.get(reverse("grants:reports-csv"), {"pokaz": "zalegle", "rok": "2025"}))
    assert rows[0][0] == "Numer umowy"

    offer = filed_small_grant(authority, organisation, ngo_admin, "8000.00")
    sheet = sheet_of(client.get(reverse("grants:small-grants-xlsx")))
    assert sheet.max_row == 2
    assert cell(sheet, 2, "Nr potwierdzenia").value == offer.current_version.receipt_number
    requested = cell(sheet, 2, "Wnioskowana dotacja [zł]")
    assert requested.data_type == "n" and requested.value == 8000
    assert cell(sheet, 2, "Rok budżetowy").value == 2027
    assert cell(sheet, 2, "Etap").value == "złożona, czeka na publikację"
    # The stage filter narrows the list: nothing is granted yet.
    assert sheet_of(client.get(reverse("grants:small-grants-xlsx"), {"etap": "przyznane"})).max_row == 1


def test_directory_downloads_as_xlsx_for_anyone(client):
    OrganisationFactory(name="Fundacja Łąka", nip="5260250274")
    sheet = sheet_of(client.get(reverse("organisations:directory-export-xlsx")))
    assert cell(sheet, 2, "Nazwa").value == "Fundacja Łąka"
    assert cell(sheet, 2, "NIP").data_type == "s"  # an identifier stays text (leading zeros)


@pytest.mark.parametrize(
    "name", ["agreements-xlsx", "reports-xlsx", "small-grants-xlsx", "agreements-csv", "small-grants-csv"]
)
def test_ngos_cannot_download_office_lists(client_for, ngo_admin, name):
    response = client_for(ngo_admin).get(reverse(f"grants:{name}"))
    assert response.status_code in (302, 403, 404)


def test_staff_lists_filter_by_year_and_status(client_for, staff_user, authority):
    from datetime import date as day

    old = OpenCallFactory(
        programme__authority=authority, number="OK/2026/1", delivery_start=day(2026, 3, 1), status="finished"
    )
    new = OpenCallFactory(programme__authority=authority, number="OK/2027/1", status=OpenCall.Status.DRAFT)
    client = client_for(staff_user)

    def calls(**query):
        return [call.number for call in client.get(reverse("grants:staff-call-list"), query).context["page"]]

    assert sorted(calls()) == sorted([old.number, new.number])
    assert calls(rok="2026") == [old.number]
    assert calls(status="draft") == [new.number]
    assert calls(rok="2026", status="draft") == []
    programmes = client.get(reverse("programmes:staff-list"), {"rok": "2027"}).context["programmes"]
    assert [p.year_from for p in programmes] == [2027]

    from tests.consultations.factories import make_consultation
    from tests.programmes.factories import warsaw

    autumn = make_consultation(authority)
    make_consultation(authority, starts=warsaw(2025, 10, 1, 0, 0, 0), ends=warsaw(2025, 10, 20, 0, 0, 0))
    listed = client.get(reverse("consultations:staff-list"), {"rok": "2026", "status": "announced"})
    assert list(listed.context["consultations"]) == [autumn]
