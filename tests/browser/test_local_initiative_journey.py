"""Issue 18 journey: a group of residents (no organisation) files a local-initiative request; the office scores it on
the council's criteria; the executive accepts; the agreement on execution (PDF); the office's spending (refused above
the cap) and the residents' report; the initiative in the year-end report."""

from decimal import Decimal

from playwright.sync_api import expect

from grants.models import LocalInitiativeAgreement, LocalInitiativeRequest
from grants.services import local_initiative as li
from programmes.models import Programme
from tests.accounts.factories import AuthorityStaffFactory, UserFactory
from tests.browser.conftest import SCREENSHOTS, log_in
from tests.grants.local_initiative_factories import adopt_rules
from tests.helpers import pdf_text
from tests.programmes.factories import ProgrammeFactory, add_budget


def _context(browser, context_args):
    context = browser.new_context(**context_args)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def test_local_initiative_journey(browser, browser_context_args, live_server, check_page, mailoutbox):
    clerk = AuthorityStaffFactory(user__email="urzednik@example.pl", user__first_name="Urszula").user
    authority = clerk.staff_roles.get().authority
    decider = AuthorityStaffFactory(authority=authority, user__email="burmistrz@example.pl", can_decide=True).user
    resident = UserFactory(email="anna.lipowa@example.pl", first_name="Anna", last_name="Lipowa")
    programme = ProgrammeFactory(authority=authority, status=Programme.Status.IN_FORCE, year_from=2026)
    [line] = add_budget(programme, [("Rozwój wspólnot lokalnych", "100000.00")])
    adopt_rules(authority, clerk)
    li.reserve_set(budget_line=line, amount=Decimal("20000.00"), actor=clerk)

    # 1. A resident, with a plain account and no organisation, files the group's request.
    people, page = _context(browser, browser_context_args)
    log_in(page, live_server, resident.email)
    page.goto(f"{live_server.url}/konkursy/inicjatywa-lokalna/")
    check_page(page, "li_01_public")
    page.get_by_role("link", name="Złóż wniosek").click()
    check_page(page, "li_02_start")
    page.get_by_role("button", name="Utwórz wersję roboczą").click()
    page.get_by_label("Adres zamieszkania inicjatora").fill("ul. Lipowa 3, 05-520 Konstancin-Jeziorna")
    page.get_by_label("Nazwa inicjatywy").fill("Skwer sąsiedzki przy ul. Lipowej")
    page.get_by_label("Sfera zadań publicznych").select_option(
        label="ekologii i ochrony zwierząt oraz ochrony dziedzictwa przyrodniczego (art. 4 ust. 1 pkt 18)"
    )
    page.get_by_label("Opis zadania i jego celowość dla społeczności lokalnej").fill(
        "Urządzimy skwer z ławkami i nasadzeniami dla całej ulicy."
    )
    page.get_by_label("Miejsce realizacji").fill("skwer przy ul. Lipowej")
    page.get_by_label("Początek realizacji").fill("2026-05-01")
    page.get_by_label("Koniec realizacji").fill("2026-09-30")
    page.get_by_label("Harmonogram").fill("maj – przygotowanie terenu; czerwiec – nasadzenia; wrzesień – ławki")
    page.get_by_label("Szacunkowy koszt całego zadania").fill("18 000,00")
    page.get_by_label("Praca społeczna (godziny)").fill("240")
    page.get_by_label("Wkład rzeczowy (wartość)").fill("1 500")
    page.get_by_label("Wkład finansowy").fill("500,00")
    page.get_by_label("Materiały, które ma kupić urząd").fill("sadzonki, ziemia, dwie ławki")
    page.get_by_label("Szacunkowy koszt po stronie urzędu").fill("8 800,00")
    for n, (name, address) in enumerate([("Jan Lipowy", "ul. Lipowa 5"), ("Ewa Lipowa", "ul. Lipowa 7")]):
        page.locator(f"#id_popierajacy-{n}-full_name").fill(name)
        page.locator(f"#id_popierajacy-{n}-address").fill(address)
        page.locator(f"#id_popierajacy-{n}-consent").check()
    page.get_by_role("button", name="Zapisz wersję roboczą").click()
    expect(page.get_by_text("Zapisano wniosek (wersja robocza).")).to_be_visible()
    check_page(page, "li_03_draft")
    page.get_by_role("button", name="Złóż wniosek").click()
    check_page(page, "li_04_confirm")
    page.get_by_role("button", name="Potwierdzam: Złóż wniosek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Potwierdzenie złożenia wniosku")
    check_page(page, "li_05_receipt")
    li_request = LocalInitiativeRequest.objects.get()
    assert li_request.status == "submitted" and li_request.organisation is None
    assert any("IL/" in m.body for m in mailoutbox)

    # 2. The office scores it on the council's criteria, against the reserve.
    office, page = _context(browser, browser_context_args)
    log_in(page, live_server, clerk.email)
    page.goto(f"{live_server.url}/konkursy/urzad/inicjatywa-lokalna/")
    check_page(page, "li_06_staff_list")
    page.get_by_role("link", name="Skwer sąsiedzki przy ul. Lipowej").click()
    for criterion in li_request.rules.criteria.all():
        page.locator(f"#id_points_{criterion.pk}").fill(str(criterion.max_points - 1))
        page.locator(f"#id_justification_{criterion.pk}").fill("Wysoki wkład mieszkańców i jasny harmonogram.")
    page.get_by_role("button", name="Zapisz ocenę").click()
    expect(page.get_by_text("Zapisano ocenę wniosku.")).to_be_visible()
    check_page(page, "li_07_scored")

    # 3. The executive's delegate accepts, after a confirmation step.
    executive, page_e = _context(browser, browser_context_args)
    log_in(page_e, live_server, decider.email)
    page_e.goto(f"{live_server.url}/konkursy/urzad/inicjatywa-lokalna/wnioski/{li_request.pk}/")
    page_e.get_by_label("przyjmuję wniosek do realizacji").check()
    page_e.get_by_label("Uzasadnienie (kryteria uchwały i celowość dla społeczności lokalnej, art. 19c ust. 2)").fill(
        "Zadanie celowe dla mieszkańców ul. Lipowej; wysoki wkład pracy społecznej."
    )
    page_e.get_by_role("button", name="Zapisz rozstrzygnięcie").click()
    page_e.get_by_role("button", name="Potwierdzam: Przyjmuję wniosek do realizacji").click()
    expect(page_e.get_by_text("Zapisano rozstrzygnięcie")).to_be_visible()

    # 4. The office prepares the agreement; the executive signs it; the PDF.
    page.reload()
    page.get_by_label("Numer umowy").fill("IL/1/2026")
    page.get_by_label("Pozycja budżetu programu").select_option(index=1)
    page.get_by_label("Najwyższa kwota wydatków urzędu").fill("9 000,00")
    check_page(page, "li_08_agreement_form")
    page.get_by_role("button", name="Przygotuj projekt umowy").click()
    agreement = LocalInitiativeAgreement.objects.get()
    page_e.goto(f"{live_server.url}/konkursy/urzad/inicjatywa-lokalna/umowy/{agreement.pk}/")
    page_e.get_by_label("Data zawarcia").fill("2026-04-20")
    page_e.get_by_role("button", name="Umowa zawarta").click()
    expect(page_e.get_by_text("Umowę zawarto.")).to_be_visible()
    pdf = people.request.get(f"{live_server.url}/konkursy/inicjatywa-lokalna/umowy/{agreement.pk}/umowa.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.body())
    assert "o wykonanie inicjatywy lokalnej" in text and "9 000,00 zł" in text.replace("\xa0", " ")
    (SCREENSHOTS / "li_agreement.pdf").write_bytes(pdf.body())

    # 5. The office records its purchases: the one above the cap is refused, what was typed stays.
    page.goto(f"{live_server.url}/konkursy/urzad/inicjatywa-lokalna/umowy/{agreement.pk}/")
    for document, amount in (("FV 12/2026", "8 200,00"), ("FV 13/2026", "900,00")):
        page.get_by_label("Data wydatku").fill("2026-05-12")
        page.get_by_label("Dokument (np. nr faktury)").fill(document)
        page.get_by_label("Dostawca lub wykonawca").fill("Ogrody Konstancin sp. z o.o.")
        page.get_by_label("Co kupiono").fill("sadzonki i ziemia")
        page.get_by_label("Kwota [zł]").fill(amount)
        page.get_by_role("button", name="Zapisz wydatek").click()
    expect(page.get_by_text("Wydatek przekracza limit umowy")).to_be_visible()
    expect(page.get_by_label("Dokument (np. nr faktury)")).to_have_value("FV 13/2026")
    check_page(page, "li_09_spending_refused")

    # 6. The residents report their work; the office accepts; the initiative is completed.
    people_page = people.pages[0]
    people_page.goto(f"{live_server.url}/konkursy/inicjatywa-lokalna/umowy/{agreement.pk}/sprawozdanie/")
    people_page.get_by_label("Przepracowane godziny pracy społecznej").fill("260")
    people_page.get_by_label("Liczba mieszkańców, którzy pracowali społecznie").fill("14")
    people_page.get_by_label("Wkład rzeczowy (wartość)").fill("1 500")
    people_page.get_by_label("Wkład finansowy").fill("500")
    people_page.get_by_label("Co zrobiono – efekty").fill("Skwer urządzony: 40 krzewów, dwie ławki.")
    check_page(people_page, "li_10_report")
    people_page.get_by_role("button", name="Złóż sprawozdanie").click()
    page.reload()
    page.get_by_label("przyjmuję – inicjatywa rozliczona").check()
    page.get_by_role("button", name="Zapisz", exact=True).click()
    expect(page.get_by_text("wykonana i rozliczona")).to_be_visible()
    check_page(page, "li_11_completed")

    # 7. The year-end report shows local initiative as its own mode.
    page.goto(f"{live_server.url}/sprawozdania/programy/{programme.pk}/")
    section = page.locator("#r2-li")
    expect(section).to_have_text("Inicjatywa lokalna (art. 19b–19h)")
    spending = page.locator("table", has_text="Wydatki urzędu (usługi, materiały)")
    assert "8 200,00 zł" in spending.inner_text().replace("\xa0", " ")  # the office's spending
    check_page(page, "li_12_year_end_report")
    for context in (people, office, executive):
        context.close()
