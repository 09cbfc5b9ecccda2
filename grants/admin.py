from django.contrib import admin
from django.db import models

from config.forms import PolishDecimalField

from .models import SmallGrantLimits


@admin.register(SmallGrantLimits)
class SmallGrantLimitsAdmin(admin.ModelAdmin):
    """The four art. 19a limits from a date on: only superusers may read or change them (a change of the act)."""

    readonly_fields = ["created_at"]
    formfield_overrides = {models.DecimalField: {"form_class": PolishDecimalField}}
    list_display = ["valid_from", "max_grant", "max_days", "max_per_organisation_year", "max_share_pct", "legal_basis"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission
