from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Konta i role"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.apps import apps
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from config.statuses import cache_choice_labels

        from . import reauth  # noqa: F401 - connects the sign-in signal that starts the re-authentication clock
        from .models import AuthorityStaff, StaffInvitation, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(AuthorityStaff)
        auditlog.register(StaffInvitation, exclude_fields=["token"])
        # Switching two-factor sign-in on and off is audited; the secret key never reaches the log.
        auditlog.register(TOTPDevice, include_fields=["user", "name", "confirmed"])
        cache_choice_labels(apps.get_models())
