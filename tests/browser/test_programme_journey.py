"""Issue journey: programme → consultation → comment → answers → report → adoption → public page and PDF."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Consultation
from tests.accounts.factories import AuthorityStaffFactory
from tests.browser.conftest import log_in
from tests.helpers import pdf_text
from tests.organisations.factories import MembershipFactory, OrganisationFactory

S0 = [
    ("Kultura fizyczna", "17", "100000,00"),
    ("Turystyka", "19", "44000,00"),
    ("Integracja społeczna", "2", "20000,00"),
    (
        "Tradycja narodowa, pielęgnowanie polskości, rozwój świadomości narodowej, obywatelskiej i kulturowej",
        "4",
        "25000,00",
    ),
    ("Kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego", "16", "28000,00"),
    ("Ochrona środowiska", "18", "10000,00"),
    ("Ratownictwo i ochrona ludności; Ochrona zdrowia", "23", "10000,00"),
    ("Przeciwdziałanie uzależnieniom i patologiom społecznym", "32", "120000,00"),
]


def _fill_rows(page, rows, fill_row):
    for index, row in enumerate(rows):
        if index > 0:
            page.get_by_role("button", name="Dodaj wiersz").click()
        fill_row(index, row)


def test_programme_consultation_adoption_journey(browser, live_server, check_page):
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl").user
    organisation = OrganisationFactory(name="Stowarzyszenie Sportowe „Jeziorna”")
    ngo_user = MembershipFactory(organisation=organisation, user__email="ngo@example.pl").user
    office = browser.new_context(bypass_csp=True, locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = office.new_page()
    page.set_default_timeout(30_000)
    log_in(page, live_server, staff.email)

    # 1. Staff create the programme.
    page.goto(f"{live_server.url}/programy/urzad/nowy/")
    page.get_by_label("Tytuł").fill("Program współpracy Gminy z organizacjami pozarządowymi na rok 2027")
    page.get_by_label("Od roku").fill("2027")
    page.get_by_label("Do roku").fill("2027")
    page.get_by_label("Środki zarezerwowane na małe granty").fill("50000,00")
    page.get_by_label("Cel główny i cele szczegółowe programu").fill(
        "§ 1. 1. Celem głównym Programu jest efektywne wykonywanie zadań publicznych.\n2. Cele szczegółowe: integracja."
    )
    page.get_by_label("Wysokość środków planowanych").fill("§ 8. Planowane środki określa tabela budżetu.")
    check_page(page, "30-programme-form")
    page.get_by_role("button", name="Zapisz program").click()
    expect(page.get_by_text("Zapisano program współpracy.")).to_be_visible()

    # 2. Priority areas and budget lines as in S0's table (rows added on the page).
    page.get_by_role("link", name="Obszary priorytetowe").click()

    def area_row(index, row):
        name, code, _amount = row
        page.locator(f"#id_priority_areas-{index}-number").fill(str(index + 1))
        page.locator(f"#id_priority_areas-{index}-name").fill(name)
        select = page.locator(f"#id_priority_areas-{index}-task_areas")
        select.select_option(label=_area_label(page, index, code))

    _fill_rows(page, S0, area_row)
    check_page(page, "31-priority-areas")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_text("Zapisano obszary priorytetowe.")).to_be_visible()
    page.get_by_role("link", name="Budżet").click()

    def budget_row(index, row):
        name, _code, amount = row
        page.locator(f"#id_budget_lines-{index}-number").fill(str(index + 1))
        page.locator(f"#id_budget_lines-{index}-priority_area").select_option(label=f"{index + 1}. {name}")
        page.locator(f"#id_budget_lines-{index}-name").fill(name)
        page.locator(f"#id_budget_lines-{index}-planned_amount").fill(amount)

    _fill_rows(page, S0, budget_row)
    check_page(page, "32-budget")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_text("Zapisano budżet programu.")).to_be_visible()
    expect(page.locator("tfoot")).to_contain_text("357\xa0000,00\xa0zł")
    check_page(page, "33-staff-programme")

    # 3. Staff open the consultation of the draft.
    page.get_by_role("link", name="Przeprowadź konsultacje projektu").click()
    today = timezone.localdate()
    page.get_by_label("Uchwała w sprawie sposobu konsultowania").fill("uchwała nr 519/V/46/2010 Rady Miejskiej")
    page.get_by_label("Zarządzenie o przeprowadzeniu konsultacji").fill("zarządzenie nr 64/Or/2026")
    page.get_by_label("Pierwszy dzień konsultacji").fill(today.isoformat())
    page.get_by_label("Ostatni dzień konsultacji").fill(today.isoformat())
    check_page(page, "34-consultation-form")
    page.get_by_role("button", name="Przygotuj konsultacje").click()
    page.get_by_role("button", name="Ogłoś konsultacje").click()
    expect(page.get_by_text("Konsultacje ogłoszone.")).to_be_visible()
    consultation = Consultation.objects.get()

    # 4. An NGO member comments on a provision.
    ngo = browser.new_context(bypass_csp=True, locale="pl-PL", viewport={"width": 1280, "height": 900})
    ngo_page = ngo.new_page()
    ngo_page.set_default_timeout(30_000)
    log_in(ngo_page, live_server, ngo_user.email)
    ngo_page.goto(f"{live_server.url}/konsultacje/{consultation.pk}/")
    ngo_page.get_by_label("Przepis projektu").select_option(label=_provision_label(ngo_page, "§ 1 ust. 1"))
    ngo_page.get_by_label("Proponowane brzmienie").fill("Celem głównym Programu jest partnerska współpraca z NGO.")
    ngo_page.get_by_label("Uzasadnienie").fill("Zasada partnerstwa z art. 5 ust. 3 ustawy.")
    check_page(ngo_page, "35-consultation-comment")
    ngo_page.get_by_role("button", name="Złóż uwagę").click()
    expect(ngo_page.get_by_text("Uwaga została złożona.")).to_be_visible()

    # 5. The period ends; staff answer, close and publish the report.
    Consultation.objects.filter(pk=consultation.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    page.goto(f"{live_server.url}/konsultacje/urzad/{consultation.pk}/")
    page.get_by_label("Stanowisko").select_option(label="uwzględniona częściowo")
    page.get_by_label("Uzasadnienie stanowiska").fill("Dopisano zasadę partnerstwa w § 2.")
    page.get_by_role("button", name="Zapisz stanowisko").click()
    page.get_by_role("button", name="Zamknij konsultacje").click()
    expect(page.get_by_text("Konsultacje zamknięte.")).to_be_visible()
    check_page(page, "36-staff-consultation")
    page.get_by_role("button", name="Opublikuj sprawozdanie").click()
    expect(page.get_by_text("Opublikowano sprawozdanie z konsultacji.")).to_be_visible()

    # 6. The public reads the consultation report.
    public = browser.new_context(bypass_csp=True, locale="pl-PL", viewport={"width": 1280, "height": 900})
    public_page = public.new_page()
    public_page.goto(f"{live_server.url}/konsultacje/{consultation.pk}/sprawozdanie/")
    expect(public_page.get_by_role("cell", name="Stowarzyszenie Sportowe „Jeziorna”")).to_be_visible()
    expect(public_page.get_by_text("Dopisano zasadę partnerstwa w § 2.")).to_be_visible()
    check_page(public_page, "37-consultation-report")

    # 7. The council adopts the programme; staff record the resolution.
    # A date in the future is refused on the form; the real date leads to a confirmation page that says what
    # will happen and shows the late-adoption warning once (when the council met after 30 November).
    page.goto(f"{live_server.url}/programy/urzad/{consultation.programme_id}/")
    page.get_by_role("link", name="Zapisz uchwalenie programu").click()
    page.get_by_label("Numer uchwały").fill("655/VII/40/2026")
    page.get_by_label("Data uchwały").fill((today + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Dalej – sprawdź i potwierdź").click()
    expect(page.get_by_text("jest w przyszłości")).to_be_visible()
    check_page(page, "38a-adoption-refused")
    page.get_by_label("Data uchwały").fill(today.isoformat())
    page.get_by_role("button", name="Dalej – sprawdź i potwierdź").click()
    expect(page.get_by_role("heading", name="Potwierdź uchwalenie")).to_be_visible()
    check_page(page, "38b-adoption-confirmation")
    warning = page.get_by_label("Potwierdzam zapisanie uchwalenia mimo ostrzeżeń powyżej")
    if warning.count():
        warning.check()
    page.get_by_role("button", name="Potwierdzam – zapisz uchwalenie i opublikuj program").click()
    expect(
        page.get_by_text("Program uchwalony uchwałą nr 655/VII/40/2026; opublikowano jego treść (wersja 1).")
    ).to_be_visible()

    # 8. The public page and its PDF show the S0-style budget table with the right total.
    public_page.goto(f"{live_server.url}/programy/{consultation.programme_id}/")
    expect(public_page.locator("tfoot")).to_contain_text("357\xa0000,00\xa0zł")
    expect(public_page.get_by_text("uchwalony", exact=True)).to_be_visible()
    expect(public_page.get_by_role("heading", name="Rejestr zmian dokumentu")).to_be_visible()
    check_page(public_page, "38-public-programme")
    pdf = public_page.request.get(f"{live_server.url}/programy/{consultation.programme_id}/program.pdf")
    text = pdf_text(pdf.body(), layout=True)
    assert "UCHWAŁA NR 655/VII/40/2026" in text
    assert "357 000,00 zł" in text.replace("\xa0", " ")
    assert "120 000,00 zł" in text.replace("\xa0", " ")
    for context in (office, ngo, public):
        context.close()


def _area_label(page, index, code) -> str:
    """The option text of art. 4 area ``code`` in the row's select (e.g. "17) wspierania …")."""
    return page.locator(f"#id_priority_areas-{index}-task_areas option").filter(has_text=f"{code})").first.inner_text()


def _provision_label(page, label) -> str:
    return page.get_by_label("Przepis projektu").locator("option").filter(has_text=label).first.inner_text()
