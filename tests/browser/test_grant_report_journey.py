"""Issue journey: an NGO reports an overspent line; staff see the amount to return, record the refund and accept;
the agreement is performed and the year-end report counts it. Every page: screenshot and axe."""

import re
from datetime import date

from django.utils import timezone
from playwright.sync_api import expect

from grants.models import Agreement
from programmes.models import Programme
from tests.accounts.factories import AuthorityStaffFactory
from tests.browser.conftest import log_in
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory
from tests.helpers import pdf_text
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.programmes.factories import ProgrammeFactory, add_budget


def _context(browser):
    context = browser.new_context(bypass_csp=True, locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def test_final_report_with_overspent_line_refund_and_acceptance(browser, live_server, check_page, mailoutbox):
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl").user
    authority = staff.staff_roles.get().authority
    programme = ProgrammeFactory(
        authority=authority, year_from=2025, status=Programme.Status.IN_FORCE, title="Program współpracy na rok 2025"
    )
    add_budget(programme, [("Kultura fizyczna", "100000.00")])
    call = OpenCallFactory(
        programme=programme, number="OK/2025/1", delivery_start=date(2025, 2, 1), delivery_end=date(2025, 12, 15)
    )
    organisation = OrganisationFactory(name="Uczniowski Klub Sportowy „Orlik”")
    ngo_user = MembershipFactory(organisation=organisation, user__email="ngo@example.pl").user
    agreement = make_agreement(organisation=organisation, call=call, tranches=[("10000.00", date(2025, 3, 1))])

    ngo, page = _context(browser)
    log_in(page, live_server, ngo_user.email)
    page.goto(f"{live_server.url}/konkursy/sprawozdania/")
    expect(page.get_by_role("heading", name="Sprawozdania z realizacji zadań")).to_be_visible()
    check_page(page, "90-ngo-grant-reports")
    page.get_by_role("button", name="Sprawozdanie końcowe").click()
    expect(page.get_by_role("heading", name="Sprawozdanie końcowe z wykonania zadania publicznego")).to_be_visible()
    check_page(page, "91-grant-report-form")
    page.get_by_label("Osiągnięty poziom: Uczestnicy zajęć").fill("64 dzieci")
    page.get_by_label("Osiągnięty poziom: Turnieje").fill("4 turnieje")
    page.locator("#id_results_description").fill("64 dzieci ćwiczyło przez 9 miesięcy; 4 turnieje.")
    page.locator("#id_activities_description").fill("Treningi dwa razy w tygodniu; turnieje w maju i październiku.")
    page.locator("#id_beneficiaries").fill("64")
    page.locator("#id_volunteers").fill("5")
    # the trainer took 7 800,00 zł from the grant instead of 7 000,00 (threshold 10%: 7 700,00); equipment less
    page.get_by_label("Wynagrodzenie trenera – faktycznie poniesione").fill("8 800,00")
    page.get_by_label("Wynagrodzenie trenera – w tym z dotacji").fill("7 800,00")
    page.get_by_label("Piłki i sprzęt – faktycznie poniesione").fill("1 450,00")
    page.get_by_label("Piłki i sprzęt – w tym z dotacji").fill("1 200,00")
    page.get_by_label("Księgowość – faktycznie poniesione").fill("1 000,00")
    page.get_by_label("Księgowość – w tym z dotacji").fill("1 000,00")
    page.get_by_role("button", name="Zapisz wersję roboczą").click()
    expect(page.get_by_text("Zapisano wersję roboczą sprawozdania.")).to_be_visible()
    expect(page.get_by_text("Potwierdź oświadczenia.")).to_be_visible()
    page.locator("#id_declarations_confirmed").check()
    page.get_by_role("button", name="Złóż sprawozdanie").click()
    expect(page.get_by_text("Sprawozdanie zostało złożone.")).to_be_visible()
    expect(page.get_by_text("złożone – w ocenie", exact=True)).to_be_visible()
    check_page(page, "92-grant-report-submitted")
    ngo.close()

    office, page = _context(browser)
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/konkursy/urzad/sprawozdania/?pokaz=do-oceny")
    check_page(page, "93-staff-grant-reports")
    page.get_by_role("link", name=f"nr {agreement.number}").click()
    expect(page.get_by_test_id("to-return")).to_have_text("100,00\xa0zł")
    expect(page.get_by_role("cell", name="dotacja pobrana w nadmiernej wysokości")).to_be_visible()
    check_page(page, "94-settlement-overspent")
    page.locator("#id_refund-kind").select_option("excessive")
    page.locator("#id_refund-amount").fill("100,00")
    page.locator("#id_refund-paid_on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Zaksięguj zwrot").click()
    expect(page.get_by_text("Zaksięgowano zwrot dotacji.")).to_be_visible()
    expect(page.get_by_test_id("outstanding")).to_have_text("0,00\xa0zł")
    page.get_by_label("przyjmij sprawozdanie").check()
    page.get_by_role("button", name="Zapisz ocenę").click()
    expect(page.get_by_text("Sprawozdanie przyjęte.")).to_be_visible()
    expect(page.get_by_text("wykonana (rozliczona)").first).to_be_visible()
    check_page(page, "95-settlement-performed")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PERFORMED
    assert any("przyjęte" in m.subject for m in mailoutbox)

    page.goto(f"{live_server.url}/sprawozdania/programy/{programme.pk}/")
    performed = page.get_by_role("row", name="w tym wykonane i rozliczone")
    expect(performed).to_contain_text("1")
    expect(page.get_by_role("row", name="w tym pobrane w nadmiernej wysokości")).to_contain_text("100,00")
    expect(page.get_by_role("row", name="Zwroty zaksięgowane")).to_contain_text("100,00")
    check_page(page, "96-annual-report")
    page.get_by_role("link", name="Wnioski i jednostki").click()
    page.get_by_label("Wnioski").fill("Wszystkie umowy rozliczono.")
    check_page(page, "97-annual-report-form")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_text("Wszystkie umowy rozliczono.")).to_be_visible()
    page.get_by_role("link", name="Opublikuj sprawozdanie").click()
    expect(page.get_by_role("heading", name="Co się stanie")).to_be_visible()
    check_page(page, "97a-annual-report-publish-confirmation")
    page.get_by_role("button", name="Potwierdzam – opublikuj sprawozdanie").click()
    expect(page.get_by_text("Opublikowano sprawozdanie – wersja 1.")).to_be_visible()
    # A correction: the next version with its reason; the register shows both.
    page.get_by_role("link", name="Wersja robocza (dane bieżące)").click()
    page.get_by_role("link", name="Opublikuj korektę").click()
    page.get_by_label("Powód korekty i zakres zmian").fill("Poprawiono wnioski: dopisano ocenę kontroli.")
    page.get_by_role("button", name="Dalej – sprawdź, co się stanie").click()
    page.get_by_role("button", name="Potwierdzam: opublikuj wersję 2 (korektę)").click()
    register = page.get_by_role("region", name="Rejestr zmian dokumentu")
    expect(register).to_contain_text("Poprawiono wnioski: dopisano ocenę kontroli.")
    expect(register).to_contain_text("Pierwsza publikacja")
    check_page(page, "97b-annual-report-change-register")
    response = page.request.get(f"{live_server.url}/sprawozdania/programy/{programme.pk}/sprawozdanie.pdf")
    text = pdf_text(response.body(), layout=True)
    assert re.search(r"Umowy zawarte\s+1\n", text) and re.search(r"w tym wykonane i rozliczo\S*\s+1\n", text)

    page.goto(f"{live_server.url}/konkursy/urzad/kontrole/")
    page.get_by_label("Rok").fill("2025")
    page.get_by_role("button", name="Utwórz plan").click()
    expect(page.get_by_role("heading", name="Plan kontroli na rok 2025")).to_be_visible()
    check_page(page, "98-controls")
    page.get_by_role("link", name="Zarejestruj kontrolę").first.click()
    check_page(page, "99-control-form")
    office.close()

    public, page = _context(browser)
    page.goto(f"{live_server.url}/programy/{programme.pk}/")
    page.get_by_role("link", name="Sprawozdanie z realizacji programu za 2025 r.").click()
    expect(page.get_by_role("heading", name="Sprawozdanie z realizacji programu współpracy za 2025 r.")).to_be_visible()
    public.close()
