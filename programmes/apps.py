from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programy współpracy"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Authority, Programme, ProgrammeAmendment

        auditlog.register(Authority)
        # Adoption (who recorded it, which warnings were confirmed) and amendments are part of the record.
        auditlog.register(Programme)
        auditlog.register(ProgrammeAmendment)
