"""Issue journey: staff publish a call; an NGO fills in, fixes and submits an offer; defect notice; correction."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from grants.models import Offer, OfferVersion, OpenCall
from tests.accounts.factories import AuthorityStaffFactory
from tests.browser.conftest import log_in
from tests.helpers import pdf_text
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.programmes.factories import ProgrammeFactory, add_budget


def _context(browser):
    context = browser.new_context(bypass_csp=True, locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def _row(page, prefix, index, **values):
    for field, value in values.items():
        locator = page.locator(f"#id_{prefix}-{index}-{field}")
        if locator.evaluate("el => el.tagName") == "SELECT":
            locator.select_option(value)
        else:
            locator.fill(value)


def test_call_offer_review_journey(browser, live_server, check_page, mailoutbox):
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl").user
    programme = ProgrammeFactory(
        authority=staff.staff_roles.get().authority,
        status="in_force",
        year_from=2027,
        title="Program współpracy na rok 2027",
    )
    add_budget(programme, [("Kultura fizyczna", "100000.00")])
    organisation = OrganisationFactory(name="Uczniowski Klub Sportowy „Orlik”", areas=["17"])
    ngo_user = MembershipFactory(organisation=organisation, user__email="ngo@example.pl").user

    office, page = _context(browser)
    log_in(page, live_server, staff.email)

    # 1. Staff announce the call.
    today = timezone.localdate()
    page.goto(f"{live_server.url}/konkursy/urzad/nowy/")
    page.get_by_label("Program").select_option(label=programme.title)
    page.get_by_label("Numer ogłoszenia").fill("OK/2027/1")
    page.get_by_label("Rodzaj zadania publicznego").fill("Upowszechnianie kultury fizycznej wśród dzieci")
    page.get_by_label("Opis zadania").fill("Zajęcia sportowe dla dzieci i młodzieży szkolnej.")
    page.get_by_label("Sfery z art. 4 ust. 1").select_option(label="17) wspierania i upowszechniania kultury fizycznej")
    page.get_by_label("Zasady przyznawania dotacji").fill("Dotacje przyznaje Prezydent po opinii komisji.")
    page.get_by_label("Terminy i warunki realizacji zadania").fill("Zadanie realizowane na terenie gminy.")
    page.get_by_label("Realizacja najwcześniej od").fill("2027-02-01")
    page.get_by_label("Realizacja najpóźniej do").fill("2027-12-15")
    page.get_by_label("Tryb i kryteria wyboru ofert").fill("Oferty ocenia komisja konkursowa.")
    page.get_by_label("Termin dokonania wyboru ofert").fill("2027-01-31")
    page.get_by_label("Minimalna kwota dotacji").fill("5000,00")
    page.get_by_label("Maksymalna kwota dotacji").fill("20 000,00")
    page.get_by_label("Minimalny wkład własny").fill("10")
    page.get_by_label("Limit kosztów administracyjnych").fill("10")
    for label in ("Publikacja w BIP", "Publikacja na tablicy ogłoszeń", "Publikacja na stronie internetowej"):
        page.get_by_label(label).fill(today.isoformat())
    page.get_by_label("Termin składania ofert").fill(f"{(today + timedelta(days=20)).isoformat()}T15:30")
    page.get_by_role("button", name="Zapisz ogłoszenie").click()
    expect(page.get_by_text("musi przypadać co najmniej 21 dni po ostatnim ogłoszeniu")).to_be_visible()
    check_page(page, "70-call-form-error")
    page.get_by_label("Termin składania ofert").fill(f"{(today + timedelta(days=22)).isoformat()}T15:30")
    page.get_by_role("button", name="Zapisz ogłoszenie").click()
    expect(page.get_by_text("Zapisano ogłoszenie konkursu OK/2027/1.")).to_be_visible()
    page.get_by_role("link", name="Środki z budżetu").click()
    page.locator("#id_budget_allocations-0-budget_line").select_option(label="1. Kultura fizyczna")
    page.locator("#id_budget_allocations-0-amount").fill("60 000,00")
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_role("link", name="Kryteria oceny").click()
    _row(page, "criteria", 0, order="1", name="Możliwość realizacji zadania", dimension="1", max_points="10")
    page.get_by_role("button", name="Dodaj wiersz").click()
    _row(page, "criteria", 1, order="2", name="Kalkulacja kosztów", dimension="2", max_points="10")
    page.get_by_role("button", name="Zapisz").click()
    check_page(page, "71-call-dashboard-draft")
    page.get_by_role("button", name="Ogłoś konkurs").click()
    check_page(page, "71a-announce-confirmation")
    page.get_by_role("button", name="Potwierdzam: ogłoś konkurs").click()
    expect(page.get_by_text("Konkurs ogłoszony.")).to_be_visible()
    call = OpenCall.objects.get(number="OK/2027/1")

    # 2. The public sees the announcement.
    ngo, ngo_page = _context(browser)
    ngo_page.goto(f"{live_server.url}/konkursy/{call.pk}/")
    expect(ngo_page.get_by_text("60\xa0000,00\xa0zł").first).to_be_visible()
    check_page(ngo_page, "72-call-public")

    # 3. The NGO fills in the offer.
    log_in(ngo_page, live_server, ngo_user.email)
    ngo_page.goto(f"{live_server.url}/konkursy/{call.pk}/")
    ngo_page.get_by_role("button", name="Rozpocznij ofertę").click()
    ngo_page.get_by_label("Tytuł zadania publicznego").fill("Sportowe wakacje z Orlikiem")
    ngo_page.get_by_label("Data rozpoczęcia").fill("2027-03-01")
    ngo_page.get_by_label("Data zakończenia").fill("2027-11-30")
    ngo_page.get_by_label("Syntetyczny opis zadania").fill("Zajęcia piłkarskie dla 60 dzieci z osiedla Przylesie.")
    # The draft saves itself in the background (every 20 s; here at once), so a closed tab loses nothing.
    ngo_page.locator("#oferta").dispatch_event("autosave:now")
    expect(ngo_page.get_by_text("Zapisano automatycznie o")).to_be_visible()
    assert Offer.objects.get(call=call).title == "Sportowe wakacje z Orlikiem"
    _row(
        ngo_page,
        "activities",
        0,
        number="1",
        name="Treningi piłkarskie",
        target_group="dzieci 7–12 lat",
        period="03–11.2027",
    )
    ngo_page.get_by_role("button", name="Dodaj wiersz").nth(1).click()
    _row(
        ngo_page,
        "activities",
        1,
        number="2",
        name="Turniej na zakończenie",
        target_group="dzieci i rodzice",
        period="11.2027",
    )
    ngo_page.get_by_label("Opis zakładanych rezultatów").fill("60 dzieci regularnie ćwiczy.")
    _row(ngo_page, "results", 0, number="1", name="Uczestnicy zajęć", target="60 dzieci", monitoring="listy obecności")
    ngo_page.get_by_label("Wcześniejsza działalność oferenta").fill("Od 2015 r. prowadzimy zajęcia sportowe.")
    ngo_page.get_by_label("Zasoby kadrowe, rzeczowe i finansowe").fill("Dwóch trenerów z licencją UEFA C.")
    costs = [
        {
            "category": "I",
            "activity_number": "1",
            "order": "1",
            "name": "Wynagrodzenie trenera",
            "unit": "godz.",
            "unit_cost": "100,00",
            "quantity": "200",
        },
        {
            "category": "I",
            "activity_number": "2",
            "order": "1",
            "name": "Medale i puchary",
            "unit": "kpl.",
            "unit_cost": "250,00",
            "quantity": "2",
        },
        {
            "category": "II",
            "order": "1",
            "name": "Obsługa księgowa",
            "unit": "mies.",
            "unit_cost": "200,00",
            "quantity": "9",
        },
    ]
    add_cost = ngo_page.locator("[data-formset='cost_items'] [data-formset-add]")
    for index, row in enumerate(costs):
        if index:
            add_cost.click()
        _row(ngo_page, "cost_items", index, **row)
    # 20 000 + 500 + 1 800 = 22 300 zł of costs; the grant asked for is too high and the sources do not add up.
    expect(ngo_page.locator("[data-sum='total']")).to_have_text("22\xa0300,00\xa0zł")
    ngo_page.get_by_label("Wnioskowana kwota dotacji").fill("25 000,00")
    ngo_page.get_by_label("Wkład własny finansowy").fill("1 000,00")
    expect(ngo_page.locator("[data-sum='difference']")).to_have_text("-3\xa0700,00\xa0zł")
    ngo_page.get_by_label("nie zalega(-ją)").first.check()
    ngo_page.get_by_label("nie zalega(-ją)").nth(1).check()
    ngo_page.get_by_label("Oświadczam(-my)").check()
    check_page(ngo_page, "73-offer-form")
    ngo_page.get_by_role("button", name="Zapisz i przejdź do złożenia").click()
    expect(ngo_page.get_by_text("Oferta wymaga poprawek przed złożeniem")).to_be_visible()
    expect(ngo_page.get_by_text("musi być równa sumie kosztów")).to_be_visible()
    expect(ngo_page.get_by_text("Wnioskowana dotacja musi mieścić się w granicach z ogłoszenia")).to_be_visible()
    check_page(ngo_page, "74-offer-problems")

    ngo_page.get_by_role("link", name="Wróć do formularza").click()
    ngo_page.get_by_label("Wnioskowana kwota dotacji").fill("20 000,00")
    ngo_page.get_by_label("Wkład własny finansowy").fill("1 500,00")
    ngo_page.get_by_label("Wkład własny osobowy").fill("800,00")
    expect(ngo_page.locator("[data-sum='difference']")).to_have_text("0,00\xa0zł")
    ngo_page.get_by_role("button", name="Zapisz i przejdź do złożenia").click()
    expect(ngo_page.get_by_text("Formularz jest kompletny, a sumy się zgadzają.")).to_be_visible()
    check_page(ngo_page, "75-offer-submit")
    submit = ngo_page.get_by_role("button", name="Złóż ofertę")
    submit.dblclick()  # a double click still makes one submission
    expect(ngo_page.get_by_role("heading", name="Oferta złożona")).to_be_visible()
    check_page(ngo_page, "76-receipt")
    offer = Offer.objects.get(call=call)
    assert OfferVersion.objects.filter(offer=offer).count() == 1
    version = offer.versions.get()
    receipt = ngo_page.request.get(f"{live_server.url}/konkursy/oferty/{offer.pk}/wersje/1/potwierdzenie.pdf")
    receipt_text = pdf_text(receipt.body())
    assert version.receipt_number in receipt_text and "20 000,00 zł" in receipt_text
    assert any(version.receipt_number in mail.subject for mail in mailoutbox)

    # 4. The deadline passes; staff review the offer and send a defect notice.
    OpenCall.objects.filter(pk=call.pk).update(submission_deadline=timezone.now() - timedelta(seconds=1))
    page.goto(f"{live_server.url}/konkursy/urzad/{call.pk}/")
    page.get_by_role("button", name="Zamknij nabór").click()
    page.get_by_role("button", name="Rozpocznij ocenę formalną").click()
    check_page(page, "77-call-dashboard")
    page.get_by_role("link", name=version.receipt_number).click()
    page.get_by_label("oferta złożona w terminie").check()
    page.get_by_label("wezwanie do uzupełnienia braków").check()
    page.get_by_label("Uzasadnienie / braki do uzupełnienia").fill("Uzupełnij opis grupy docelowej w części VI.")
    page.get_by_label("Termin uzupełnienia braków").fill(
        (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    )
    check_page(page, "78-formal-review")
    page.get_by_role("button", name="Zapisz wynik oceny").click()
    # What will happen and who is told, before anything is saved or sent.
    expect(page.get_by_text("otrzyma status „wezwanie do uzupełnienia braków”", exact=False)).to_be_visible()
    check_page(page, "78a-formal-review-confirmation")
    page.get_by_role("button", name="Potwierdzam: zapisz wynik oceny formalnej").click()
    expect(page.get_by_text("Zapisano wynik oceny formalnej.")).to_be_visible()

    # 5. The NGO sees the notice and corrects the offer.
    ngo_page.goto(f"{live_server.url}/konkursy/oferty/")
    expect(ngo_page.get_by_text("Uzupełnij opis grupy docelowej w części VI.")).to_be_visible()
    check_page(ngo_page, "79-my-offers-notice")
    ngo_page.get_by_role("link", name="Sportowe wakacje z Orlikiem").click()
    ngo_page.get_by_role("textbox", name="Inne informacje").fill(
        "Grupa docelowa: dzieci z rodzin korzystających z pomocy MOPS."
    )
    ngo_page.get_by_role("button", name="Zapisz i przejdź do złożenia").click()
    ngo_page.get_by_role("button", name="Złóż ofertę").click()
    expect(ngo_page.get_by_role("heading", name="Oferta złożona")).to_be_visible()

    # 6. Staff see what changed and pass the offer.
    page.goto(f"{live_server.url}/konkursy/urzad/oferty/{offer.pk}/")
    expect(page.get_by_text("Grupa docelowa: dzieci z rodzin korzystających z pomocy MOPS.").first).to_be_visible()
    expect(page.get_by_role("cell", name="VI.3 Inne informacje")).to_be_visible()
    check_page(page, "80-review-diff")
    page.get_by_label("oferta poprawna formalnie").check()
    page.get_by_role("button", name="Zapisz wynik oceny").click()
    # A pass needs every checklist item confirmed (or a reason for each that is not).
    expect(page.get_by_text("Potwierdź ten warunek albo podaj", exact=False).first).to_be_visible()
    for checkbox in page.locator("input[type=checkbox][name^=check_]").all():
        checkbox.check()
    page.get_by_role("button", name="Zapisz wynik oceny").click()
    page.get_by_role("button", name="Potwierdzam: zapisz wynik oceny formalnej").click()
    expect(page.get_by_text("Zapisano wynik oceny formalnej.")).to_be_visible()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.FORMALLY_ACCEPTED and offer.versions.count() == 2
    for context in (office, ngo):
        context.close()
