"""Rules that must hold when two requests arrive at the same moment (PostgreSQL row locks)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants.models import OfferVersion, OpenCall
from grants.services import awards as award_services
from grants.services import calls as call_services
from grants.services import offers as offer_services
from tests.grants.award_factories import call_ready_for_decision
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.helpers import ensure_task_areas, race
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_calls_racing_for_the_last_money_on_a_line(staff_user):
    ensure_task_areas()
    # Two calls want 200 000 each of the 257 000 left: exactly one gets it.
    first = OpenCallFactory()  # 100 000 of 357 000 taken
    line = first.budget_allocations.get().budget_line
    calls = [OpenCallFactory(programme=first.programme, status=OpenCall.Status.DRAFT) for _ in range(2)]
    for call in calls:
        call.budget_allocations.all().delete()
    results = race(
        *[
            (
                lambda c=call: call_services.call_allocate(
                    call=c, allocations={line.pk: Decimal("200000")}, actor=staff_user
                )
            )
            for call in calls
        ]
    )
    failures = [r for r in results if isinstance(r, ValidationError)]
    assert len(failures) == 1, results
    assert call_services.budget_line_remaining(line) == Decimal("57000.00")


def test_two_simultaneous_submissions_of_one_offer_make_one_version():
    ensure_task_areas()
    organisation = OrganisationFactory(areas=["17"])
    ngo_admin = MembershipFactory(organisation=organisation).user
    call = OpenCallFactory()
    offer = complete_offer(call, organisation, ngo_admin)
    results = race(
        *[
            (lambda: offer_services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision))
            for _ in range(2)
        ]
    )
    assert all(isinstance(r, OfferVersion) for r in results), results
    assert results[0].pk == results[1].pk
    assert OfferVersion.objects.filter(offer=offer).count() == 1


def test_two_awards_saved_at_the_same_moment_never_exceed_the_call_funds(authority, staff_user, decider):
    """15 000 zł of funds, two decisions of 10 000 zł each at once: exactly one is saved."""
    ensure_task_areas()
    call, offers = call_ready_for_decision(authority, staff_user, offers=2, funds="15000.00")
    results = race(
        *[
            (
                lambda o=offer: award_services.award_decide(
                    offer=o, granted=True, amount=Decimal("10000.00"), actor=decider
                )
            )
            for offer, _ in offers
        ]
    )
    failures = [r for r in results if isinstance(r, ValidationError)]
    assert len(failures) == 1, results
    assert "środki konkursu" in failures[0].message_dict["amount"][0]
    assert award_services.awarded_total(call) == Decimal("10000.00")
