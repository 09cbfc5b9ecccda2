"""Who may do what with an organisation. Views and templates ask here, nowhere else."""

from accounts.roles import roles_of

from .models import Organisation


def can_edit_organisation(request, organisation: Organisation) -> bool:
    return organisation.pk in roles_of(request).organisation_ids


def can_manage_members(request, organisation: Organisation) -> bool:
    return roles_of(request).admin_of(organisation.pk)


def can_see_private_details(request, organisation: Organisation) -> bool:
    """Bank account and office notes: the organisation's own people and office staff."""
    roles = roles_of(request)
    return roles.is_authority_staff or organisation.pk in roles.organisation_ids


def can_verify(request) -> bool:
    return roles_of(request).is_authority_staff
