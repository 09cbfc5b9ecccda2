"""Payments and refunds when two requests arrive at the same moment (PostgreSQL row locks)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants.models import Refund, Tranche
from grants.services import payments, settlement
from tests.grants.agreement_factories import make_agreement
from tests.helpers import ensure_task_areas, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_tranche_paid_twice_at_once_is_recorded_once(organisation, staff_user):
    ensure_task_areas()
    agreement = make_agreement(organisation=organisation, tranches=[("10000.00", None)])
    tranche = agreement.tranches.get()
    results = race(
        *[
            (
                lambda day=day: payments.tranche_pay(
                    tranche=tranche, actor=staff_user, paid_on=day, amount=Decimal("10000.00")
                )
            )
            for day in (date(2025, 3, 2), date(2025, 3, 3))
        ]
    )
    failures = [r for r in results if isinstance(r, ValidationError)]
    winners = [r for r in results if isinstance(r, Tranche)]
    assert (len(failures), len(winners)) == (1, 1), results
    assert "została już przekazana" in failures[0].message_dict["amount"][0]
    tranche.refresh_from_db()
    assert tranche.paid_on == winners[0].paid_on


def test_two_refunds_at_once_never_exceed_what_was_transferred(organisation, staff_user):
    ensure_task_areas()
    agreement = make_agreement(organisation=organisation)  # 10 000,00 transferred, no report yet
    results = race(
        *[
            (
                lambda: settlement.refund_record(
                    agreement=agreement,
                    actor=staff_user,
                    kind=Refund.Kind.UNUSED,
                    amount=Decimal("6000.00"),
                    paid_on=date(2025, 6, 1),
                )
            )
            for _ in range(2)
        ]
    )
    assert len([r for r in results if isinstance(r, ValidationError)]) == 1, results
    assert sum(r.amount for r in agreement.refunds.all()) == Decimal("6000.00")
