"""Import of past years: preview row by row before anything is saved, all or nothing, marked as imported, scoped to
the staff's authority, and the year-end report of an imported year with its trend columns."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from config.polish import format_money
from grants.models import Agreement, OpenCall, Refund
from organisations.models import Organisation
from programmes.imports import importers, services
from programmes.imports.files import read_sheet
from programmes.imports.models import ImportBatch
from programmes.models import Programme
from reports.annual import annual_report
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory
from tests.imports_helpers import (
    AGREEMENT_HEADER,
    ORG_HEADER,
    PROGRAMME_HEADER,
    agreement_row,
    csv_bytes,
    organisation_row,
    programme_rows,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

K = ImportBatch.Kind


def _import(kind, content, authority, actor, name="plik.csv"):
    return services.import_save(kind=kind, authority=authority, content=content, file_name=name, actor=actor)


def _history(authority, actor):
    """Two organisations, programmes 2023 and 2024 and their agreements – built only from imports."""
    organisations = [
        organisation_row("Klub Sportowy Jeziorna", krs="0000111111", form="klub sportowy"),
        organisation_row("Fundacja Zielona", krs="0000222222", form="fundacja", areas="18"),
    ]
    _import(K.ORGANISATIONS, csv_bytes(ORG_HEADER, organisations), authority, actor)
    programmes = programme_rows(2023, [(1, "Kultura fizyczna", "80 000,00"), (2, "Ekologia", "20 000,00")])
    programmes += programme_rows(2024, [(1, "Kultura fizyczna", "100 000,00"), (2, "Ekologia", "30 000,00")])
    _import(K.PROGRAMMES, xlsx_bytes(PROGRAMME_HEADER, programmes), authority, actor, "programy.xlsx")
    agreements = [
        agreement_row(
            "UM/2023/1",
            "0000111111",
            "konkurs",
            "OK/2023/1",
            "01.03.2023",
            "30.11.2023",
            "40 000,00",
            "40 000,00",
            "38 000,00",
            "2 000,00",
        ),
        agreement_row(
            "UM/2023/2",
            "0000222222",
            "art. 19a",
            "",
            "01.06.2023",
            "31.08.2023",
            "8 000,00",
            "8 000,00",
            "8 000,00",
            "",
            line="2",
        ),
        agreement_row(
            "UM/2024/1",
            "0000111111",
            "konkurs",
            "OK/2024/1",
            "01.03.2024",
            "30.11.2024",
            "60 000,00",
            "60 000,00",
            "60 000,00",
        ),
        agreement_row(
            "UM/2024/2",
            "0000222222",
            "konkurs",
            "OK/2024/1",
            "01.04.2024",
            "31.10.2024",
            "25 000,00",
            "25 000,00",
            "24 000,00",
            "1 000,00",
            line="2",
        ),
        agreement_row(
            "UM/2024/3",
            "0000222222",
            "art. 19a",
            "",
            "01.07.2024",
            "31.08.2024",
            "9 000,00",
            "9 000,00",
            "9 000,00",
            "",
            line="2",
        ),
    ]
    return _import(K.AGREEMENTS, csv_bytes(AGREEMENT_HEADER, agreements), authority, actor)


def test_the_templates_import_as_they_are(client_for, staff_user, authority):
    """Each downloadable template (CSV and XLSX) reads back with every column recognised."""
    client = client_for(staff_user)
    for slug, columns in (
        ("organizacje", importers.ORGANISATION_COLUMNS),
        ("programy", importers.PROGRAMME_COLUMNS),
        ("umowy", importers.AGREEMENT_COLUMNS),
    ):
        for file_format in ("csv", "xlsx"):
            response = client.get(reverse("imports:template", args=[slug, file_format]))
            assert response.status_code == 200
            content = b"".join(response.streaming_content) if response.streaming else response.content
            sheet = read_sheet(content, f"wzor.{file_format}", columns)
            assert not sheet.error and len(sheet.rows) == 2
            assert set(sheet.rows[0]) == {key for key, _t, _r in columns}


def test_the_preview_lists_every_error_and_saves_nothing(staff_user, authority):
    rows = [
        organisation_row("Dobre Stowarzyszenie", krs="0000333333"),
        organisation_row("", krs="12"),  # no name, KRS too short
        organisation_row("Zła Forma", krs="0000444444", form="spółka cywilna"),
        organisation_row("Dobre Stowarzyszenie bis", krs="0000333333"),  # the same KRS twice
    ]
    preview = importers.preview_organisations(csv_bytes(ORG_HEADER, rows), "org.csv")
    assert [r.line for r in preview.errors] == [3, 4, 5]
    assert "Brak nazwy organizacji." in preview.errors[0].errors
    assert any("Numer KRS" in e for e in preview.errors[0].errors)
    assert any("Nieznana forma prawna „spółka cywilna”" in e for e in preview.errors[1].errors)
    assert any("powtarza się w wierszu 2" in e for e in preview.errors[2].errors)
    assert preview.rows[0].creates and not preview.can_save
    with pytest.raises(ValidationError, match="wiersz 3"):
        _import(K.ORGANISATIONS, csv_bytes(ORG_HEADER, rows), authority, staff_user)
    assert not Organisation.objects.exists() and not ImportBatch.objects.exists()


def test_one_bad_agreement_saves_none_of_the_file(staff_user, authority):
    _history(authority, staff_user)
    before = Agreement.objects.count()
    rows = [
        agreement_row(
            "UM/2022/1", "0000111111", "art. 19a", "", "01.03.2022", "30.06.2022", "5 000,00", "5 000,00", line=""
        ),
        agreement_row("UM/2022/2", "0000111111", "art. 19a", "", "01.03.2022", "30.06.2022", "5 000,00", "6 000,00"),
    ]
    preview = importers.preview_agreements(csv_bytes(AGREEMENT_HEADER, rows), "u.csv", authority)
    assert preview.rows[0].creates
    assert preview.rows[1].errors == [
        f"Przekazano ({format_money(Decimal('6000'))}) więcej niż dotacja ({format_money(Decimal('5000'))}).",
        "Pozycja budżetu 1: najpierw zaimportuj program na rok 2022.",
    ]
    with pytest.raises(ValidationError):
        _import(K.AGREEMENTS, csv_bytes(AGREEMENT_HEADER, rows), authority, staff_user)
    assert Agreement.objects.count() == before


def test_imported_records_are_marked_and_audited(staff_user, authority):
    batch = _history(authority, staff_user)
    agreement = Agreement.objects.get(number="UM/2024/2")
    assert agreement.is_imported and agreement.import_batch == batch and agreement.award is None
    assert agreement.status == Agreement.Status.PERFORMED and agreement.imported_settled == Decimal("24000.00")
    assert agreement.call.number == "OK/2024/1" and agreement.call.import_batch is not None
    assert OpenCall.objects.filter(number="OK/2024/1").count() == 1  # two agreements, one call
    assert Refund.objects.get(agreement=agreement).amount == Decimal("1000.00")
    assert list(agreement.budget_charges.values_list("budget_line__name", "amount")) == [
        ("Ekologia", Decimal("25000.00"))
    ]
    assert Programme.objects.get(authority=authority, year_from=2023).status == Programme.Status.REPORTED
    assert Organisation.objects.get(krs="0000111111").import_batch.kind == K.ORGANISATIONS
    entry = LogEntry.objects.get_for_object(batch).get()
    assert entry.actor == staff_user
    # Imported again: the same programmes and agreement numbers are refused, nothing doubles.
    programmes = programme_rows(2024, [(1, "Kultura fizyczna", "100 000,00")])
    preview = importers.preview_programmes(csv_bytes(PROGRAMME_HEADER, programmes), "p.csv", authority)
    assert preview.errors[0].errors == ["Program na rok 2024 jest już w portalu – nie importuje się go drugi raz."]


def test_organisations_already_in_the_portal_are_skipped_not_doubled(staff_user, authority, organisation):
    rows = [organisation_row("Inna nazwa tej samej", krs=organisation.krs), organisation_row("Nowa", krs="0000555555")]
    preview = importers.preview_organisations(csv_bytes(ORG_HEADER, rows), "o.csv")
    assert preview.rows[0].skipped.startswith("już jest w portalu jako") and preview.can_save
    _import(K.ORGANISATIONS, csv_bytes(ORG_HEADER, rows), authority, staff_user)
    assert Organisation.objects.filter(krs=organisation.krs).count() == 1
    assert Organisation.objects.filter(krs="0000555555", import_batch__isnull=False).exists()


def test_imported_organisations_have_their_seat_and_work_with_the_importing_authority(staff_user, authority):
    """The seat is read as the organisation form records it (bare names, a known województwo, all three required);
    a saved organisation counts in the authority's territory and is linked to the authority like a registered one."""
    authority.territory_municipality, authority.territory_county = "Konstancin-Jeziorna", "piaseczyński"
    authority.territory_voivodeship = "mazowieckie"
    authority.save()
    other = AuthorityFactory(name="Gmina Piaseczno", slug="piaseczno", city="Piaseczno")
    rows = [
        organisation_row(
            "Klub Jeziorna",
            krs="0000111111",
            seat=("Gmina Konstancin-Jeziorna", "Powiat piaseczyński", "Województwo Mazowieckie"),
        ),
        organisation_row("Bez Siedziby", krs="0000222222", seat=("", "", "")),
        organisation_row("Złe Województwo", krs="0000333333", seat=("Opole", "Opole", "opolskie-śląskie")),
    ]
    preview = importers.preview_organisations(csv_bytes(ORG_HEADER, rows), "o.csv")
    assert preview.rows[0].creates
    assert "siedziba: gm. Konstancin-Jeziorna, pow. piaseczyński, woj. mazowieckie" in preview.rows[0].summary
    assert preview.rows[1].errors == ["Podaj siedzibę organizacji: gminę, powiat i województwo."]
    assert preview.rows[2].errors == ["Nieznane województwo „opolskie-śląskie” (np. mazowieckie, opolskie)."]
    _import(K.ORGANISATIONS, csv_bytes(ORG_HEADER, rows[:1]), authority, staff_user)
    club = Organisation.objects.get(krs="0000111111")
    assert (club.seat_municipality, club.seat_county, club.seat_voivodeship) == (
        "Konstancin-Jeziorna",
        "piaseczyński",
        "mazowieckie",
    )
    assert list(club.authorities.all()) == [authority]
    assert list(Organisation.objects.in_territory_of(authority)) == [club]
    assert list(Organisation.objects.dealing_with([authority.pk])) == [club]
    assert not Organisation.objects.dealing_with([other.pk]).exists()


def test_past_agreements_make_an_organisation_cooperate_with_the_importing_authority(
    staff_user, authority, organisation
):
    """An organisation already in the portal, not linked to the authority, gets a past agreement by import: it is
    linked to the authority and counts as cooperating with it in that year (C1 of the year-end report), once."""
    assert not organisation.authorities.exists()
    other = AuthorityFactory(name="Gmina Piaseczno", slug="piaseczno", city="Piaseczno")
    programmes = programme_rows(2024, [(1, "Kultura fizyczna", "100 000,00")])
    _import(K.PROGRAMMES, csv_bytes(PROGRAMME_HEADER, programmes), authority, staff_user)
    rows = [
        agreement_row(
            f"UM/2024/{n}", organisation.krs, "art. 19a", "", "01.06.2024", "31.08.2024", "5 000,00", "5 000,00"
        )
        for n in (1, 2)
    ]
    _import(K.AGREEMENTS, csv_bytes(AGREEMENT_HEADER, rows), authority, staff_user)
    assert list(organisation.authorities.all()) == [authority]
    assert list(Organisation.objects.cooperating_with(authority, 2024).distinct()) == [organisation]
    assert not Organisation.objects.cooperating_with(authority, 2023).exists()
    assert not Organisation.objects.cooperating_with(other, 2024).exists()
    report = annual_report(Programme.objects.get(authority=authority, year_from=2024))
    assert report["cooperating_organisations"] == 1  # two agreements, one organisation


