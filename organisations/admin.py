from django.contrib import admin

from .models import Invitation, Membership, Organisation, PublicTaskArea


@admin.register(PublicTaskArea)
class PublicTaskAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "valid_from"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "krs", "nip", "city", "is_opp", "verified_at"]
    list_filter = ["legal_form", "is_opp", "is_active"]
    search_fields = ["name", "search_name", "krs", "nip"]
    filter_horizontal = ["areas"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at", "revoked_at"]
    exclude = ["token"]
