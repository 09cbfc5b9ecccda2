from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "grants.correspondence"
    label = "correspondence"
    verbose_name = "Korespondencja w sprawach"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Message

        # Part of the case record: who wrote what, when; and when an official request was answered.
        auditlog.register(Message, exclude_fields=["text"])
