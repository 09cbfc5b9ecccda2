from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Konta i role"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import AuthorityStaff, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(AuthorityStaff)
