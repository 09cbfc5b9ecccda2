from django.contrib import admin

from .models import IssuedDocument, SignedCopy


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """The register of issued documents, read-only: it is written only when the portal issues a document."""

    list_display = ["number", "kind", "title", "version", "sealed", "issued_at"]
    list_filter = ["kind", "sealed"]
    search_fields = ["number", "title", "sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignedCopy)
class SignedCopyAdmin(admin.ModelAdmin):
    list_display = ["document", "party", "format", "result", "representation", "trust", "uploaded_at"]
    list_filter = ["party", "format", "result", "representation", "trust"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
