"""Who may see and do what with calls and offers. Querysets start from what the person may see."""

from accounts.roles import roles_of
from programmes.permissions import restrict_to_managed

from .models import Offer, OpenCall


def offers_of_my_organisations(request):
    """An NGO person's offers: their organisations' own and joint ones. An id in a URL reaches nothing else."""
    return Offer.objects.visible_to_organisations(roles_of(request).organisation_ids)


def managed_calls(request):
    return restrict_to_managed(request, OpenCall.objects.all())


def managed_offers(request):
    """Offers in calls of the authorities this office person works for."""
    return restrict_to_managed(request, Offer.objects.all(), lookup="call__authority_id")


def can_read_attachment(request, offer: Offer) -> bool:
    roles = roles_of(request)
    if (
        offer.organisation_id in roles.organisation_ids
        or offer.partners.filter(organisation_id__in=roles.organisation_ids).exists()
    ):
        return True
    return managed_offers(request).filter(pk=offer.pk).exists() if roles.is_authority_staff else False
