"""Who may see and do what in local initiative (art. 19b–19h). Querysets start from what the person may see, so an
id in a URL reaches nothing else: applicants their own requests (a resident those they started, an NGO member their
organisations'), office staff their authority's, everyone the decisions."""

from accounts.roles import roles_of
from programmes.permissions import restrict_to_managed

from .models import LocalInitiativeAgreement, LocalInitiativeRequest


def my_requests(request):
    roles = roles_of(request)
    return LocalInitiativeRequest.objects.of_applicant(request.user, roles.organisation_ids)


def my_agreements(request):
    return LocalInitiativeAgreement.objects.filter(request__in=my_requests(request))


def managed_requests(request):
    """Submitted requests addressed to the office person's authority (drafts stay the applicants' own)."""
    return restrict_to_managed(request, LocalInitiativeRequest.objects.exclude(status="draft"))


def managed_agreements(request):
    return restrict_to_managed(request, LocalInitiativeAgreement.objects.all())


def may_decide(request, authority_id: int) -> bool:
    roles = roles_of(request)
    return roles.superuser or authority_id in roles.decider_authority_ids
