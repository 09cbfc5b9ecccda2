from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import AuthorityStaff, User


class UserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]


class AuthorityStaffInline(admin.TabularInline):
    model = AuthorityStaff
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserAddForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "email_confirmed_at", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [AuthorityStaffInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Dane osobowe"), {"fields": ["first_name", "last_name"]}),
        (_("Uprawnienia"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Daty"), {"fields": ["last_login", "date_joined", "email_confirmed_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "usable_password", "password1", "password2"],
            },
        )
    ]