def test_the_year_end_report_of_an_imported_year_has_its_trend_columns(staff_user, authority):
    _history(authority, staff_user)
    programme = Programme.objects.get(authority=authority, year_from=2024)
    report = annual_report(programme)
    assert report["trend_years"] == [2023]
    funds = {row.name: (row.awarded, row.settled) for row in report["funds_rows"]}
    assert funds["Kultura fizyczna"] == (Decimal("60000.00"), Decimal("60000.00"))
    assert funds["Ekologia"] == (Decimal("34000.00"), Decimal("33000.00"))
    assert report["yearly"] == [
        (2023, Decimal("48000.00"), Decimal("46000.00")),
        (2024, Decimal("94000.00"), Decimal("93000.00")),
    ]
    rows = {row.code: row for row in report["indicator_rows"] + report["other_indicator_rows"]}
    # S2 Q1 (settled ÷ transferred) and Q6 (share of small grants): this year and the trend column of 2023.
    assert rows["Q1"].display == "98,9%" and rows["Q1"].trend == ["95,8%"]
    assert rows["Q6"].trend == ["16,6%"]  # 8 000 of 48 000 zł (the registry rounds down)
    assert rows["Q3"].trend == ["100,0%"]  # both 2023 agreements performed (settled, unused grant returned)
    # C1: the two imported organisations cooperated in both years (their imported agreements), counted once each.
    assert report["cooperating_organisations"] == 2
    assert rows["C1"].display == "2" and rows["C1"].trend == ["2"]


