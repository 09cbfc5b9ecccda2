"""Issue 15 journey: the NGO asks a question on its offer, the office answers with an official request and a
deadline, the NGO sees it (notification in the navigation, the request, the read receipt) and answers; the
preferences and subscription pages. Every page: screenshot and axe."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from grants.correspondence.models import Message
from grants.models import OpenCall
from grants.services import offers as offer_services
from tests.accounts.factories import AuthorityStaffFactory
from tests.browser.conftest import log_in
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.organisations.factories import MembershipFactory, OrganisationFactory


def _context(browser):
    context = browser.new_context(bypass_csp=True, locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def test_question_official_request_and_answer(browser, live_server, check_page):
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl", user__first_name="Urszula").user
    authority = staff.staff_roles.get().authority
    call = OpenCallFactory(programme__authority=authority, number="OK/2027/7")
    organisation = OrganisationFactory(name="Stowarzyszenie Przyjaciół Ziemi Kozielskiej „Odra”")
    ngo_user = MembershipFactory(organisation=organisation, user__email="ngo@example.pl", user__first_name="Anna").user
    offer = complete_offer(call, organisation, ngo_user)
    offer_services.offer_submit(offer=offer, actor=ngo_user, revision=offer.revision)
    OpenCall.objects.filter(pk=call.pk).update(status=OpenCall.Status.FORMAL_REVIEW)

    ngo, page = _context(browser)
    log_in(page, live_server, ngo_user.email)
    page.goto(f"{live_server.url}/konkursy/oferty/{offer.pk}/")
    page.get_by_role("link", name="Korespondencja z urzędem").click()
    expect(
        page.get_by_role("heading", name="Korespondencja w sprawie: oferta „Sportowe wakacje 2027” (konkurs OK/2027/7)")
    ).to_be_visible()
    page.get_by_label("Treść wiadomości").fill("Czy koszt wynajmu autokaru możemy ująć w kosztach transportu?")
    check_page(page, "150-ngo-thread-empty")
    page.get_by_role("button", name="Wyślij").click()
    expect(page.get_by_text("Wysłano wiadomość.")).to_be_visible()

    office, staff_page = _context(browser)
    log_in(staff_page, live_server, staff.email)
    expect(staff_page.get_by_role("link", name="Powiadomienia 1 nieprzeczytanych")).to_be_visible()
    staff_page.get_by_role("link", name="Powiadomienia 1 nieprzeczytanych").click()
    check_page(staff_page, "151-staff-notifications")
    staff_page.get_by_role("link", name="Nowa wiadomość od organizacji").click()
    expect(staff_page.get_by_text("Czy koszt wynajmu autokaru")).to_be_visible()
    deadline = timezone.localdate() + timedelta(days=7)
    staff_page.get_by_label("Treść wiadomości").fill("Tak. Prosimy o kalkulację kosztu autokaru na każdy wyjazd.")
    staff_page.get_by_label("To jest wezwanie urzędu").check()
    staff_page.get_by_label("Termin odpowiedzi").fill(deadline.isoformat())
    check_page(staff_page, "152-staff-thread-request")
    staff_page.get_by_role("button", name="Wyślij").click()
    expect(staff_page.get_by_text("Wysłano wezwanie.")).to_be_visible()
    request = Message.objects.get(official_request=True)
    assert request.response_deadline == deadline

    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Moje sprawy").click()
    page.get_by_role("link", name="Wiadomości z urzędem").click()
    expect(page.get_by_role("heading", name="Wezwania urzędu czekające na odpowiedź")).to_be_visible()
    check_page(page, "153-ngo-inbox")
    page.get_by_role("link", name="oferta „Sportowe wakacje 2027”").first.click()
    expect(page.get_by_text(f"Termin odpowiedzi: {deadline:%d.%m.%Y}")).to_be_visible()
    expect(page.get_by_text("Odczytano: Urszula")).to_be_visible()  # the office read the question
    check_page(page, "154-ngo-thread-request")
    page.get_by_label("Treść wiadomości").fill("Kalkulacja: 4 wyjazdy po 1 200,00 zł.")
    page.get_by_role("button", name="Wyślij").click()
    expect(page.get_by_text("odpowiedziano")).to_be_visible()

    page.goto(f"{live_server.url}/konto/organizacja/")
    expect(page.get_by_role("heading", name="Powiadomienia i wiadomości")).to_be_visible()
    check_page(page, "157-ngo-home-inbox")
    page.get_by_role("button", name="Konto:").click()
    page.get_by_role("link", name="Ustawienia powiadomień").click()
    page.get_by_label("raz dziennie").check()
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_text("Zapisano ustawienia powiadomień.")).to_be_visible()
    check_page(page, "155-notification-preferences")
    page.goto(f"{live_server.url}/powiadomienia/subskrypcja/")
    check_page(page, "156-subscription")
    ngo.close()
    office.close()
