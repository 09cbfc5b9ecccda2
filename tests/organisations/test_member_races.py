"""Two administrators acting at the same moment never leave the organisation without one (PostgreSQL row locks)."""

import pytest
from django.core.exceptions import ValidationError

from organisations.models import Membership
from organisations.services import LAST_ADMIN, membership_change_role, membership_remove
from tests.helpers import race
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("act", ["demote", "leave"])
def test_two_admins_stepping_down_at_once_leave_one_admin(act):
    organisation = OrganisationFactory()
    seats = [MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN) for _ in range(2)]

    def step_down(seat):
        if act == "demote":
            return membership_change_role(membership=seat, role=Membership.Role.EDITOR, actor=seat.user)
        return membership_remove(membership=seat, actor=seat.user)

    results = race(*[(lambda s=seat: step_down(s)) for seat in seats])
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert LAST_ADMIN in refused[0].messages
    assert organisation.memberships.filter(role=Membership.Role.ADMIN).count() == 1
