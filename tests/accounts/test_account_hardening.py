"""Findings of the security probe on accounts, each reproduced: lockout by case variants, sign-up squatting,
login CSRF through the confirmation link, the sign-up timing oracle and blank passwords."""

import re
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "first_name": "Natalia",
    "last_name": "Wiśniewska",
    "email": "natalia@example.pl",
    "password1": "Haslo-napastnika-1",
    "password2": "Haslo-napastnika-1",
    "privacy_accepted": "on",
}


def _link(mail) -> str:
    return re.search(r"https?://\S+", mail.body).group(0)


def _login(client, email, password, ip="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_case_variants_of_the_address_count_towards_one_lockout(client, settings):
    UserFactory(email="lock@example.pl")
    variants = ["lock@example.pl", "Lock@example.pl", "LOCK@example.pl", " lock@EXAMPLE.pl ", "lOcK@example.pl"]
    assert len(variants) == settings.AXES_FAILURE_LIMIT
    for variant in variants:
        _login(client, variant, "zle-haslo")
    for variant in ("Lock@example.pl", "lock@example.pl"):
        locked = _login(client, variant, PASSWORD)
        assert locked.status_code == 429, variant
        assert "_auth_user_id" not in client.session


def test_addresses_are_stored_lower_case_whoever_saves_them():
    assert User.objects.create_user(email=" Ktos@Example.PL ", password=PASSWORD).email == "ktos@example.pl"
    admin_typed = User(email="Inna.Osoba@Example.pl", first_name="A", last_name="B")
    admin_typed.set_unusable_password()
    admin_typed.full_clean()  # what the admin's forms do
    assert admin_typed.email == "inna.osoba@example.pl"
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="Wielkie@Example.pl")  # a write around the forms is refused by the database


def test_the_data_migration_lower_cases_existing_addresses():
    """Rows written before the constraint existed (the constraint now refuses them, so they are stood in for)."""
    from importlib import import_module

    rows = [SimpleNamespace(pk=1, email="Stary.Adres@Example.PL "), SimpleNamespace(pk=2, email="juz@dobry.pl")]
    updates = {}

    class Rows:
        def only(self, *fields):
            return self

        def iterator(self):
            return iter(rows)

        def filter(self, pk):
            return SimpleNamespace(update=lambda email: updates.__setitem__(pk, email))

    historical_apps = SimpleNamespace(get_model=lambda app, model: SimpleNamespace(objects=Rows()))
    import_module("accounts.migrations.0002_lower_case_user_emails").lower_case_emails(historical_apps, None)
    assert updates == {1: "stary.adres@example.pl"}


def test_a_second_sign_up_of_an_unconfirmed_address_replaces_the_squatters(client, mailoutbox, committed):
    with committed():
        client.post(reverse("accounts:sign-up"), SIGN_UP)  # the attacker, with a password they know
    squatters_link = _link(mailoutbox[0])
    owner = {
        **SIGN_UP,
        "first_name": "Prawdziwa",
        "password1": "Haslo-wlascicielki-2",
        "password2": "Haslo-wlascicielki-2",
    }
    with committed():
        response = client.post(reverse("accounts:sign-up"), owner)
    assert "Sprawdź skrzynkę e-mail" in response.text
    user = User.objects.get(email="natalia@example.pl")
    assert user.first_name == "Prawdziwa"
    assert user.check_password("Haslo-wlascicielki-2") and not user.check_password("Haslo-napastnika-1")
    assert len(mailoutbox) == 2 and "Aby je aktywować" in mailoutbox[1].body
    # The first link died with the squatter's password.
    assert client.get(squatters_link).status_code == 400
    client.get(_link(mailoutbox[1]))
    user.refresh_from_db()
    assert user.is_active
    assert _login(client, "natalia@example.pl", "Haslo-wlascicielki-2").status_code == 302


