from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "grants.signatures"
    label = "signatures"
    verbose_name = "Podpisy i pieczęcie elektroniczne"
