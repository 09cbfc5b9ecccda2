"""Issue 16: a second authority on the installation, in a real browser (axe on every page).

The superuser creates a powiat and invites its administrator; the administrator sets the executive (Zarząd
Powiatu), invites an official who may decide and, in the powiat's space, imports last year's agreements from the
downloaded template (filled here with openpyxl, as an office fills it in a spreadsheet); each authority's public
space shows only its own calls (the imported past call too); the first gmina's indicators do not change, while the
powiat's last year counts the imported agreements.
"""

import re
from datetime import date

from openpyxl import load_workbook
from playwright.sync_api import expect

from organisations.models import Organisation
from programmes.models import Authority
from reports import computations
from reports.data import gather
from tests.accounts.factories import AuthorityFactory, UserFactory
from tests.browser.conftest import log_in
from tests.grants.factories import OpenCallFactory
from tests.organisations.factories import OrganisationFactory
from tests.programmes.factories import ProgrammeFactory


def _indicators(programme):
    data = gather(programme)
    return {code: computations.compute(data, code, programme.year_from).value for code in computations.COMPUTATIONS}


def _link(mailoutbox) -> str:
    return re.search(r"https?://\S+zaproszenie-urzedu/\S+", mailoutbox[-1].body).group(0)


def _fill_agreements_template(template, target, rows) -> None:
    """The downloaded template with its example rows replaced by ``rows`` (dates and amounts as spreadsheet cells)."""
    workbook = load_workbook(template)
    sheet = workbook.active
    sheet.delete_rows(2, sheet.max_row)
    header = [str(cell.value).removesuffix(" *") for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(title, "") for title in header])
    workbook.save(target)


