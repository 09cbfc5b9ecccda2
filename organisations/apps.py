from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = "Organizacje"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Invitation, Membership, Organisation, RegisterExtract

        auditlog.register(Organisation, m2m_fields={"areas", "authorities"}, exclude_fields=["search_name"])
        auditlog.register(Membership)
        auditlog.register(Invitation, exclude_fields=["token"])
        auditlog.register(RegisterExtract, exclude_fields=["raw"])
