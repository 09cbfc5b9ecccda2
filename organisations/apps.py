from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = "Organizacje"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from .task_areas import restore_after_flush

        post_migrate.connect(restore_after_flush, sender=self)

        from .models import Invitation, Membership, Organisation, RegisterExtract

        auditlog.register(Organisation, m2m_fields={"areas", "authorities"}, exclude_fields=["search_name"])
        auditlog.register(Membership)
        auditlog.register(Invitation, exclude_fields=["token"])
        auditlog.register(RegisterExtract, exclude_fields=["raw"])
