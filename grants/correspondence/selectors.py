"""What a person's home page shows of their correspondence: unread messages and the office's open requests."""

from django.db.models import Exists, OuterRef, Q

from accounts.roles import roles_of

from .models import Message, MessageRead, Side


def unread_messages(request):
    """Messages from the other side of the person's cases that they have not opened yet."""
    roles = roles_of(request)
    if not roles.authenticated:
        return Message.objects.none()
    other_side = Q(organisation_id__in=roles.organisation_ids, side=Side.OFFICE)
    if roles.superuser:
        other_side |= Q(side=Side.ORGANISATION)
    else:
        other_side |= Q(authority_id__in=roles.staff_authority_ids, side=Side.ORGANISATION)
    return Message.objects.filter(other_side).filter(
        ~Exists(MessageRead.objects.filter(message=OuterRef("pk"), user=request.user.pk))
    )


def open_requests(request):
    """The office's official requests to the person's organisations that wait for an answer, soonest first."""
    roles = roles_of(request)
    return (
        Message.objects.open_requests()
        .filter(organisation_id__in=roles.organisation_ids)
        .select_related("offer", "agreement", "grant_report__agreement", "organisation")
        .order_by("response_deadline", "pk")
    )


def home_correspondence(request) -> dict:
    """Two queries: the count of unread messages and the open requests (for the home pages)."""
    return {
        "template": "correspondence/_home_panel.html",
        "unread_messages": unread_messages(request).count(),
        "open_requests": list(open_requests(request)[:20]) if roles_of(request).organisation_ids else [],
    }
