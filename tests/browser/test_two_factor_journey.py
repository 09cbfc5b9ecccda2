"""An official switches on two-factor sign-in, signs in with a code, and confirms a sensitive act."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, AuthorityStaffFactory
from tests.browser.conftest import log_in


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_an_official_sets_up_two_factor_and_signs_in_with_a_code(page, live_server, check_page, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_OFFICIALS = True
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl").user
    log_in(page, live_server, staff.email)
    expect(page.get_by_role("heading", name="Logowanie dwuetapowe")).to_be_visible()
    expect(page.get_by_role("img", name="Kod QR do zeskanowania aplikacją uwierzytelniającą")).to_be_visible()
    check_page(page, "40-two-factor-setup")
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    page.get_by_label("Kod z aplikacji (sześć cyfr)").fill(_code(device))
    page.get_by_role("button", name="Włącz logowanie dwuetapowe").click()
    expect(page.get_by_role("heading", name="Kody zapasowe")).to_be_visible()
    check_page(page, "41-backup-codes")

    settings.REAUTHENTICATION_MAX_AGE = 0  # as if the password was typed long ago
    page.get_by_role("button", name="Wygeneruj nowe kody").click()
    expect(page.get_by_role("heading", name="Potwierdź swoją tożsamość")).to_be_visible()
    check_page(page, "43-reauthentication")
    page.get_by_label("Hasło").fill(PASSWORD)
    settings.REAUTHENTICATION_MAX_AGE = 600
    page.get_by_role("button", name="Potwierdź i wykonaj").click()
    expect(page.get_by_text("Wygenerowano nowe kody zapasowe")).to_be_visible()

    page.get_by_role("button", name="Konto:").click()
    page.get_by_role("button", name="Wyloguj").click()
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the set-up code may not be replayed; a new one comes
    log_in(page, live_server, staff.email)
    expect(page.get_by_role("heading", name="Kod logowania")).to_be_visible()
    check_page(page, "42-login-code")
    device.refresh_from_db()
    page.get_by_label("Kod z aplikacji albo kod zapasowy").fill(_code(device))
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("heading", name="Kody zapasowe")).not_to_be_visible()
    assert "/konto/urzad/" in page.url
