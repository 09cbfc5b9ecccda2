"""Issue journey, after the commission closed its scoring: the decider awards (one lower than requested) and
publishes the results; the NGO sees them and updates its offer to the awarded amount; staff accept the update and
prepare the agreement, whose PDF is generated and signed.

``decide_to_agreement`` is shared with the commission journey, which reaches the same point through the pages.
"""

from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

from grants.models import Agreement, Award, Offer, OfferUpdate, OfferVersion
from tests.accounts.factories import AuthorityStaffFactory
from tests.browser.conftest import log_in
from tests.grants.award_factories import call_ready_for_decision
from tests.helpers import pdf_text

PDF_DIR = Path(__file__).resolve().parents[2] / "var" / "pdf"


def _context(browser):
    context = browser.new_context(bypass_csp=True, locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def _cost_quantity(page, index: int, value: str) -> None:
    page.locator(f"#id_cost_items-{index}-quantity").fill(value)


def decide_to_agreement(
    browser, live_server, check_page, *, call, decider, ngo_user, lower_offer, full_offer=None, prefix="9"
):
    """From a call whose commission closed: decide (``lower_offer`` gets 6 000 zł of 10 000, ``full_offer`` its
    10 000, every other offer is refused), publish, update, accept, agreement PDF."""
    offers = list(Offer.objects.filter(call=call, status=Offer.Status.FORMALLY_ACCEPTED).order_by("pk"))
    office, page = _context(browser)
    log_in(page, live_server, decider.email)
    page.goto(f"{live_server.url}/konkursy/urzad/{call.pk}/rozstrzygniecie/")
    expect(page.get_by_role("heading", name=f"Rozstrzygnięcie konkursu {call.number}")).to_be_visible()
    for offer in offers:
        row = f"#id_o{offer.pk}-"
        if full_offer is not None and offer.pk == full_offer.pk:
            page.locator(row + "decision").select_option("grant")
            page.locator(row + "amount").fill("10 000,00")
        elif offer.pk == lower_offer.pk:
            page.locator(row + "decision").select_option("grant")
            page.locator(row + "amount").fill("60 000,00")  # more than requested: refused on the field
        else:
            page.locator(row + "decision").select_option("refuse")
            page.locator(row + "reasons").fill("Oferta uzyskała zbyt mało punktów.")
    page.get_by_role("button", name="Zapisz decyzje").click()
    expect(page.get_by_text("Kwota nie może przekraczać wnioskowanej")).to_be_visible()
    assert not Award.objects.filter(call=call, status=Award.Status.GRANTED).exists()
    check_page(page, f"{prefix}1-decision-error")
    page.locator(f"#id_o{lower_offer.pk}-amount").fill("6 000,00")
    page.get_by_role("button", name="Zapisz decyzje").click()
    expect(page.get_by_role("heading", name=f"Zapisz decyzje o dotacjach – konkurs {call.number}")).to_be_visible()
    check_page(page, f"{prefix}1a-decision-confirmation")
    page.get_by_role("button", name="Potwierdzam: zapisz decyzje").click()
    expect(page.get_by_text("Decyzje zapisane.")).to_be_visible()
    check_page(page, f"{prefix}2-decision")
    page.get_by_role("button", name="Zatwierdź rozstrzygnięcie i ogłoś wyniki").click()
    expect(page.get_by_role("heading", name=f"Opublikuj wyniki konkursu {call.number}")).to_be_visible()
    check_page(page, f"{prefix}2a-results-confirmation")
    page.get_by_role("button", name="Potwierdzam: opublikuj wyniki").click()
    expect(page.get_by_text("Wyniki konkursu opublikowane")).to_be_visible()

    # The public page lists offeror, task and amount (art. 15 ust. 2h); the NGO updates its offer.
    public, visitor = _context(browser)
    visitor.goto(f"{live_server.url}/konkursy/{call.pk}/")
    expect(visitor.get_by_role("heading", name="Wyniki konkursu")).to_be_visible()
    total = "16\xa0000,00\xa0zł" if full_offer is not None else "6\xa0000,00\xa0zł"
    expect(visitor.get_by_role("row", name="Razem przyznano")).to_contain_text(total)
    check_page(visitor, f"{prefix}3-results-public")
    public.close()

    ngo, ngo_page = _context(browser)
    log_in(ngo_page, live_server, ngo_user.email)
    ngo_page.goto(f"{live_server.url}/konkursy/oferty/")
    expect(ngo_page.get_by_text("Przyznano 6\xa0000,00\xa0zł")).to_be_visible()
    check_page(ngo_page, f"{prefix}4-my-offers-awarded")
    ngo_page.get_by_role("link", name="Zaktualizuj ofertę").click()
    expect(ngo_page.get_by_text("Aktualizacja oferty.")).to_be_visible()
    # Trainer 60 h × 100 = 6 000, balls 250, accounting 6 × 100 = 600: 6 850 = 6 000 + 500 + 350.
    _cost_quantity(ngo_page, 0, "60")
    _cost_quantity(ngo_page, 2, "6")
    ngo_page.get_by_label("Wnioskowana kwota dotacji").fill("6 000,00")
    ngo_page.get_by_label("Wkład własny finansowy").fill("500,00")
    ngo_page.get_by_label("Wkład własny osobowy").fill("350,00")
    expect(ngo_page.locator("[data-sum='difference']")).to_have_text("0,00\xa0zł")
    check_page(ngo_page, f"{prefix}5-offer-update-form")
    ngo_page.get_by_role("button", name="Zapisz i przejdź do złożenia").click()
    expect(ngo_page.get_by_role("heading", name="Złożenie aktualizacji oferty")).to_be_visible()
    check_page(ngo_page, f"{prefix}6-offer-update-submit")
    ngo_page.get_by_role("button", name="Złóż aktualizację").click()
    expect(ngo_page.get_by_role("heading", name="Oferta złożona")).to_be_visible()
    update = OfferUpdate.objects.get(award__offer=lower_offer)
    assert update.status == OfferUpdate.Status.SUBMITTED and update.version.kind == OfferVersion.Kind.UPDATE

    # Staff accept the update and prepare the agreement from it.
    page.goto(f"{live_server.url}/konkursy/urzad/{call.pk}/umowy/")
    check_page(page, f"{prefix}7-call-agreements")
    page.get_by_role("link", name="aktualizacja złożona – sprawdź").click()
    expect(page.get_by_text("Zmiany względem oferty ocenionej przez komisję")).to_be_visible()
    check_page(page, f"{prefix}8-update-review")
    page.get_by_role("button", name="Przyjmij aktualizację").click()
    page.get_by_role("row", name=lower_offer.organisation.name).get_by_role("link", name="Przygotuj umowę").click()
    page.get_by_label("Reprezentanci zleceniodawcy").fill("Jan Nowak – Prezydent Miasta")
    page.get_by_label("Liczba transz").fill("2")
    check_page(page, f"{prefix}9-agreement-form")
    page.get_by_role("button", name="Przygotuj projekt umowy").click()
    expect(page.get_by_text("Przygotowano projekt umowy")).to_be_visible()
    agreement = Agreement.objects.get(award__offer=lower_offer)
    assert agreement.version == update.version and agreement.grant_amount == Decimal("6000.00")
    assert sum(t.amount for t in agreement.tranches.all()) == Decimal("6000.00")
    pdf = page.request.get(f"{live_server.url}/konkursy/umowy/{agreement.pk}/umowa.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    (PDF_DIR / "agreement.pdf").write_bytes(pdf.body())
    text = pdf_text(pdf.body()).replace("\xa0", " ")
    for expected in (f"UMOWA NR {agreement.number}", "6 000,00 zł", "6 850,00 zł", "Jan Nowak", "aktualizacji"):
        assert expected in text, expected
    page.get_by_role("button", name="Zapisz zawarcie umowy").click()
    expect(page.get_by_text("Zapisano zawarcie umowy.")).to_be_visible()
    check_page(page, f"{prefix}10-agreement-signed")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED

    # The NGO reads its agreement.
    ngo_page.goto(f"{live_server.url}/konkursy/oferty/")
    ngo_page.get_by_role("link", name=f"Umowa nr {agreement.number}").click()
    expect(ngo_page.get_by_role("heading", name=f"Umowa nr {agreement.number}")).to_be_visible()
    check_page(ngo_page, f"{prefix}11-agreement-ngo")
    office.close()
    ngo.close()
    return agreement


def test_decision_results_update_and_agreement(browser, live_server, check_page, mailoutbox):
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl").user
    authority = staff.staff_roles.get().authority
    decider = AuthorityStaffFactory(authority=authority, can_decide=True, user__email="dyrektor@example.pl").user
    call, offers = call_ready_for_decision(authority, staff, offers=3, funds="20000.00")
    lower_offer, ngo_user = offers[1]
    decide_to_agreement(
        browser,
        live_server,
        check_page,
        call=call,
        decider=decider,
        ngo_user=ngo_user,
        lower_offer=lower_offer,
        full_offer=offers[0][0],
    )

    assert any("Wyniki otwartego konkursu ofert" in m.subject for m in mailoutbox)
