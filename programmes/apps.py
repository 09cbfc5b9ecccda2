from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programy współpracy"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Authority

        auditlog.register(Authority)