def test_staff_import_only_for_their_authority(client_for, staff_user, authority):
    other = AuthorityFactory(name="Powiat Piaseczyński", slug="powiat-piaseczynski", city="Piaseczno")
    outsider = AuthorityStaffFactory(authority=other).user
    content = csv_bytes(ORG_HEADER, [organisation_row("Obca", krs="0000666666")])
    url = reverse("imports:upload", args=["organizacje"])
    import base64

    response = client_for(outsider).post(
        url,
        {
            "action": "save",
            "authority": str(authority.pk),
            "content": base64.b64encode(content).decode(),
            "file_name": "o.csv",
        },
    )
    assert response.status_code == 302 and not Organisation.objects.filter(krs="0000666666").exists()
    assert client_for(None).get(url).status_code == 302  # to log in
    assert client_for(outsider).get(reverse("imports:index")).status_code == 200
    assert authority.name not in client_for(outsider).get(url).text


def test_the_browserless_journey_preview_then_confirm(client_for, staff_user, authority):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(staff_user)
    url = reverse("imports:upload", args=["organizacje"])
    upload = SimpleUploadedFile(
        "rejestr.xlsx", xlsx_bytes(ORG_HEADER, [organisation_row("Stowarzyszenie Nowe", krs="0000777777")])
    )
    response = client.post(url, {"authority": authority.pk, "file": upload})
    assert response.status_code == 200 and "Podgląd – nic jeszcze nie zapisano" in response.text
    assert "organizacja „Stowarzyszenie Nowe”" in response.text and not Organisation.objects.exists()
    content = response.context["content"]
    response = client.post(
        url, {"action": "save", "authority": authority.pk, "content": content, "file_name": "rejestr.xlsx"}
    )
    assert response.status_code == 302
    assert Organisation.objects.get(krs="0000777777").import_batch.file_name == "rejestr.xlsx"


def test_an_imported_call_is_a_same_type_task_of_a_later_announcement(staff_user, authority):
    """Art. 13 ust. 2 pkt 7: a call announced in 2025 lists the imported call of 2024 with its grants."""
    from datetime import date

    from grants.selectors import same_type_tasks
    from tests.grants.factories import OpenCallFactory

    _history(authority, staff_user)
    imported = OpenCall.objects.get(number="OK/2024/1")
    assert imported.status == OpenCall.Status.FINISHED and imported.results_published_at is not None
    assert sorted(imported.task_areas.values_list("code", flat=True)) == ["17"]
    call = OpenCallFactory(
        programme=Programme.objects.get(authority=authority, year_from=2024),
        number="OK/2025/1",
        published_bip_on=date(2025, 1, 10),
        delivery_start=date(2025, 3, 1),
        delivery_end=date(2025, 11, 30),
    )
    listed = {c.number: c for c in same_type_tasks(call)}
    assert set(listed) == {"OK/2024/1"}  # OK/2023/1 is two years back
    assert listed["OK/2024/1"].awarded_total == Decimal("85000.00")
    assert listed["OK/2024/1"].funds_total == Decimal("85000.00")


