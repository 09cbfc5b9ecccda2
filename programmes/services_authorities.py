"""Authorities on the installation: the superuser creates them; each authority's administrators keep its data
(names for the documents, organs, address, territory, logo, default representatives and agreement clauses)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.audit import acting_as
from accounts.services_staff import may_administer, staff_invite

from .models import Authority

# What an authority administrator edits; the slug (its address in the portal) is set once by the superuser.
SETTINGS_FIELDS = (
    "name",
    "kind",
    "executive_title",
    "executive_name",
    "council_name",
    "street",
    "postal_code",
    "city",
    "email",
    "bip_url",
    "website",
    "territory_municipality",
    "territory_county",
    "territory_voivodeship",
    "logo",
    "default_representatives",
    "agreement_clauses",
)


@transaction.atomic
def authority_create(*, actor, data: dict, first_admin_email: str = "", site_url: str = "") -> Authority:
    """A new authority on the installation (the superuser only); its first administrator is invited by e-mail."""
    if not actor.is_superuser:
        raise PermissionDenied("Jednostki samorządu w portalu tworzy administrator instalacji.")
    with acting_as(actor):
        authority = Authority(**data)
        authority.full_clean()
        authority.save()
    if first_admin_email:
        staff_invite(authority=authority, email=first_admin_email, actor=actor, site_url=site_url, is_admin=True)
    return authority


@transaction.atomic
def authority_update(*, authority: Authority, actor, data: dict) -> Authority:
    """Change the authority's data; documents made from now on use it (those already published keep theirs)."""
    if not may_administer(actor, authority):
        raise PermissionDenied("Dane jednostki zmienia jej administrator.")
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    changed = [name for name in SETTINGS_FIELDS if name in data and getattr(authority, name) != data[name]]
    for name in changed:
        setattr(authority, name, data[name])
    authority.full_clean()
    if changed:
        with acting_as(actor):
            authority.save(update_fields=changed)
    return authority
