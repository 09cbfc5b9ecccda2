from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Konsultacje"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Consultation, ConsultationComment

        auditlog.register(Consultation, exclude_fields=["draft_text"])
        auditlog.register(ConsultationComment)
