"""Two-factor sign-in for officials (required by a setting, optional for NGOs) and re-authentication before
sensitive acts."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from grants.models import Agreement
from organisations.models import Organisation
from tests.accounts.factories import PASSWORD
from tests.grants.agreement_factories import make_agreement
from tests.grants.commission_factories import make_commission, review_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_OFFICIALS = True
    return settings


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrol(user) -> TOTPDevice:
    device = two_factor.pending_app_device(user)
    assert two_factor.two_factor_confirm(user=user, device=device, token=_code(device))
    device.refresh_from_db()
    # The code just used cannot be used again (django-otp refuses replays): move the device's clock one step back.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device


def _password_step(client, user):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


@pytest.fixture
def commission_member(db):
    _commission, members = make_commission(review_call(offers=1))
    return members[0].user


@pytest.mark.parametrize("who", ["staff_user", "decider", "commission_member", "superuser"])
def test_officials_must_set_up_two_factor_sign_in_when_the_setting_requires_it(required, who, request, client):
    official = request.getfixturevalue(who)
    _password_step(client, official)
    response = client.get(reverse("accounts:home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two-factor"))
    assert "<svg" in response.text and "Włącz logowanie dwuetapowe" in response.text
    assert client.get(reverse("grants:agreement-list")).status_code == 302


def test_ngo_members_may_sign_in_with_the_password_alone(required, ngo_admin, client):
    _password_step(client, ngo_admin)
    assert client.get(reverse("accounts:ngo-home")).status_code == 200


def test_with_the_setting_off_officials_sign_in_with_the_password(settings, staff_user, client):
    settings.TWO_FACTOR_REQUIRED_FOR_OFFICIALS = False
    _password_step(client, staff_user)
    assert client.get(reverse("accounts:staff-home")).status_code == 200


def test_setting_up_shows_a_qr_code_and_confirms_with_the_first_code(required, staff_user, client, time_machine):
    _password_step(client, staff_user)
    page = client.get(reverse("accounts:two-factor"))
    assert "<svg" in page.text and "Kod QR do zeskanowania" in page.text
    device = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    wrong = client.post(reverse("accounts:two-factor"), {"code": "000000" if _code(device) != "000000" else "111111"})
    assert "Ten kod się nie zgadza" in wrong.text
    _later(time_machine, 1)  # a wrong code makes the device wait a moment before the next (django-otp throttling)
    done = client.post(reverse("accounts:two-factor"), {"code": _code(device)}, follow=True)
    assert "Kody zapasowe" in done.text
    codes = two_factor.backup_codes(staff_user)
    assert len(codes) == 10 and all(code in done.text for code in codes)
    assert client.get(reverse("accounts:staff-home")).status_code == 200


def test_sign_in_with_an_authenticator_asks_for_the_code_before_anyone_is_signed_in(
    required, staff_user, client, time_machine
):
    device = _enrol(staff_user)
    response = _password_step(client, staff_user)
    assert response.url == reverse("accounts:login-code")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:staff-home")).status_code == 302
    wrong = client.post(reverse("accounts:login-code"), {"code": "12345"})
    assert "Nieprawidłowy kod" in wrong.text and "_auth_user_id" not in client.session
    _later(time_machine, 1)
    client.post(reverse("accounts:login-code"), {"code": _code(device)})
    assert client.session["_auth_user_id"] == str(staff_user.pk)
    assert client.get(reverse("accounts:staff-home")).status_code == 200


def test_a_backup_code_signs_in_once(required, staff_user, client):
    _enrol(staff_user)
    code = two_factor.backup_codes(staff_user)[0]
    _password_step(client, staff_user)
    client.post(reverse("accounts:login-code"), {"code": code})
    assert client.get(reverse("accounts:staff-home")).status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()
    client.logout()
    _password_step(client, staff_user)
    client.post(reverse("accounts:login-code"), {"code": code})
    assert "_auth_user_id" not in client.session


def test_five_wrong_codes_send_the_person_back_to_the_password(required, staff_user, client):
    _enrol(staff_user)
    _password_step(client, staff_user)
    for _ in range(5):
        response = client.post(reverse("accounts:login-code"), {"code": "999999x"})
    assert response.url == reverse("accounts:login")
    assert client.get(reverse("accounts:login-code")).url == reverse("accounts:login")


def test_an_ngo_member_who_switched_it_on_is_asked_for_the_code_too(required, ngo_admin, client):
    device = _enrol(ngo_admin)
    assert _password_step(client, ngo_admin).url == reverse("accounts:login-code")
    client.post(reverse("accounts:login-code"), {"code": _code(device)})
    assert client.get(reverse("accounts:ngo-home")).status_code == 200


def test_the_admin_login_goes_through_the_portal_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


# --- re-authentication ------------------------------------------------------------------------------------------


@pytest.fixture
def short_reauth(settings):
    settings.REAUTHENTICATION_MAX_AGE = 600
    return settings


def _later(time_machine, minutes: int):
    time_machine.move_to(time.time() + minutes * 60, tick=False)


def test_signing_an_agreement_asks_for_the_password_after_ten_minutes(
    short_reauth, staff_user, organisation, client, time_machine
):
    agreement = make_agreement(
        organisation=organisation, status=Agreement.Status.DRAFT, authority=staff_user.staff_roles.get().authority
    )
    client.force_login(staff_user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("grants:agreement-action", args=[agreement.pk, "podpisanie"])
    _later(time_machine, 11)
    asked = client.post(url, {"signed_on": "2026-01-02"})
    assert asked.status_code == 200 and "Potwierdź swoją tożsamość" in asked.text
    assert 'name="signed_on" value="2026-01-02"' in asked.text  # what was typed is carried over
    agreement.refresh_from_db()
    assert agreement.signed_on is None
    wrong = client.post(url, {"signed_on": "2026-01-02", "reauth_password": "zle-haslo"})
    assert wrong.status_code == 403 and "Nieprawidłowe hasło." in wrong.text
    agreement.refresh_from_db()
    assert agreement.signed_on is None
    client.post(url, {"signed_on": "2026-01-02", "reauth_password": PASSWORD})
    agreement.refresh_from_db()
    assert agreement.signed_on is not None and agreement.signed_on.isoformat() == "2026-01-02"


def test_within_ten_minutes_of_signing_in_no_password_is_asked(short_reauth, staff_user, organisation, client):
    agreement = make_agreement(
        organisation=organisation, status=Agreement.Status.DRAFT, authority=staff_user.staff_roles.get().authority
    )
    client.force_login(staff_user, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("grants:agreement-action", args=[agreement.pk, "podpisanie"]), {"signed_on": "2026-01-02"})
    agreement.refresh_from_db()
    assert agreement.signed_on is not None


def test_changing_the_bank_account_asks_again_and_a_code_will_do(
    short_reauth, ngo_admin, organisation, client, time_machine
):
    device = _enrol(ngo_admin)
    client.force_login(ngo_admin, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("organisations:edit", args=[organisation.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data["areas"] = [area.pk for area in organisation.areas.all()]
    data["bank_account"] = "PL61109010140000071219812874"
    _later(time_machine, 11)
    asked = client.post(url, data)
    assert "albo kod z aplikacji" in asked.text
    assert Organisation.objects.get(pk=organisation.pk).bank_account != "PL61109010140000071219812874"
    client.post(url, {**data, "reauth_code": _code(device)})
    assert Organisation.objects.get(pk=organisation.pk).bank_account == "PL61109010140000071219812874"


def test_editing_other_organisation_data_needs_no_password(short_reauth, ngo_admin, organisation, client, time_machine):
    client.force_login(ngo_admin, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("organisations:edit", args=[organisation.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data["areas"] = [area.pk for area in organisation.areas.all()]
    data["phone"] = "+48 22 111 22 33"
    _later(time_machine, 11)
    assert client.post(url, data).status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).phone == "+48 22 111 22 33"


@pytest.mark.parametrize(
    "name", ["grants:call-decision", "grants:results-publish", "grants:appeal-decide", "grants:agreement-create"]
)
def test_deciding_and_publishing_are_guarded(short_reauth, decider, client, time_machine, name):
    client.force_login(decider, backend="django.contrib.auth.backends.ModelBackend")
    _later(time_machine, 11)
    response = client.post(reverse(name, args=[999999]), {"x": "1"})
    assert "Potwierdź swoją tożsamość" in response.text
