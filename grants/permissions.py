"""Who may see and do what with calls and offers. Querysets start from what the person may see."""

from django.db.models import Q

from accounts.roles import roles_of
from programmes.permissions import restrict_to_managed

from .models import Agreement, Award, Commission, CommissionMember, Offer, OpenCall, ScoreCard


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
    if roles.is_authority_staff and managed_offers(request).filter(pk=offer.pk).exists():
        return True
    # Offers outside calls (art. 19a, art. 12) are read by the staff of the authority they are addressed to.
    if (
        roles.is_authority_staff
        and restrict_to_managed(request, Offer.objects.filter(pk=offer.pk), lookup="direct__authority_id").exists()
    ):
        return True
    # A commission member (declared, not excluded) reads the attachments of the offers on their cards.
    return my_score_cards(request).filter(offer=offer).exists()


def managed_awards(request):
    """Awards in the office person's calls, and awards outside calls (small grants) addressed to their authority."""
    roles = roles_of(request)
    if roles.superuser:
        return Award.objects.all()
    if not roles.staff_authority_ids:
        return Award.objects.none()
    return Award.objects.filter(
        Q(call__authority_id__in=roles.staff_authority_ids)
        | Q(call__isnull=True, offer__direct__authority_id__in=roles.staff_authority_ids)
    )


def managed_agreements(request):
    return restrict_to_managed(request, Agreement.objects.all())


def visible_agreements(request):
    """Staff see their authority's agreements; an NGO member sees their organisations' agreements."""
    roles = roles_of(request)
    if roles.superuser:
        return Agreement.objects.all()
    return Agreement.objects.filter(
        Q(authority_id__in=roles.staff_authority_ids) | Q(organisation_id__in=roles.organisation_ids)
    )


# commission and scoring


def my_commission_seats(request):
    """The signed-in person's seats on call commissions (excluded seats included: they see why, not offers)."""
    if not request.user.is_authenticated:
        return CommissionMember.objects.none()
    return CommissionMember.objects.filter(user=request.user.pk)


def my_score_cards(request):
    """Cards the person may open: their own, on seats they were not excluded from. Anything else is a 404."""
    if not request.user.is_authenticated:
        return ScoreCard.objects.none()
    return ScoreCard.objects.filter(member__user=request.user.pk, member__excluded_at__isnull=True)


def commission_reading_seat(request, call_pk: int):
    """The seat from which a member reads the call's ranking and protocol: declared and not excluded. Until their
    own cards are submitted ``scores_withheld`` still sends them back to their cards."""
    return (
        my_commission_seats(request)
        .filter(commission__call_id=call_pk, excluded_at__isnull=True, declaration__isnull=False)
        .first()
    )


def scores_withheld(request, commission):
    """The seat of an office person who also sits on the commission, while the commission is still scoring and they
    have a card of their own to submit: until then they see nobody's scores (ranking, protocol, decision)."""
    if commission is None or commission.status == Commission.Status.CLOSED or not request.user.is_authenticated:
        return None
    card = (
        ScoreCard.objects.filter(member__commission=commission, member__user=request.user.pk)
        .filter(member__excluded_at__isnull=True)
        .exclude(status=ScoreCard.Status.SUBMITTED)
        .only("member_id")
        .first()
    )
    return card.member_id if card else None


def offers_with_published_results(request):
    """An NGO's own offers whose call results are published: only then may it see its scores."""
    return offers_of_my_organisations(request).filter(call__results_published_at__isnull=False)
