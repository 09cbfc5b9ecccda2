"""Who may manage programmes and the cooperation log: office staff of the programme's authority."""

from accounts.roles import roles_of
from config.tenancy import current_authority

from .models import Authority


def managed_authority_ids(request) -> set[int] | None:
    """The authorities whose data this person manages; ``None`` means all (superuser). Inside an authority's space
    (config/tenancy.py) only that authority, if the person manages it."""
    roles = roles_of(request)
    space = current_authority(request)
    if roles.superuser:
        return None if space is None else {space.pk}
    if space is not None:
        return set(roles.staff_authority_ids) & {space.pk}
    return set(roles.staff_authority_ids)


def restrict_to_managed(request, queryset, lookup: str = "authority_id"):
    """Narrow ``queryset`` to the authorities this person manages, so an id in a URL reaches nothing else."""
    ids = managed_authority_ids(request)
    return queryset if ids is None else queryset.filter(**{f"{lookup}__in": ids})


def managed_authorities(request):
    return restrict_to_managed(request, Authority.objects.all(), lookup="pk")


def administered_authorities(request):
    """Authorities whose data and staff this person administers: the superuser all (inside a space: that one),
    an authority administrator their own. An id in a URL reaches nothing else (404)."""
    roles = roles_of(request)
    authorities = Authority.objects.all()
    space = current_authority(request)
    if space is not None:
        authorities = authorities.filter(pk=space.pk)
    if roles.superuser:
        return authorities
    return authorities.filter(pk__in=roles.admin_authority_ids)
