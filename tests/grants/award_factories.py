"""Calls brought to the decision: offers submitted, formally accepted, the commission's scoring closed."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from grants.models import Commission, FormalReview, Offer, OpenCall
from grants.services import awards as award_services
from grants.services import offers as offer_services
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.organisations.factories import MembershipFactory, OrganisationFactory


def call_ready_for_decision(authority, reviewer, *, offers: int = 2, funds: str = "100000.00", **call_kwargs):
    """A call of ``authority`` in commission review with ``offers`` accepted offers of 10 000 zł each.

    Returns the call and a list of (offer, ngo_admin) pairs.
    """
    call = OpenCallFactory(programme__authority=authority, **call_kwargs)
    call.budget_allocations.update(amount=Decimal(funds))
    made = []
    for _ in range(offers):
        organisation = OrganisationFactory(areas=["17"])
        admin = MembershipFactory(organisation=organisation).user
        offer = complete_offer(call, organisation, admin)
        offer_services.offer_submit(offer=offer, actor=admin, revision=offer.revision)
        made.append((offer, admin))
    OpenCall.objects.filter(pk=call.pk).update(
        status=OpenCall.Status.FORMAL_REVIEW, submission_deadline=timezone.now() - timedelta(seconds=1)
    )
    for offer, _ in made:
        offer_services.formal_review_decide(
            offer=offer,
            actor=reviewer,
            checklist=FormalReview.all_confirmed(),
            outcome=FormalReview.Outcome.PASSED,
            reasons="",
        )
    OpenCall.objects.filter(pk=call.pk).update(status=OpenCall.Status.COMMISSION_REVIEW)
    Commission.objects.create(call=call, status=Commission.Status.CLOSED, closed_at=timezone.now())
    call.refresh_from_db()
    return call, [(Offer.objects.get(pk=offer.pk), admin) for offer, admin in made]


def add_accepted_offer(call, reviewer):
    """One more formally accepted offer of 10 000 zł in a call already past its deadline."""
    OpenCall.objects.filter(pk=call.pk).update(submission_deadline=timezone.now() + timedelta(days=1))
    OpenCall.objects.filter(pk=call.pk).update(status=OpenCall.Status.PUBLISHED)
    call.refresh_from_db()
    organisation = OrganisationFactory(areas=["17"])
    admin = MembershipFactory(organisation=organisation).user
    offer = complete_offer(call, organisation, admin)
    offer_services.offer_submit(offer=offer, actor=admin, revision=offer.revision)
    OpenCall.objects.filter(pk=call.pk).update(
        status=OpenCall.Status.FORMAL_REVIEW, submission_deadline=timezone.now() - timedelta(seconds=1)
    )
    offer_services.formal_review_decide(
        offer=offer,
        actor=reviewer,
        checklist=FormalReview.all_confirmed(),
        outcome=FormalReview.Outcome.PASSED,
        reasons="",
    )
    OpenCall.objects.filter(pk=call.pk).update(status=OpenCall.Status.COMMISSION_REVIEW)
    return Offer.objects.get(pk=offer.pk)


def decide_and_publish(call, decider, amounts: list[Decimal | None]):
    """Grant each offer its amount (``None`` refuses) and publish the results."""
    offers = list(Offer.objects.filter(call=call, status=Offer.Status.FORMALLY_ACCEPTED).order_by("pk"))
    for offer, amount in zip(offers, amounts, strict=True):
        award_services.award_decide(
            offer=offer, granted=amount is not None, amount=amount, reasons="Niska ocena komisji.", actor=decider
        )
    return award_services.results_publish(call=call, actor=decider)
