import re

import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "first_name": "Natalia",
    "last_name": "Wiśniewska",
    "email": "Natalia@Example.pl",
    "password1": "Odra-nad-Kozlem-1",
    "password2": "Odra-nad-Kozlem-1",
    "privacy_accepted": "on",
}


def _link(mail) -> str:
    return re.search(r"https?://\S+", mail.body).group(0)


def test_sign_up_creates_an_inactive_account_and_mails_a_confirmation_link(client, mailoutbox, committed):
    with committed():
        response = client.post(reverse("accounts:sign-up"), SIGN_UP)
    assert response.status_code == 200
    assert "Sprawdź skrzynkę e-mail" in response.text
    user = User.objects.get(email="natalia@example.pl")
    assert not user.is_active and user.email_confirmed_at is None
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["natalia@example.pl"]
    assert mailoutbox[0].subject == "Potwierdź adres e-mail w portalu współpracy z organizacjami"


def test_the_confirmation_link_activates_once_only(client, mailoutbox, committed):
    with committed():
        client.post(reverse("accounts:sign-up"), SIGN_UP)
    link = _link(mailoutbox[0])
    client.get(link, follow=True)
    user = User.objects.get(email="natalia@example.pl")
    assert user.is_active and user.email_confirmed_at is not None
    again = client.get(link)
    assert again.status_code == 400 and "Ten link jest nieważny" in again.text


def test_an_unconfirmed_account_cannot_log_in(client, mailoutbox):
    client.post(reverse("accounts:sign-up"), SIGN_UP)
    response = client.post(
        reverse("accounts:login"), {"username": "natalia@example.pl", "password": "Odra-nad-Kozlem-1"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signing_up_with_a_taken_address_reveals_nothing_and_warns_the_owner(client, mailoutbox, committed):
    owner = UserFactory(email="natalia@example.pl")
    with committed():
        response = client.post(reverse("accounts:sign-up"), SIGN_UP)
    assert "Sprawdź skrzynkę e-mail" in response.text
    assert User.objects.filter(email__iexact="natalia@example.pl").count() == 1
    assert mailoutbox[0].to == [owner.email]
    assert "Konto z tym adresem już istnieje" in mailoutbox[0].body


def test_bad_sign_up_input_gets_polish_messages_on_the_fields_and_keeps_the_rest(client):
    data = {**SIGN_UP, "password2": "inne-haslo-123", "email": "nie-adres"}
    response = client.post(reverse("accounts:sign-up"), data)
    form = response.context["form"]
    assert form.errors["password2"] == ["Hasła nie są takie same."]
    assert form.errors["email"] == ["Wprowadź poprawny adres email."]
    assert 'value="Wiśniewska"' in response.text
    assert User.objects.count() == 0


def test_weak_passwords_are_refused_in_polish(client):
    response = client.post(reverse("accounts:sign-up"), {**SIGN_UP, "password1": "12345678", "password2": "12345678"})
    messages = response.context["form"].errors["password1"]
    assert "To hasło jest za krótkie. Musi zawierać co najmniej 10 znaków." in messages
    assert any("wyłącznie z cyfr" in message for message in messages)


def test_login_with_email_in_any_case(client):
    UserFactory(email="jan@example.pl")
    response = client.post(reverse("accounts:login"), {"username": "JAN@example.pl", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_password_reset_mails_a_working_link(client, mailoutbox):
    user = UserFactory(email="jan@example.pl")
    client.post(reverse("accounts:password-reset"), {"email": "jan@example.pl"})
    assert len(mailoutbox) == 1
    assert "Ustawienie nowego hasła" in mailoutbox[0].subject
    form_page = client.get(_link(mailoutbox[0]), follow=True)
    assert "Ustaw nowe hasło" in form_page.text
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Nowe-haslo-2027", "new_password2": "Nowe-haslo-2027"}
    )
    user.refresh_from_db()
    assert user.check_password("Nowe-haslo-2027")


def _fail_login(client, email, ip):
    return client.post(reverse("accounts:login"), {"username": email, "password": "zle-haslo"}, REMOTE_ADDR=ip)


def test_lockout_is_per_person_and_address_so_one_ngos_typos_never_lock_out_another(client, settings):
    UserFactory(email="pechowiec@example.pl")
    UserFactory(email="sasiad@example.pl")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail_login(client, "pechowiec@example.pl", "10.0.0.1")
    locked = client.post(
        reverse("accounts:login"), {"username": "pechowiec@example.pl", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429
    assert "Logowanie tymczasowo zablokowane" in locked.text
    # Another person behind the same address (one office, one NAT) still logs in.
    neighbour = client.post(
        reverse("accounts:login"), {"username": "sasiad@example.pl", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert neighbour.status_code == 302
    client.logout()
    # The same person from another address is not locked either.
    elsewhere = client.post(
        reverse("accounts:login"), {"username": "pechowiec@example.pl", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert elsewhere.status_code == 302


def test_lockout_cools_off(client, settings, time_machine):
    UserFactory(email="pechowiec@example.pl")
    time_machine.move_to("2026-11-23 10:00:00+01:00")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail_login(client, "pechowiec@example.pl", "10.0.0.1")
    time_machine.move_to("2026-11-23 10:16:00+01:00")
    response = client.post(
        reverse("accounts:login"), {"username": "pechowiec@example.pl", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302
