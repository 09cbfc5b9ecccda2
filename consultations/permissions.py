"""Who may see and do what in consultations."""

from accounts.roles import roles_of
from organisations.models import Organisation

from .models import ConsultationComment


def commenting_organisations(request):
    """The organisations on whose behalf this person may comment."""
    return Organisation.objects.filter(pk__in=roles_of(request).organisation_ids).order_by("name")


def can_edit_comment(request, comment: ConsultationComment) -> bool:
    return (
        comment.status == ConsultationComment.Status.DRAFT
        and comment.organisation_id in roles_of(request).organisation_ids
    )
