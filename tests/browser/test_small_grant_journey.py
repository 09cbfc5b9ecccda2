"""Issue journey: an NGO files a small grant (art. 19a); staff publish it; anyone comments; after the 7 days
staff consider the comment and award; the agreement is drafted."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from grants.models import Agreement, Award, Offer, OwnInitiativeAssessment, PublicComment, SmallGrantPublication
from grants.services import offers as offer_services
from grants.services import small_grants as services
from programmes.models import Programme
from tests.accounts.factories import AuthorityStaffFactory
from tests.browser.conftest import log_in
from tests.helpers import pdf_text
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.programmes.factories import ProgrammeFactory, add_budget


def _context(browser, context_args):
    """A fresh browser context (another person) with the suite's settings from ``browser_context_args``."""
    context = browser.new_context(**context_args)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def test_small_grant_journey(browser, browser_context_args, live_server, check_page, mailoutbox):
    cache.clear()  # the per-address comment limit lives in the cache; start from none
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl", can_decide=True).user
    authority = staff.staff_roles.get().authority
    authority.bip_url = "https://bip.konstancin-jeziorna.pl/"
    authority.save()
    programme = ProgrammeFactory(
        authority=authority, status=Programme.Status.IN_FORCE, year_from=2027, title="Program współpracy na rok 2027"
    )
    add_budget(programme, [("Kultura", "100000.00")])  # the 20 % cap: 20 000 zł
    organisation = OrganisationFactory(name="Stowarzyszenie Sąsiedzi z Przylesia")
    ngo_user = MembershipFactory(organisation=organisation, user__email="ngo@example.pl").user

    # 1. The NGO files a simplified offer.
    ngo, page = _context(browser, browser_context_args)
    log_in(page, live_server, ngo_user.email)
    page.goto(f"{live_server.url}/konkursy/male-granty/nowa/")
    check_page(page, "small_grant_01_start")
    page.get_by_role("button", name="Rozpocznij wypełnianie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uproszczona oferta realizacji zadania publicznego")
    page.get_by_label("Tytuł zadania publicznego").fill("Sąsiedzki piknik na Przylesiu")
    page.get_by_label("Data rozpoczęcia").fill("2027-05-01")
    page.get_by_label("Data zakończenia").fill("2027-07-29")  # the 90th day
    page.get_by_label("Syntetyczny opis zadania (zakres rzeczowy)").fill(
        "Piknik dla mieszkańców osiedla Przylesie na boisku przy ul. Leśnej: gry, warsztaty, koncert."
    )
    page.get_by_label("Opis zakładanych rezultatów").fill("200 uczestników; powstaje grupa sąsiedzka.")
    page.locator("#id_costs-0-name").fill("Namiot i nagłośnienie")
    page.locator("#id_costs-0-unit").fill("usługa")
    page.locator("#id_costs-0-unit_cost").fill("6 500,00")
    page.locator("#id_costs-0-quantity").fill("1")
    page.locator("#id_costs-0-from_grant").fill("6 000,00")
    page.get_by_label("Wkład własny finansowy").fill("500,00")
    page.get_by_label("Zaległości podatkowe").select_option("none")
    page.get_by_label("Zaległości wobec ZUS").select_option("none")
    page.get_by_label("Składam oświadczenia").check()
    check_page(page, "small_grant_02_form")
    page.get_by_role("button", name="Zapisz i przejdź do złożenia").click()
    expect(page.get_by_role("status").filter(has_text="Formularz jest kompletny")).to_be_visible()
    check_page(page, "small_grant_03_submit")
    page.get_by_role("button", name="Złóż ofertę").click()
    expect(page.get_by_role("heading", name="Oferta złożona")).to_be_visible()
    check_page(page, "small_grant_04_receipt")
    offer = Offer.objects.get(kind=Offer.Kind.SMALL_GRANT)
    assert offer.current_version.grant_amount == 6000
    # The worker (run at once in tests) stored the PDF made from the frozen data; the receipt page offers it.
    expect(page.get_by_role("link", name="Pobierz złożoną ofertę (PDF)")).to_be_visible()
    assert "UPROSZCZONA OFERTA" in pdf_text(offer.current_version.offer_pdf.read())

    page.goto(f"{live_server.url}/konkursy/male-granty/moje/")
    check_page(page, "small_grant_04b_my_offers")

    # An own-initiative offer (art. 12) filed five weeks ago is overdue for an answer.
    own = services.direct_offer_start(
        kind=Offer.Kind.OWN_INITIATIVE, authority=authority, organisation=organisation, actor=ngo_user
    )
    offer_services.offer_save(
        offer=own,
        actor=ngo_user,
        expected_revision=own.revision,
        data={"title": "Klub seniora w bibliotece", "synopsis": "Cotygodniowe spotkania seniorów."},
        activities=[],
        results=[],
        cost_items=[
            {"category": "I", "order": 1, "name": "Prowadzący", "unit": "godz.", "unit_cost": 100, "quantity": 50}
        ],
        partners=[],
    )
    own.refresh_from_db()
    offer_services.offer_submit(offer=own, actor=ngo_user, revision=own.revision)
    own.versions.update(submitted_at=timezone.now() - timedelta(days=35))

    # 2. Staff see both waiting (the art. 12 one overdue on the home page), answer one and publish the other.
    office, desk = _context(browser, browser_context_args)
    log_in(desk, live_server, staff.email)
    desk.goto(f"{live_server.url}/konto/urzad/")
    # The work queue marks the art. 12 offer's one-month deadline as passed.
    own_initiative = desk.locator('section[aria-labelledby="kolejka-own_initiative"]')
    expect(own_initiative.get_by_text("po terminie", exact=True)).to_be_visible()
    check_page(desk, "small_grant_04c_staff_home_overdue")
    desk.get_by_role("link", name="Klub seniora w bibliotece").click()
    desk.get_by_label("realizacja zadania jest celowa", exact=True).check()
    desk.get_by_label("Tryb zlecenia zadania").select_option("open_call")
    desk.get_by_label("Planowany termin ogłoszenia konkursu").fill("2027-02-01")
    desk.get_by_label("Uzasadnienie").fill("Zgodne z priorytetami programu; środki w budżecie na 2027 r.")
    check_page(desk, "small_grant_04d_own_initiative_case")
    desk.get_by_role("button", name="Zapisz ocenę – sprawdź, co się stanie").click()
    expect(desk.get_by_text("planowany termin ogłoszenia otwartego konkursu ofert: 01.02.2027")).to_be_visible()
    assert not OwnInitiativeAssessment.objects.exists()  # nothing recorded before the confirmation
    check_page(desk, "small_grant_04e_assessment_confirmation")
    desk.get_by_role("button", name="Potwierdzam: zapisz ocenę i poinformuj oferenta").click()
    expect(desk.get_by_text("Zapisano ocenę celowości")).to_be_visible()
    assert any("01.02.2027" in m.body for m in mailoutbox)
    desk.goto(f"{live_server.url}/konkursy/urzad/male-granty/?rok=2027")
    expect(desk.get_by_text("Sąsiedzki piknik na Przylesiu").first).to_be_visible()
    check_page(desk, "small_grant_05_staff_list")
    desk.get_by_role("link", name="Sąsiedzki piknik na Przylesiu").first.click()
    check_page(desk, "small_grant_06_case_received")
    desk.get_by_role("button", name="Opublikuj ofertę na 7 dni – sprawdź, co się stanie").click()
    expect(desk.get_by_text("każdy może zgłaszać do niej uwagi do")).to_be_visible()
    check_page(desk, "small_grant_06a_publish_confirmation")
    desk.get_by_role("button", name="Potwierdzam: opublikuj ofertę na 7 dni").click()
    expect(desk.get_by_text("Oferta została opublikowana")).to_be_visible()

    # 3. Anyone comments, without an account.
    visitor, public = _context(browser, browser_context_args)
    public.goto(f"{live_server.url}/konkursy/male-granty/")
    check_page(public, "small_grant_07_public_list")
    public.get_by_role("link", name="Sąsiedzki piknik na Przylesiu").click()
    expect(public.get_by_text("https://bip.konstancin-jeziorna.pl/").first).to_be_visible()
    check_page(public, "small_grant_08_public_detail")
    public.get_by_label("Imię i nazwisko lub nazwa").fill("Jan Mieszkaniec")
    public.get_by_label("Adres e-mail").fill("jan@example.pl")
    public.get_by_label("Treść uwagi").fill("Proszę o toalety przenośne – w zeszłym roku ich zabrakło.")
    public.get_by_role("button", name="Wyślij uwagę").click()
    expect(public.get_by_text("Uwaga została przyjęta")).to_be_visible()
    assert PublicComment.objects.get().name == "Jan Mieszkaniec"

    # 4. The 7 days pass (the clock is moved by editing the publication in the test database).
    SmallGrantPublication.objects.filter(offer=offer).update(
        published_at=timezone.now() - timedelta(days=9), comments_until=timezone.now() - timedelta(days=1)
    )
    public.reload()
    expect(public.get_by_text("Okres zgłaszania uwag zakończył się")).to_be_visible()

    # 5. Staff consider the comment and award; the four limits are checked again.
    desk.reload()
    desk.get_by_label("Sposób rozpatrzenia uwagi").fill("Uwzględniono: oferent zapewni dwie toalety z wkładu własnego.")
    desk.get_by_role("button", name="Zapisz rozpatrzenie").click()
    expect(desk.get_by_text("Zapisano sposób rozpatrzenia uwagi")).to_be_visible()
    check_page(desk, "small_grant_09_case_decision")
    desk.get_by_label("Przyznana kwota dotacji [zł]").fill("6 000,00")
    desk.get_by_role("button", name="Przyznaj dotację – sprawdź, co się stanie").click()
    # First what will happen and who is told; nothing is decided until confirmed.
    expect(desk.get_by_text("otrzyma małą dotację w kwocie 6\xa0000,00\xa0zł")).to_be_visible()
    assert not Award.objects.filter(offer=offer).exists()
    check_page(desk, "small_grant_10a_award_confirmation")
    desk.get_by_role("button", name="Potwierdzam: przyznaj dotację").click()
    expect(desk.get_by_text("Przyznano dotację")).to_be_visible()
    check_page(desk, "small_grant_10_case_awarded")
    award = Award.objects.get(offer=offer)
    assert award.status == Award.Status.GRANTED and award.call is None

    # 6. The agreement, through the same feature as calls.
    desk.get_by_role("link", name="Przygotuj umowę").click()
    check_page(desk, "small_grant_11_agreement_form")
    desk.get_by_label("Miejsce zawarcia").fill("Konstancin-Jeziorna")
    desk.get_by_label("Reprezentanci zleceniodawcy").fill("Jan Nowak – Burmistrz Konstancina-Jeziorny")
    desk.get_by_role("button", name="Przygotuj projekt umowy").click()
    expect(desk.get_by_text("Przygotowano projekt umowy")).to_be_visible()
    agreement = Agreement.objects.get(award=award)
    expect(desk.get_by_text(agreement.number).first).to_be_visible()
    check_page(desk, "small_grant_12_agreement")
    assert agreement.cost_lines.get().from_grant == 6000

    # 7. The decision is public, with how the comment was considered.
    public.reload()
    expect(public.get_by_text("przyznano dotację w kwocie")).to_be_visible()
    expect(public.get_by_text("oferent zapewni dwie toalety")).to_be_visible()
    check_page(public, "small_grant_13_public_decision")
    assert any(ngo_user.email in m.to for m in mailoutbox if "Przyznano" in m.subject)
    for context in (ngo, office, visitor):
        context.close()
