"""Calls in commission review with offers, commissions and cards, built quickly (no PDFs, no e-mail)."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from grants.demo import _offer
from grants.models import Commission, CommissionMember, Criterion, ImpartialityDeclaration, Offer, OpenCall, ScoreCard
from grants.services import scoring
from tests.accounts.factories import UserFactory
from tests.grants.factories import OpenCallFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory

_rng = random.Random(15)
M = CommissionMember.Capacity
A, N, R, E = (M.AUTHORITY, M.NGO, M.COUNCIL, M.EXPERT)
FIVE = [(A, True), (A, False), (A, False), (N, False), (E, False)]


def review_call(offers: int = 2, **kwargs) -> OpenCall:
    """A call in commission review: criteria 10 + 5 points, ``offers`` formally accepted offers."""
    kwargs.setdefault("submission_deadline", timezone.now() - timedelta(days=7))  # the offers are known
    call = OpenCallFactory(status=OpenCall.Status.COMMISSION_REVIEW, **kwargs)
    Criterion.objects.create(call=call, order=2, name="Kalkulacja kosztów", dimension=2, max_points=5)
    add_offers(call, offers)
    return call


def add_offers(call: OpenCall, count: int, status: str = Offer.Status.FORMALLY_ACCEPTED) -> list[Offer]:
    made = []
    for _ in range(count):
        organisation = OrganisationFactory()
        author = MembershipFactory(organisation=organisation).user
        made.append(_offer(call, organisation, author, _rng, status, 0))
    return made


def make_commission(
    call: OpenCall, seats=FIVE, *, declared: bool = True, started: bool = False, **rules
) -> tuple[Commission, list[CommissionMember]]:
    commission = Commission.objects.create(call=call, **rules)
    appointer = UserFactory()
    members = []
    for capacity, chair in seats:
        nominated = OrganisationFactory() if capacity == N else None
        member = CommissionMember.objects.create(
            commission=commission,
            user=UserFactory(first_name="Członek"),
            capacity=capacity,
            is_chair=chair,
            nominated_by=nominated,
            appointed_by=appointer,
        )
        if declared:
            ImpartialityDeclaration.objects.create(member=member)
        members.append(member)
    if started:
        commission.status = Commission.Status.SCORING
        commission.save(update_fields=["status"])
        scoring._ensure_cards(commission)
    return commission, members


def card_of(member: CommissionMember, offer: Offer) -> ScoreCard:
    return ScoreCard.objects.get(member=member, offer=offer)


def fill_card(
    member: CommissionMember, offer: Offer, points, *, submit=True, proposed=None, remarks="Uwagi."
) -> ScoreCard:
    """``points``: a list in criterion order (10 + 5 points in ``review_call``)."""
    criteria = list(Criterion.objects.filter(call=offer.call_id))
    return scoring.card_save(
        card=card_of(member, offer),
        actor=member.user,
        points={c.pk: Decimal(str(p)) for c, p in zip(criteria, points, strict=True)},
        justifications={c.pk: "Uzasadnienie." for c in criteria},
        remarks=remarks,
        proposed_amount=proposed,
        submit=submit,
    )
