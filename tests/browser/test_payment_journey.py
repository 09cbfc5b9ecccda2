"""Issue journey (money you can sign): the office prepares and signs an agreement and records the first tranche's
transfer; the NGO sees it and reports; the office accepts the report, records the refund of unused grant, and the
agreement becomes performed; the year-end report shows what was transferred, settled and returned.
Every page: screenshot and axe."""

import re
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from grants.models import Agreement
from tests.accounts.factories import AuthorityStaffFactory
from tests.browser.conftest import log_in
from tests.grants.award_factories import call_ready_for_decision, decide_and_publish


def _context(browser):
    context = browser.new_context(bypass_csp=True, locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def _money(value: Decimal) -> str:
    whole, cents = f"{value:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return " ".join(groups) + "," + cents


def test_payment_report_refund_and_the_year_figures(browser, live_server, check_page):
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl").user
    authority = staff.staff_roles.get().authority
    decider = AuthorityStaffFactory(authority=authority, can_decide=True, user__email="dyrektor@example.pl").user
    call, [(offer, ngo_user)] = call_ready_for_decision(authority, staff, offers=1, funds="20000.00")
    decide_and_publish(call, decider, [Decimal("10000.00")])
    today = timezone.localdate()

    # The office prepares the agreement (one tranche) and records its signature.
    office, page = _context(browser)
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/konkursy/urzad/{call.pk}/umowy/")
    page.get_by_role("row", name=offer.organisation.name).get_by_role("link", name="Przygotuj umowę").click()
    page.get_by_label("Reprezentanci zleceniodawcy").fill("Jan Nowak – Burmistrz")
    page.get_by_role("button", name="Przygotuj projekt umowy").click()
    expect(page.get_by_text("Przygotowano projekt umowy")).to_be_visible()
    # A draft cannot be paid: no payment form yet.
    expect(page.get_by_role("button", name="Zapisz przelew transzy nr 1")).to_have_count(0)
    page.get_by_role("button", name="Zapisz zawarcie umowy").click()
    expect(page.get_by_text("Zapisano zawarcie umowy.")).to_be_visible()
    agreement = Agreement.objects.get(award__offer=offer)
    assert agreement.status == Agreement.Status.SIGNED

    # The tranche is on the list of tranches due, reached from the office menu.
    page.get_by_role("button", name="Urząd").click()
    page.get_by_role("link", name="Płatności transz").click()
    expect(page.get_by_role("heading", name="Płatności transz")).to_be_visible()
    expect(page.get_by_role("row", name=f"{agreement.number}, transza 1")).to_contain_text("10\xa0000,00\xa0zł")
    check_page(page, "p1-payments-due")
    page.get_by_role("link", name="Import przelewów z pliku CSV").click()
    check_page(page, "p2-payment-import")
    # A bank file with a wrong amount: the preview says which row does not match, and offers nothing to save.
    bank_file = f"Numer umowy;Nr transzy;Kwota;Data przekazania\n{agreement.number};1;1 000,00;{today:%d.%m.%Y}\n"
    page.get_by_label("Plik CSV z przelewami").set_input_files(
        files=[{"name": "przelewy.csv", "mimeType": "text/csv", "buffer": bank_file.encode()}]
    )
    page.get_by_role("button", name="Pokaż podgląd").click()
    expect(page.get_by_role("heading", name="Podgląd – nic jeszcze nie zapisano")).to_be_visible()
    expect(page.get_by_role("row", name=agreement.number)).to_contain_text("Niedopasowany")
    expect(page.get_by_role("button", name=re.compile("^Zapisz"))).to_have_count(0)
    check_page(page, "p2b-payment-import-preview")
    page.goto(f"{live_server.url}/konkursy/urzad/platnosci/")
    page.get_by_role("link", name=agreement.number).click()

    # The transfer of the first tranche: a wrong amount is refused on its field, the date stays.
    form = page.get_by_role("form", name="Przelew transzy nr 1")
    form.get_by_label("Data przelewu").fill(today.isoformat())
    form.get_by_label("Kwota przelewu").fill("9 999,99")
    form.get_by_label("Tytuł przelewu").fill(f"Dotacja {agreement.number} – I transza")
    form.get_by_role("button", name="Zapisz przelew transzy nr 1").click()
    form = page.get_by_role("form", name="Przelew transzy nr 1")
    expect(form.get_by_text("transzę przekazuje się w całości")).to_be_visible()
    expect(form.get_by_label("Data przelewu")).to_have_value(today.isoformat())
    check_page(page, "p3-tranche-payment-refused")
    form.get_by_label("Kwota przelewu").fill("10 000,00")
    form.get_by_role("button", name="Zapisz przelew transzy nr 1").click()
    expect(page.get_by_text("Zapisano przelew transzy nr 1")).to_be_visible()
    expect(page.get_by_text("Przekazano 10\xa0000,00\xa0zł z 10\xa0000,00\xa0zł dotacji.")).to_be_visible()
    check_page(page, "p4-agreement-tranche-paid")

    # The NGO sees the transfer on its agreement page and reports: 500,00 zł of the grant was not spent.
    ngo, ngo_page = _context(browser)
    log_in(ngo_page, live_server, ngo_user.email)
    ngo_page.goto(f"{live_server.url}/konkursy/oferty/")
    ngo_page.get_by_role("link", name=f"Umowa nr {agreement.number}").click()
    tranches = ngo_page.get_by_role("table", name="Transze dotacji i ich przekazanie")
    expect(tranches.get_by_role("row").nth(1)).to_have_accessible_name(
        f"1 10\xa0000,00\xa0zł {agreement.tranches.get().due_date:%d.%m.%Y} przekazano {today:%d.%m.%Y} "
        f"Dotacja {agreement.number} – I transza"
    )
    expect(ngo_page.get_by_role("button", name="Zapisz przelew transzy nr 1")).to_have_count(0)
    check_page(ngo_page, "p5-agreement-ngo-transfer")
    ngo_page.goto(f"{live_server.url}/konkursy/sprawozdania/")
    ngo_page.get_by_role("button", name="Sprawozdanie końcowe").click()
    ngo_page.get_by_label("Osiągnięty poziom: Uczestnicy zajęć").fill("58 dzieci")
    ngo_page.locator("#id_results_description").fill("58 dzieci ćwiczyło przez 9 miesięcy.")
    ngo_page.locator("#id_activities_description").fill("Treningi dwa razy w tygodniu.")
    ngo_page.locator("#id_beneficiaries").fill("58")
    lines = list(agreement.cost_lines.order_by("category", "order"))
    for index, line in enumerate(lines):
        spent = line.from_grant - (Decimal("500.00") if index == 0 else 0)
        ngo_page.get_by_label(f"{line.name} – faktycznie poniesione").fill(_money(spent + line.total - line.from_grant))
        ngo_page.get_by_label(f"{line.name} – w tym z dotacji").fill(_money(spent))
    ngo_page.locator("#id_declarations_confirmed").check()
    ngo_page.get_by_role("button", name="Złóż sprawozdanie").click()
    expect(ngo_page.get_by_text("Sprawozdanie zostało złożone.")).to_be_visible()
    ngo.close()

    # The office accepts the report: 500,00 zł is owed, so the agreement is not yet performed.
    page.goto(f"{live_server.url}/konkursy/urzad/sprawozdania/?pokaz=do-oceny")
    page.get_by_role("link", name=f"nr {agreement.number}").click()
    page.get_by_label("przyjmij sprawozdanie").check()
    page.get_by_role("button", name="Zapisz ocenę").click()
    expect(page.get_by_text("Sprawozdanie przyjęte.")).to_be_visible()
    expect(page.get_by_test_id("outstanding")).to_have_text("500,00\xa0zł")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    # One grosz more than is owed is refused; exactly what is owed closes the settlement.
    page.locator("#id_refund-kind").select_option("unused")
    page.locator("#id_refund-amount").fill("500,01")
    page.locator("#id_refund-paid_on").fill(today.isoformat())
    page.get_by_role("button", name="Zaksięguj zwrot").click()
    expect(page.get_by_text("Do zwrotu pozostało 500,00\xa0zł")).to_be_visible()
    check_page(page, "p6-settlement-refund-refused")
    page.locator("#id_refund-amount").fill("500,00")
    page.get_by_role("button", name="Zaksięguj zwrot").click()
    expect(page.get_by_text("Zaksięgowano zwrot dotacji.")).to_be_visible()
    expect(page.get_by_text("wykonana (rozliczona)").first).to_be_visible()
    check_page(page, "p7-settlement-performed")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PERFORMED

    # The year-end report of the programme year counts the money as it moved.
    page.goto(f"{live_server.url}/sprawozdania/programy/{call.programme_id}/")

    def summary(label):
        return page.locator("tr", has=page.get_by_role("rowheader", name=label, exact=True))

    expect(summary("Dotacje przekazane").get_by_role("cell")).to_have_text("10\xa0000,00\xa0zł")
    expect(summary("w tym dotacje niewykorzystane").get_by_role("cell")).to_have_text("500,00\xa0zł")
    expect(summary("Zwroty zaksięgowane").get_by_role("cell")).to_have_text("500,00\xa0zł")
    expect(summary("w tym wykonane i rozliczone").get_by_role("cell")).to_have_text("1")
    expect(page.get_by_role("cell", name="9\xa0500,00\xa0zł").first).to_be_visible()  # settled
    check_page(page, "p8-annual-report")
    office.close()
