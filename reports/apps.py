from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Sprawozdania i wydruki"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from grants.models import Control, ControlPlan, GrantReport, Refund

        from .models import AnnualReport, Publication

        # Reports, settlement and controls are audited like the rest of the grant process.
        auditlog.register(GrantReport, exclude_fields=["updated_at", "reminded_at"])
        auditlog.register(Refund)
        auditlog.register(ControlPlan)
        auditlog.register(Control)
        auditlog.register(AnnualReport, exclude_fields=["updated_at"])
        auditlog.register(Publication)
