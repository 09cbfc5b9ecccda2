from django.contrib import admin

from .models import Authority


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "executive_title", "city"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "city"]
