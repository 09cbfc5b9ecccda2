"""Who may do what with an organisation. Views and templates ask here, nowhere else."""

from accounts.roles import roles_of

from .models import Organisation


def can_edit_organisation(request, organisation: Organisation) -> bool:
    return organisation.pk in roles_of(request).organisation_ids


def can_manage_members(request, organisation: Organisation) -> bool:
    return roles_of(request).admin_of(organisation.pk)


def supervised_organisations(request):
    """The organisations whose private data and verification belong to this office: those dealing with one of the
    person's authorities (offers, agreements, seat in its town); all of them for a superuser, none for others."""
    from programmes.permissions import managed_authority_ids

    roles = roles_of(request)
    if not roles.is_authority_staff:
        return Organisation.objects.none()
    ids = managed_authority_ids(request)
    organisations = Organisation.objects.active()
    return organisations if ids is None else organisations.dealing_with(ids)


def can_verify(request, organisation: Organisation) -> bool:
    return supervised_organisations(request).filter(pk=organisation.pk).exists()


def can_see_private_details(request, organisation: Organisation) -> bool:
    """Bank account and office notes: the organisation's own people and the staff of authorities it deals with."""
    return organisation.pk in roles_of(request).organisation_ids or can_verify(request, organisation)
