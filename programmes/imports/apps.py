from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "programmes.imports"
    label = "imports"
    verbose_name = "Dane z lat ubiegłych"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import ImportBatch

        auditlog.register(ImportBatch)
