"""Who may manage programmes and the cooperation log: office staff of the programme's authority."""

from accounts.roles import roles_of

from .models import Authority


def managed_authority_ids(request) -> set[int] | None:
    """The authorities whose data this person manages; ``None`` means all (superuser)."""
    roles = roles_of(request)
    if roles.superuser:
        return None
    return set(roles.staff_authority_ids)


def restrict_to_managed(request, queryset, lookup: str = "authority_id"):
    """Narrow ``queryset`` to the authorities this person manages, so an id in a URL reaches nothing else."""
    ids = managed_authority_ids(request)
    return queryset if ids is None else queryset.filter(**{f"{lookup}__in": ids})


def managed_authorities(request):
    return restrict_to_managed(request, Authority.objects.all(), lookup="pk")