def test_the_import_pages_queries_do_not_grow(client_for, staff_user, authority):
    from tests.helpers import assert_constant_queries

    client = client_for(staff_user)
    content = csv_bytes(ORG_HEADER, [organisation_row("Pierwsza", krs="0000900000")])
    _import(K.ORGANISATIONS, content, authority, staff_user)
    rows = [organisation_row(f"Organizacja {n}", krs=f"{910000 + n:010d}") for n in range(40)]

    def grow():
        for n in range(5):
            _import(K.ORGANISATIONS, csv_bytes(ORG_HEADER, rows[n * 8 : n * 8 + 8]), authority, staff_user)

    index = assert_constant_queries(lambda: client.get(reverse("imports:index")), grow, budget=8)
    # The preview reads the portal in a fixed number of queries whatever the number of rows.
    from programmes.imports.importers import preview_organisations
    from tests.helpers import count_queries

    few = count_queries(lambda: preview_organisations(csv_bytes(ORG_HEADER, rows[:2]), "a.csv"))
    many = count_queries(lambda: preview_organisations(csv_bytes(ORG_HEADER, rows), "b.csv"))
    assert few == many <= 3 and index <= 8


def test_pages_show_imported_records_as_imported(client_for, staff_user, authority):
    """An imported agreement has no award nor offer version: its pages, the lists and the payments still work."""
    _history(authority, staff_user)
    client = client_for(staff_user)
    agreement = Agreement.objects.get(number="UM/2024/2")
    page = client.get(reverse("grants:agreement-detail", args=[agreement.pk])).text
    assert "Umowa zaimportowana z lat ubiegłych" in page and "konkurs OK/2024/1" in page
    assert client.get(reverse("grants:agreement-pdf", args=[agreement.pk])).status_code == 404
    listing = client.get(reverse("grants:agreement-list")).text
    assert "zaimportowana" in listing and "konkurs OK/2024/1" in listing
    payments = client.get(reverse("grants:payment-list"), {"status": "przekazane"})
    assert payments.status_code == 200 and "UM/2024/2" in payments.text
    assert client.get(reverse("grants:payments-csv")).status_code == 200
    programme = Programme.objects.get(authority=authority, year_from=2024)
    assert "zaimportowany z lat ubiegłych" in client.get(reverse("programmes:detail", args=[programme.pk])).text
    organisation = Organisation.objects.get(krs="0000111111")
    assert "z ewidencji urzędu (import)" in client.get(reverse("organisations:detail", args=[organisation.pk])).text


def test_an_imported_call_without_budget_lines_shows_its_money_as_not_given(client_for, staff_user, authority):
    """Not 0,00 zł, which the call never had: the file did not say which budget line paid for it."""
    _import(
        K.ORGANISATIONS,
        csv_bytes(ORG_HEADER, [organisation_row("Klub Jeziorna", krs="0000111111")]),
        authority,
        staff_user,
    )
    programmes = programme_rows(2024, [(1, "Kultura fizyczna", "100 000,00")])
    _import(K.PROGRAMMES, xlsx_bytes(PROGRAMME_HEADER, programmes), authority, staff_user, "programy.xlsx")
    row = agreement_row(
        "UM/2024/7", "0000111111", "konkurs", "OK/2024/7", "01.03.2024", "30.11.2024", "6 000,00", "6 000,00", line=""
    )
    _import(K.AGREEMENTS, csv_bytes(AGREEMENT_HEADER, [row]), authority, staff_user)
    call = OpenCall.objects.get(number="OK/2024/7")
    client = client_for(staff_user)
    for url in (reverse("grants:call-list") + "?status=", reverse("grants:staff-call-list")):
        text = client.get(url).text
        cells = text[text.index("OK/2024/7") : text.index("</tr>", text.index("OK/2024/7"))]
        assert "nie podano" in cells and "0,00" not in cells, url
    assert "środki: <strong>nie podano</strong>" in client.get(reverse("grants:call-dashboard", args=[call.pk])).text
