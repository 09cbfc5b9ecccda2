from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "signatures"
    verbose_name = "Podpisy i pieczęcie elektroniczne"
