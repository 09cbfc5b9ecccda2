"""Journeys of the KRS register and of past years' import (screenshots and axe on every page):

* an NGO registers its organisation from a KRS number: the form is filled from the (fake, local) register and the
  differences from what was typed are shown; the directory marks it unverified; the office checks it against the
  register and rejects it with a note;
* an office administrator downloads the agreements template, imports last year's agreements (preview → confirm)
  and opens the year-end report of that year, built from imports only, with its trend column.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from organisations.models import Organisation
from programmes.imports import services
from programmes.imports.models import ImportBatch
from programmes.models import Programme
from tests import krs_fake
from tests.accounts.factories import AuthorityStaffFactory, UserFactory
from tests.browser.conftest import log_in
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


@pytest.fixture
def fake_register(settings):
    with krs_fake.fake_krs() as (url, server):
        settings.KRS_API_URL = url
        settings.KRS_API_TIMEOUT = 2.0
        yield server


def test_registration_prefilled_from_krs_then_checked_by_the_office(page, live_server, check_page, fake_register):
    ngo = UserFactory(email="zarzad@odra.example.pl")
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl").user
    log_in(page, live_server, ngo.email)
    page.goto(f"{live_server.url}/organizacje/rejestracja/")
    page.get_by_label("Nazwa").fill("Stowarzyszenie Odra")
    page.get_by_label("Numer KRS").fill("0000123456")
    page.get_by_role("button", name="Pobierz dane z KRS").click()
    expect(page.get_by_text("Dane wpisane różnią się od rejestru KRS:")).to_be_visible()
    expect(page.get_by_label("Miejscowość")).to_have_value("Kędzierzyn-Koźle")
    expect(page.get_by_label("Ulica i numer")).to_have_value("ul. Jana Pawła II 12/3")
    expect(page.get_by_label("NIP")).to_have_value("5213000009")
    expect(page.get_by_label("Nazwa")).to_have_value("Stowarzyszenie Odra")  # typed, kept
    check_page(page, "krs-01-registration-prefilled")
    page.get_by_label("E-mail organizacji").fill("biuro@odra.example.pl")
    page.get_by_label("OPP od").fill("2010-05-01")
    page.get_by_label("17) wspierania i upowszechniania kultury fizycznej").check()
    page.get_by_label("Działalność statutowa").fill("Upowszechnianie kultury fizycznej.")
    page.get_by_role("button", name="Zarejestruj organizację").click()
    expect(page.get_by_text("Jesteś jej administratorem")).to_be_visible()
    expect(page.get_by_text("niezweryfikowana", exact=True)).to_be_visible()
    expect(page.get_by_text("dane pobrane z KRS")).to_be_visible()
    organisation = Organisation.objects.get(krs="0000123456")
    assert organisation.register_extract.is_found
    page.goto(f"{live_server.url}/organizacje/?q=Odra")
    expect(page.locator("td", has_text="Stowarzyszenie Odra").get_by_text("niezweryfikowana")).to_be_visible()
    check_page(page, "krs-02-directory-unverified")

    staff_page = page.context.browser.new_context(bypass_csp=True, locale="pl-PL").new_page()
    organisation.city = "Konstancin-Jeziorna"  # in the staff's authority's area
    organisation.save(update_fields=["city"])
    log_in(staff_page, live_server, staff.email)
    staff_page.goto(f"{live_server.url}/organizacje/{organisation.pk}/weryfikacja/")
    expect(staff_page.get_by_text("Dane w portalu różnią się od KRS:")).to_be_visible()
    expect(staff_page.get_by_text("Anna Maria Nowak-Kowalska – prezes zarządu", exact=True)).to_be_visible()
    check_page(staff_page, "krs-03-office-verification")
    staff_page.get_by_label("Dane niezgodne – odrzuć z uwagami").check()
    staff_page.get_by_label("Uwagi urzędu").fill("Nazwa i miejscowość różnią się od KRS – popraw je.")
    staff_page.get_by_role("button", name="Zapisz decyzję").click()
    expect(staff_page.get_by_text("Odrzucono dane organizacji „Stowarzyszenie Odra”")).to_be_visible()
    organisation.refresh_from_db()
    assert organisation.is_rejected and "różnią się" in organisation.verification_note


def test_an_administrator_imports_last_years_agreements(page, live_server, check_page, tmp_path):
    staff = AuthorityStaffFactory(user__email="admin.urzedu@example.pl").user
    authority = staff.staff_roles.get().authority
    last = date.today().year - 1
    before = last - 1
    # The registry and the programmes were imported first (the same service the pages use).
    organisations = [
        organisation_row("Klub Sportowy Jeziorna", krs="0000111111", form="klub sportowy"),
        organisation_row("Fundacja Zielona", krs="0000222222", form="fundacja", areas="18"),
    ]
    services.import_save(
        kind=ImportBatch.Kind.ORGANISATIONS,
        authority=authority,
        content=csv_bytes(ORG_HEADER, organisations),
        file_name="rejestr.csv",
        actor=staff,
    )
    programmes = programme_rows(before, [(1, "Kultura fizyczna", "80 000,00"), (2, "Ekologia", "20 000,00")])
    programmes += programme_rows(last, [(1, "Kultura fizyczna", "100 000,00"), (2, "Ekologia", "30 000,00")])
    services.import_save(
        kind=ImportBatch.Kind.PROGRAMMES,
        authority=authority,
        content=csv_bytes(PROGRAMME_HEADER, programmes),
        file_name="programy.csv",
        actor=staff,
    )
    services.import_save(
        kind=ImportBatch.Kind.AGREEMENTS,
        authority=authority,
        content=csv_bytes(
            AGREEMENT_HEADER,
            [
                agreement_row(
                    f"UM/{before}/1",
                    "0000111111",
                    "konkurs",
                    f"OK/{before}/1",
                    f"01.03.{before}",
                    f"30.11.{before}",
                    "40 000,00",
                    "40 000,00",
                    "38 000,00",
                    "2 000,00",
                ),
            ],
        ),
        file_name=f"umowy-{before}.csv",
        actor=staff,
    )
    rows = [
        agreement_row(
            f"UM/{last}/1",
            "0000111111",
            "konkurs",
            f"OK/{last}/1",
            f"01.03.{last}",
            f"30.11.{last}",
            "60 000,00",
            "60 000,00",
            "60 000,00",
            title="Liga piłkarska dzieci",
        ),
        agreement_row(
            f"UM/{last}/2",
            "0000222222",
            "konkurs",
            f"OK/{last}/1",
            f"01.04.{last}",
            f"31.10.{last}",
            "25 000,00",
            "25 000,00",
            "24 000,00",
            "1 000,00",
            line="2",
            title="Sprzątanie brzegów",
        ),
        agreement_row(
            f"UM/{last}/3",
            "0000222222",
            "art. 19a",
            "",
            f"01.07.{last}",
            f"31.08.{last}",
            "9 000,00",
            "9 000,00",
            "9 000,00",
            line="2",
            title="Warsztaty ekologiczne",
        ),
    ]
    upload = tmp_path / f"umowy-{last}.xlsx"
    upload.write_bytes(xlsx_bytes(AGREEMENT_HEADER, rows))

    log_in(page, live_server, staff.email)
    page.get_by_role("button", name="Urząd").click()
    page.get_by_role("link", name="Import danych z lat ubiegłych").click()
    check_page(page, "import-01-index")
    with page.expect_download() as download:
        page.get_by_role("region", name="3. Umowy z lat ubiegłych").get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "wzor-import-umowy.xlsx"
    page.get_by_role("link", name="Importuj umowy").click()
    page.get_by_label("Plik CSV lub XLSX").set_input_files(str(upload))
    page.get_by_role("button", name="Pokaż podgląd").click()
    expect(page.get_by_text("Podgląd – nic jeszcze nie zapisano")).to_be_visible()
    expect(page.get_by_text(f"umowa UM/{last}/2 z „Fundacja Zielona”, konkurs OK/{last}/1")).to_be_visible()
    check_page(page, "import-02-preview")
    page.get_by_role("button", name="Zapisz import (3 umowy)").click()
    expect(page.get_by_text(f"Zaimportowano plik „umowy-{last}.xlsx” (3 wiersze)")).to_be_visible()
    check_page(page, "import-03-done")

    programme = Programme.objects.get(authority=authority, year_from=last)
    page.goto(f"{live_server.url}/sprawozdania/programy/{programme.pk}/?wersja=robocza")
    expect(page.get_by_role("columnheader", name=str(before)).first).to_be_visible()
    check_page(page, "import-04-year-end-report")
