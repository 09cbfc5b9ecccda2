"""The authority's spending on a local initiative when two clerks record invoices at the same moment."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants.models import LocalInitiativeExpense
from grants.services import local_initiative as li
from tests.accounts.factories import UserFactory
from tests.grants.local_initiative_factories import adopt_rules, make_agreement, reserve_line
from tests.helpers import ensure_task_areas, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_expenses_at_once_never_pass_the_cap(authority, staff_user, decider):
    ensure_task_areas()
    resident = UserFactory()
    adopt_rules(authority, staff_user)
    line = reserve_line(authority, staff_user)
    agreement = make_agreement(authority, staff_user, decider, resident, line, cap="9000.00")
    li.expense_record(
        agreement=agreement,
        actor=staff_user,
        spent_on_day=date(2026, 5, 2),
        document="FV 1",
        supplier="Ogrody",
        description="sadzonki",
        amount=Decimal("4000.00"),
    )
    # 4 000 spent; each of the two 3 000 invoices fits alone, both together (10 000) pass the 9 000 cap.
    results = race(
        *[
            (
                lambda number=number: li.expense_record(
                    agreement=agreement,
                    actor=staff_user,
                    spent_on_day=date(2026, 5, 3),
                    document=f"FV {number}",
                    supplier="Ogrody",
                    description="ławki",
                    amount=Decimal("3000.00"),
                )
            )
            for number in (2, 3)
        ]
    )
    winners = [r for r in results if isinstance(r, LocalInitiativeExpense)]
    failures = [r for r in results if isinstance(r, ValidationError)]
    assert (len(winners), len(failures)) == (1, 1), results
    assert "przekracza limit umowy" in failures[0].message_dict["amount"][0]
    assert li.spent_on(agreement) == Decimal("7000.00")