def test_superuser_adds_a_powiat_its_admin_invites_an_official_and_each_space_shows_its_own_calls(
    page, live_server, mailoutbox, check_page, tmp_path
):
    gmina = AuthorityFactory(
        territory_municipality="Konstancin-Jeziorna",
        territory_county="piaseczyński",
        territory_voivodeship="mazowieckie",
    )
    gmina_call = OpenCallFactory(programme=ProgrammeFactory(authority=gmina), title="Sport dzieci w gminie")
    for n in range(3):
        OrganisationFactory(
            name=f"Stowarzyszenie Konstancińskie {n}",
            seat_municipality="Konstancin-Jeziorna",
            seat_county="piaseczyński",
            seat_voivodeship="mazowieckie",
        )
    before = _indicators(gmina_call.programme)
    superuser = UserFactory(email="admin@portal.example.pl", is_superuser=True, is_staff=True)
    UserFactory(email="starosta.ngo@powiat.example.pl", first_name="Stanisław", last_name="Starostowski")
    UserFactory(email="urzedniczka@powiat.example.pl", first_name="Ewa", last_name="Urzędnicza")

    # 1. The superuser creates the powiat and invites its administrator.
    log_in(page, live_server, superuser.email)
    page.goto(f"{live_server.url}/programy/urzad/jednostki/nowa/")
    page.get_by_label("Skrót w adresach").fill("powiat-kozielski")
    page.locator("#id_name").fill("Powiat Kozielski")
    page.get_by_label("Rodzaj jednostki").select_option("county")
    page.locator("#id_executive_title").select_option("zarzad_powiatu")
    page.get_by_label("Organ stanowiący").fill("Rada Powiatu Kozielskiego")
    page.get_by_label("Ulica i numer").fill("ul. Kościuszki 5")
    page.get_by_label("Kod pocztowy").fill("47-200")
    page.get_by_label("Miejscowość").fill("Kędzierzyn-Koźle")
    page.get_by_label("Adres BIP").fill("https://bip.powiat.example.pl/")
    page.get_by_label("Województwo (obszar)").select_option("opolskie")
    page.get_by_label("E-mail pierwszego administratora jednostki").fill("starosta.ngo@powiat.example.pl")
    check_page(page, "tenant-01-create-powiat-form")
    page.get_by_role("button", name="Utwórz jednostkę").click()
    # The county's territory was left out: the form says so and keeps everything typed.
    expect(page.get_by_text("Podaj nazwę powiatu, na którego obszarze leży jednostka.")).to_be_visible()
    expect(page.get_by_label("Organ stanowiący")).to_have_value("Rada Powiatu Kozielskiego")
    check_page(page, "tenant-02-create-powiat-error")
    page.get_by_label("Powiat (obszar)").fill("kędzierzyńsko-kozielski")
    page.get_by_role("button", name="Utwórz jednostkę").click()
    expect(page.get_by_text("Utworzono jednostkę „Powiat Kozielski”")).to_be_visible()
    powiat = Authority.objects.get(slug="powiat-kozielski")
    invitation_link = _link(mailoutbox)

    # 2. Its administrator accepts, sets the executive and invites an official who may decide.
    page.get_by_role("button", name=re.compile("^Konto:")).click()
    page.get_by_role("button", name="Wyloguj").click()
    log_in(page, live_server, "starosta.ngo@powiat.example.pl")
    page.goto(invitation_link)
    check_page(page, "tenant-03-accept-invitation")
    page.get_by_role("button", name="Przyjmij zaproszenie").click()
    page.goto(f"{live_server.url}/programy/urzad/jednostki/{powiat.pk}/")
    page.get_by_label("Pełna nazwa organu wykonawczego").fill("Zarząd Powiatu Kozielskiego")
    page.get_by_label("Domyślni reprezentanci w umowach").fill("Starosta – Jan Nowak\nWicestarosta – Anna Lis")
    page.get_by_role("button", name="Zapisz dane jednostki").click()
    expect(page.get_by_text("Zapisano dane jednostki.")).to_be_visible()
    expect(page.get_by_text("Powiat Kozielski reprezentowany przez Zarząd Powiatu Kozielskiego")).to_be_visible()
    check_page(page, "tenant-04-powiat-settings")
    page.get_by_role("link", name="Pracownicy urzędu i uprawnienia").click()
    page.get_by_label("Adres e-mail osoby zapraszanej").fill("urzedniczka@powiat.example.pl")
    page.get_by_label("Stanowisko / komórka").fill("Wydział Promocji i Współpracy")
    page.locator("#id_can_decide").check()
    page.get_by_role("button", name="Wyślij zaproszenie").click()
    expect(page.get_by_text("Wysłano zaproszenie na adres urzedniczka@powiat.example.pl.")).to_be_visible()
    check_page(page, "tenant-05-powiat-staff")
    official_link = _link(mailoutbox)

    # 3. In the powiat's space its administrator imports last year's agreements from the template. The powiat's
    # NGOs are in the portal (registered by themselves), and so is its last year's programme.
    last = date.today().year - 1
    kozielskie = [
        OrganisationFactory(
            name=f"Stowarzyszenie Kozielskie {n}",
            krs=f"00007000{n:02d}",
            seat_municipality="Reńska Wieś",
            seat_county="kędzierzyńsko-kozielski",
            seat_voivodeship="opolskie",
        )
        for n in range(10)
    ]
    last_programme = ProgrammeFactory(authority=powiat, year_from=last)
    page.goto(f"{live_server.url}/{powiat.slug}/")
    page.get_by_role("button", name="Urząd").click()
    page.get_by_role("link", name="Import danych z lat ubiegłych").click()
    expect(page).to_have_url(re.compile(rf"/{powiat.slug}/urzad/import/$"))
    with page.expect_download() as download:
        page.get_by_role("region", name="3. Umowy z lat ubiegłych").get_by_role("link", name="XLSX").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    _fill_agreements_template(
        template,
        tmp_path / f"umowy-{last}.xlsx",
        [
            {
                "Numer umowy": f"OR.524.1.{last}",
                "Organizacja": "Stowarzyszenie Kozielskie 0",
                "KRS lub NIP organizacji": kozielskie[0].krs,
                "Tryb (konkurs / art. 19a / art. 12)": "konkurs",
                "Numer konkursu": f"OR/{last}/1",
                "Forma (wspieranie / powierzanie)": "wspieranie",
                "Tytuł zadania": "Rajd rowerowy szlakiem Odry",
                "Data zawarcia": date(last, 4, 10),
                "Początek realizacji": date(last, 5, 1),
                "Koniec realizacji": date(last, 9, 30),
                "Dotacja": 18000,
                "Przekazano": 18000,
                "Data przekazania": date(last, 5, 5),
                "Rozliczono": 18000,
                "Zwrócono": 0,
            },
            {
                "Numer umowy": f"OR.524.2.{last}",
                "Organizacja": "Stowarzyszenie Kozielskie 1",
                "KRS lub NIP organizacji": kozielskie[1].krs,
                "Tryb (konkurs / art. 19a / art. 12)": "art. 19a",
                "Forma (wspieranie / powierzanie)": "wspieranie",
                "Tytuł zadania": "Festyn powiatowy",
                "Data zawarcia": date(last, 6, 1),
                "Początek realizacji": date(last, 6, 10),
                "Koniec realizacji": date(last, 6, 30),
                "Dotacja": 6500.5,
                "Przekazano": 6500.5,
                "Rozliczono": 6500.5,
            },
        ],
    )
    page.get_by_role("link", name="Importuj umowy").click()
    page.get_by_label("Plik CSV lub XLSX").set_input_files(str(tmp_path / f"umowy-{last}.xlsx"))
    page.get_by_role("button", name="Pokaż podgląd").click()
    expect(page.get_by_text("Podgląd – nic jeszcze nie zapisano")).to_be_visible()
    expect(page.get_by_text("Powiat Kozielski · plik „umowy-")).to_be_visible()
    expect(
        page.get_by_text(
            f"umowa OR.524.1.{last} z „Stowarzyszenie Kozielskie 0”, konkurs OR/{last}/1 (nowy, z lat ubiegłych), "
            "dotacja 18 000,00 zł"
        )
    ).to_be_visible()
    expect(page.get_by_text(f"umowa OR.524.2.{last} z „Stowarzyszenie Kozielskie 1”, mała dotacja")).to_be_visible()
    assert not powiat.agreements.exists()  # the preview saved nothing
    check_page(page, "tenant-06-import-preview")
    page.get_by_role("button", name="Zapisz import (2 umowy)").click()
    expect(
        page.get_by_text(f"Zaimportowano plik „umowy-{last}.xlsx” (2 wiersze) dla: Powiat Kozielski.")
    ).to_be_visible()
    check_page(page, "tenant-07-import-done")
    assert sorted(powiat.agreements.values_list("number", flat=True)) == [f"OR.524.1.{last}", f"OR.524.2.{last}"]
    assert {o.pk for o in powiat.declared_organisations.all()} == {kozielskie[0].pk, kozielskie[1].pk}

    page.get_by_role("button", name=re.compile("^Konto:")).click()
    page.get_by_role("button", name="Wyloguj").click()
    log_in(page, live_server, "urzedniczka@powiat.example.pl")
    page.goto(official_link)
    page.get_by_role("button", name="Przyjmij zaproszenie").click()
    expect(page.get_by_text("Pracujesz teraz w portalu dla jednostki: Powiat Kozielski.")).to_be_visible()
    official = powiat.staff.get(user__email="urzedniczka@powiat.example.pl")
    assert official.can_decide and not official.is_admin

    # 4. The powiat's call of this year; each public space shows only its own calls (the imported one in the powiat's).
    OpenCallFactory(programme=ProgrammeFactory(authority=powiat), title="Turystyka w powiecie")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Samorządy w portalu")).to_be_visible()
    check_page(page, "tenant-08-installation-home")
    page.get_by_role("link", name="Powiat Kozielski", exact=True).click()
    expect(page.get_by_role("heading", name="Powiat Kozielski", exact=True)).to_be_visible()
    expect(page.get_by_text("Turystyka w powiecie")).to_be_visible()
    expect(page.get_by_text("Sport dzieci w gminie")).to_have_count(0)
    check_page(page, "tenant-09-powiat-space")
    page.goto(f"{live_server.url}/{powiat.slug}/konkursy/")
    expect(page.get_by_text("Turystyka w powiecie")).to_be_visible()
    expect(page.get_by_text("Rajd rowerowy szlakiem Odry")).to_be_visible()  # the imported call of last year
    expect(page.get_by_text("Sport dzieci w gminie")).to_have_count(0)
    check_page(page, "tenant-10-powiat-calls")
    page.goto(f"{live_server.url}/{gmina.slug}/konkursy/")
    expect(page.get_by_text("Sport dzieci w gminie")).to_be_visible()
    expect(page.get_by_text("Turystyka w powiecie")).to_have_count(0)
    expect(page.get_by_text("Rajd rowerowy szlakiem Odry")).to_have_count(0)
    check_page(page, "tenant-11-gmina-calls")

    # 5. The first gmina's indicators do not change: its three NGOs, none of the powiat's, no imported agreement.
    assert Organisation.objects.count() == 13
    after = _indicators(gmina_call.programme)
    assert after == before
    assert sum(after["B1"].values()) == 3 and after["C1"] == 0 and after["L3"] == 0
    # The powiat's last year counts its imported agreements: two organisations cooperating, one call.
    powiat_last = _indicators(last_programme)
    assert (powiat_last["C1"], powiat_last["L1"]) == (2, 1)