def test_a_confirmed_address_is_not_replaced():
    owner = UserFactory(email="natalia@example.pl", first_name="Natalia")
    from django.test import Client

    Client().post(reverse("accounts:sign-up"), SIGN_UP)
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_password_reset_reaches_an_unconfirmed_account_and_confirms_it(client, mailoutbox, committed):
    with committed():
        client.post(reverse("accounts:sign-up"), SIGN_UP)
    mailoutbox.clear()
    client.post(reverse("accounts:password-reset"), {"email": "Natalia@Example.pl"})
    assert len(mailoutbox) == 1 and "Ustawienie nowego hasła" in mailoutbox[0].subject
    form_page = client.get(_link(mailoutbox[0]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Haslo-wlascicielki-2", "new_password2": "Haslo-wlascicielki-2"},
    )
    user = User.objects.get(email="natalia@example.pl")
    assert user.is_active and user.email_confirmed_at is not None
    assert _login(client, "natalia@example.pl", "Haslo-wlascicielki-2").status_code == 302


def test_password_reset_still_ignores_a_deactivated_account(client, mailoutbox):
    UserFactory(email="zablokowany@example.pl", is_active=False)
    client.post(reverse("accounts:password-reset"), {"email": "zablokowany@example.pl"})
    assert mailoutbox == []


def test_the_confirmation_link_confirms_but_does_not_sign_in(client, mailoutbox, committed):
    with committed():
        client.post(reverse("accounts:sign-up"), SIGN_UP)
    response = client.get(_link(mailoutbox[0]), follow=True)
    assert "_auth_user_id" not in client.session
    assert User.objects.get(email="natalia@example.pl").is_active
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "Adres e-mail potwierdzony. Zaloguj się hasłem podanym przy rejestracji." in response.text
    assert 'value="natalia@example.pl"' in response.text


@pytest.mark.parametrize("existing", [None, "unconfirmed", "confirmed"])
def test_sign_up_does_the_same_work_whether_or_not_the_address_exists(
    client, mailoutbox, existing, django_capture_on_commit_callbacks
):
    if existing == "confirmed":
        UserFactory(email="natalia@example.pl")
    elif existing == "unconfirmed":
        UserFactory(email="natalia@example.pl", is_active=False, email_confirmed_at=None)
    original = MD5PasswordHasher.encode
    with (
        mock.patch.object(MD5PasswordHasher, "encode", autospec=True, side_effect=original) as encode,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        response = client.post(reverse("accounts:sign-up"), SIGN_UP)
    assert "Sprawdź skrzynkę e-mail" in response.text
    assert encode.call_count == 1  # one password hashed on every path
    assert mailoutbox == [] and len(callbacks) == 1  # and one e-mail, sent only after commit
    callbacks[0]()
    assert mailoutbox[0].to == ["natalia@example.pl"]


@pytest.mark.parametrize("password", [" " * 10, " " * 12, "\t" * 10, "\u00a0" * 10])
def test_blank_only_passwords_are_refused(client, password):
    response = client.post(reverse("accounts:sign-up"), {**SIGN_UP, "password1": password, "password2": password})
    assert "Hasło nie może składać się z samych spacji." in response.context["form"].errors["password1"]
    assert not User.objects.exists()


def test_an_address_squatted_before_a_commission_appointment_gets_a_set_password_link(
    client, mailoutbox, committed, staff_user
):
    from grants.services import scoring
    from tests.grants.commission_factories import make_commission, review_call

    with committed():
        client.post(reverse("accounts:sign-up"), SIGN_UP)  # someone signs the expert's address up first
    commission, _members = make_commission(review_call(offers=1), seats=[("authority", True)])
    with committed():
        scoring.member_appoint(
            commission=commission,
            actor=staff_user,
            email="natalia@example.pl",
            first_name="Natalia",
            last_name="Ekspertka",
            capacity="expert",
            site_url="https://portal.example.pl",
        )
    link = next(line for line in mailoutbox[-1].body.splitlines() if line.startswith("https://portal.example.pl/"))
    form_page = client.get(link.removeprefix("https://portal.example.pl"), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Haslo-ekspertki-3", "new_password2": "Haslo-ekspertki-3"},
    )
    assert _login(client, "natalia@example.pl", "Haslo-ekspertki-3").status_code == 302
