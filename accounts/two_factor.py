"""Two-factor sign-in (TOTP from an authenticator app, with single-use backup codes) on django-otp.

Required for officials (office staff, deciders, commission members, superusers) when
``settings.TWO_FACTOR_REQUIRED_FOR_OFFICIALS`` is on, optional for everyone else.
"""

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import acting_as
from .roles import roles_of

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "Aplikacja uwierzytelniająca"
BACKUP_DEVICE_NAME = "Kody zapasowe"


def is_official(request) -> bool:
    roles = roles_of(request)
    return roles.is_authority_staff or roles.has_commission_seat


def two_factor_required(request) -> bool:
    return settings.TWO_FACTOR_REQUIRED_FOR_OFFICIALS and is_official(request)


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_app_device(user) -> TOTPDevice:
    """The authenticator being set up: kept unconfirmed until the person types its first code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (drawn on the server: no script, no external image)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, title="Kod QR do zeskanowania aplikacją uwierzytelniającą", omitsize=False
    )


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for apps that cannot scan."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _new_backup_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Switch two-factor sign-in on once the app shows a valid code; returns the new backup codes
    (``None`` when the code is wrong)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(token):
        return None
    with acting_as(user):
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()  # one authenticator at a time
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return _new_backup_codes(user)


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    """New backup codes; the old ones stop working."""
    with acting_as(user):
        return _new_backup_codes(user)


@transaction.atomic
def two_factor_disable(*, user) -> None:
    """Switch two-factor sign-in off (only where it is not required)."""
    with acting_as(user):
        for device in devices_for_user(user, confirmed=None):
            device.delete()


def backup_codes(user) -> list[str]:
    return list(
        StaticToken.objects.filter(device__user=user, device__name=BACKUP_DEVICE_NAME).values_list("token", flat=True)
    )
