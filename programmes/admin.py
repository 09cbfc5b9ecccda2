from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Authority


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "executive_title", "city"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "city"]
    fields = [
        "name",
        "slug",
        "kind",
        "executive_title",
        "executive_name",
        "council_name",
        "documents_preview",
        "street",
        "postal_code",
        "city",
        "email",
        "bip_url",
        "website",
        "seals_agreements",
    ]
    readonly_fields = ["documents_preview"]

    @admin.display(description=_("tak jednostka wystąpi w dokumentach"))
    def documents_preview(self, authority: Authority) -> str:
        if not authority.pk:
            return _("Podgląd pojawi się po zapisaniu.")
        # As saved: a form with errors has already changed the instance in memory.
        grammar = Authority.objects.get(pk=authority.pk).grammar
        return (
            f"{grammar.represented_by()}; umowa: „pomiędzy {grammar.represented_by('ins')}, "
            f"{grammar.agree('zwan', 'ins')} dalej Zleceniodawcą”; uchwała {grammar.council('gen')}; "
            f"wykonanie powierza się {grammar.executive('dat')}; z budżetu {grammar.unit('gen')}."
        )
