"""The partner's side of a joint offer: its admin reads what the lead offeror filed in its name and confirms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.roles import roles_of
from organisations.models import Membership

from ..models import JointOfferor
from ..services import joint_offers


def partners_i_answer_for(request):
    """Joint-offeror rows naming an organisation the person is an admin of: only they may see the consent page."""
    admin_of = [m.organisation_id for m in roles_of(request).memberships if m.role == Membership.Role.ADMIN]
    return JointOfferor.objects.filter(organisation_id__in=admin_of)


@login_required
@require_http_methods(["GET", "POST"])
def joint_consent(request, pk: int):
    partner = get_object_or_404(
        partners_i_answer_for(request).select_related(
            "organisation", "offer__organisation", "offer__call", "confirmed_by"
        ),
        pk=pk,
    )
    error = None
    if request.method == "POST":
        if request.POST.get("consent") != "on":
            error = "Zaznacz oświadczenie, aby potwierdzić udział organizacji w ofercie wspólnej."
        else:
            try:
                joint_offers.joint_offeror_confirm(partner=partner, actor=request.user)
            except ValidationError as refused:
                error = " ".join(refused.messages)
            else:
                messages.success(
                    request, "Potwierdzono udział organizacji w ofercie wspólnej. Oferent został powiadomiony."
                )
                return redirect("grants:joint-consent", pk=partner.pk)
    offer = partner.offer
    return render(
        request,
        "grants/joint_consent.html",
        {
            "partner": partner,
            "offer": offer,
            "others": offer.partners.exclude(pk=partner.pk).select_related("organisation"),
            "error": error,
            "can_confirm": partner.confirmed_at is None and offer.status in joint_offers.CONSENT_STATUSES,
        },
    )
