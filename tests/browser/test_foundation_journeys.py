"""User journeys of the portal foundation, in a real browser, with axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import AuthorityStaffFactory, UserFactory
from tests.browser.conftest import log_in
from tests.organisations.factories import OrganisationFactory


def test_ngo_person_signs_up_confirms_registers_an_organisation_and_finds_it(page, live_server, mailoutbox, check_page):
    OrganisationFactory(name="Fundacja Sąsiednia", areas=["16"])
    page.goto(live_server.url)
    check_page(page, "01-home")
    page.get_by_role("link", name="Załóż konto").first.click()
    check_page(page, "02-sign-up")
    page.get_by_label("Imię").fill("Natalia")
    page.get_by_label("Nazwisko").fill("Wiśniewska")
    page.get_by_label("Adres e-mail").fill("natalia@odra.example.pl")
    page.locator("#id_password1").fill("Odra-nad-Kozlem-1")
    page.get_by_label("Powtórz hasło").fill("Odra-nad-Kozlem-1")
    page.get_by_label("Zapoznałem(-am) się").check()
    page.get_by_role("button", name="Załóż konto").click()
    expect(page.get_by_role("heading", name="Sprawdź skrzynkę e-mail")).to_be_visible()
    check_page(page, "03-sign-up-done")

    link = re.search(r"https?://\S+", mailoutbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_text("Adres e-mail potwierdzony")).to_be_visible()
    # The link confirms but does not sign in: the password is asked for (no login CSRF).
    expect(page.get_by_label("Adres e-mail")).to_have_value("natalia@odra.example.pl")
    page.get_by_label("Hasło").fill("Odra-nad-Kozlem-1")
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("heading", name="Moje organizacje")).to_be_visible()
    check_page(page, "04-ngo-home")

    page.get_by_role("link", name="Zarejestruj organizację").click()
    page.get_by_label("Nazwa").fill("Stowarzyszenie Miłośników Łodzi")
    page.get_by_label("Forma prawna").select_option("association")
    page.get_by_label("Numer KRS").fill("0000271822")
    page.get_by_label("NIP").fill("774-00-01-455")  # one digit off
    page.get_by_label("REGON").fill("610188201")
    page.get_by_label("Ulica i numer").fill("ul. Piotrkowska 104")
    page.get_by_label("Kod pocztowy").fill("90-926")
    page.get_by_label("Miejscowość").fill("Łódź")
    page.get_by_label("Gmina siedziby").fill("Łódź")
    page.get_by_label("Powiat siedziby").fill("Łódź")
    page.get_by_label("Województwo siedziby").select_option("łódzkie")
    page.get_by_label("E-mail organizacji").fill("biuro@milosnicy-lodzi.example.pl")
    page.get_by_label("Numer rachunku bankowego").fill("61 1090 1014 0000 0712 1981 2874")
    page.get_by_label("16) kultury, sztuki").check()
    page.get_by_label("4) podtrzymywania i upowszechniania tradycji").check()
    page.get_by_label("Działalność statutowa").fill("Ochrona dziedzictwa Łodzi, spacery i wykłady historyczne.")
    page.get_by_role("button", name="Zarejestruj organizację").click()

    expect(page.get_by_text("Ten NIP ma błędną cyfrę kontrolną")).to_be_visible()
    expect(page.get_by_label("Nazwa")).to_have_value("Stowarzyszenie Miłośników Łodzi")
    expect(page.get_by_label("16) kultury, sztuki")).to_be_checked()
    check_page(page, "05-register-with-error")

    page.get_by_label("NIP").fill("774-00-01-454")
    page.get_by_role("button", name="Zarejestruj organizację").click()
    expect(page.get_by_role("heading", name="Stowarzyszenie Miłośników Łodzi")).to_be_visible()
    expect(page.get_by_text("Jesteś jej administratorem")).to_be_visible()
    check_page(page, "06-organisation-detail")

    page.get_by_role("link", name="Członkowie konta").click()
    check_page(page, "07-members")
    page.get_by_label("Adres e-mail osoby zapraszanej").fill("nowy.czlonek@example.pl")
    page.get_by_role("button", name="Wyślij zaproszenie").click()
    expect(page.get_by_text("Wysłano zaproszenie na adres nowy.czlonek@example.pl.")).to_be_visible()
    page.get_by_role("button", name="Wycofaj zaproszenie: nowy.czlonek@example.pl").click()
    expect(page.get_by_text("Wycofano zaproszenie dla nowy.czlonek@example.pl.")).to_be_visible()
    # The only admin cannot leave the account.
    page.get_by_role("button", name="Usuń z konta").click()
    expect(page.get_by_text("Organizacja musi mieć co najmniej jednego administratora")).to_be_visible()
    check_page(page, "07b-members-last-admin")

    page.get_by_role("link", name="Baza organizacji").first.click()
    page.get_by_label("Nazwa, KRS lub NIP").fill("lodz")
    page.get_by_role("button", name="Szukaj").click()
    expect(page.get_by_role("link", name="Stowarzyszenie Miłośników Łodzi")).to_be_visible()
    expect(page.get_by_role("link", name="Fundacja Sąsiednia")).to_have_count(0)
    expect(page.get_by_text("Znaleziono: 1 organizację.")).to_be_visible()
    check_page(page, "08-directory-search")


def test_staff_verify_an_organisation_from_their_home(page, live_server, check_page):
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl").user
    OrganisationFactory(name="Fundacja Do Sprawdzenia", city="Konstancin-Jeziorna")  # in the staff's area
    log_in(page, live_server, staff.email)
    expect(page.get_by_role("heading", name="Panel urzędu")).to_be_visible()
    check_page(page, "10-staff-home")
    page.get_by_role("link", name="Zobacz listę").click()
    check_page(page, "11-staff-organisations")
    page.get_by_role("link", name="Sprawdź z KRS – Fundacja Do Sprawdzenia").click()
    check_page(page, "11a-staff-verification")
    page.get_by_label("Dane zgodne z rejestrem – zweryfikuj").check()
    page.get_by_role("button", name="Zapisz decyzję").click()
    expect(page.get_by_text("Oznaczono organizację „Fundacja Do Sprawdzenia” jako zweryfikowaną.")).to_be_visible()
    # Verified organisations leave the "to verify" list; the full list shows them with the date.
    expect(page.get_by_role("link", name="Fundacja Do Sprawdzenia")).to_have_count(0)
    page.get_by_role("link", name="Wszystkie").click()
    page.get_by_role("link", name="Fundacja Do Sprawdzenia", exact=True).click()
    expect(page.get_by_text("dane zweryfikowane przez urząd")).to_be_visible()
    check_page(page, "12-staff-organisation-detail")


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/konto/logowanie/", "20-login"),
        ("/konto/haslo/reset/", "21-password-reset"),
        ("/deklaracja-dostepnosci/", "22-accessibility"),
        ("/klauzula-informacyjna/", "23-privacy"),
        ("/organizacje/?opp=1", "24-directory-filtered"),
        ("/nie-ma-takiej-strony/", "25-not-found"),
    ],
)
def test_public_pages_pass_axe(page, live_server, check_page, path, name):
    OrganisationFactory(name="Fundacja Pożytku", opp=True, areas=["1", "6"])
    page.goto(f"{live_server.url}{path}")
    check_page(page, name)


def test_signed_in_pages_pass_axe(page, live_server, check_page):
    user = UserFactory(email="jan@example.pl")
    log_in(page, live_server, user.email)
    page.goto(f"{live_server.url}/konto/haslo/zmiana/")
    check_page(page, "26-password-change")
    page.goto(f"{live_server.url}/konto/urzad/")
    expect(page.get_by_role("heading", name="Brak dostępu (błąd 403)")).to_be_visible()
    check_page(page, "27-forbidden")


def test_login_form_errors_pass_axe(page, live_server, check_page):
    page.goto(f"{live_server.url}/konto/logowanie/")
    page.get_by_label("Adres e-mail").fill("ktos@example.pl")
    page.get_by_label("Hasło").fill("zle")
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_text("Nieprawidłowy adres e-mail lub hasło.")).to_be_visible()
    check_page(page, "28-login-error")


def test_remaining_account_pages_pass_axe(page, live_server, check_page, mailoutbox, settings):
    """Password reset end to end, an invitation, a used confirmation link and the lockout page."""
    from organisations.services import invitation_send
    from tests.organisations.factories import MembershipFactory

    user = UserFactory(email="zapominalski@example.pl")
    page.goto(f"{live_server.url}/konto/haslo/reset/")
    page.get_by_label("Adres e-mail").fill(user.email)
    page.get_by_role("button", name="Wyślij link").click()
    expect(page.get_by_role("heading", name="Sprawdź skrzynkę e-mail")).to_be_visible()
    check_page(page, "29-password-reset-done")
    page.goto(re.search(r"https?://\S+", mailoutbox[-1].body).group(0))
    expect(page.get_by_role("heading", name="Ustaw nowe hasło")).to_be_visible()
    check_page(page, "29a-password-reset-confirm")
    page.locator("#id_new_password1").fill("Zupelnie-nowe-2027")
    page.locator("#id_new_password2").fill("Zupelnie-nowe-2027")
    page.get_by_role("button", name="Zapisz nowe hasło").click()
    expect(page.get_by_role("heading", name="Hasło ustawione")).to_be_visible()
    check_page(page, "29b-password-reset-complete")

    admin = MembershipFactory().user
    invitation = invitation_send(
        organisation=admin.memberships.get().organisation,
        email=user.email,
        role="editor",
        actor=admin,
        site_url=live_server.url,
    )
    log_in(page, live_server, user.email, "Zupelnie-nowe-2027")
    page.goto(f"{live_server.url}/organizacje/zaproszenie/{invitation.token}/")
    check_page(page, "29c-invitation")
    page.get_by_role("button", name="Przyjmij zaproszenie").click()
    expect(page.get_by_text("Dołączono do organizacji")).to_be_visible()

    page.goto(f"{live_server.url}/konto/potwierdz/MQ/nieprawidlowy-token/")
    check_page(page, "29d-confirmation-invalid")
    page.get_by_role("button", name="Konto:").click()  # the account menu holds the log-out button
    page.get_by_role("button", name="Wyloguj").click()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/konto/logowanie/")
        page.get_by_label("Adres e-mail").fill(user.email)
        page.get_by_label("Hasło").fill("zle-haslo")
        page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("heading", name="Logowanie tymczasowo zablokowane")).to_be_visible()
    check_page(page, "29e-locked-out")
