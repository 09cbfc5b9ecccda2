from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "accounts.notifications"
    label = "notifications"
    verbose_name = "Powiadomienia"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Subscription

        auditlog.register(Subscription, m2m_fields={"areas"})
