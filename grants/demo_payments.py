"""Demo transfers of tranches, recorded through the payment service as the office records them on its pages.

Tranches of the closed year are all paid; in later years the tranches due more than two weeks ago are paid except
every sixth agreement's, which stays on the list of tranches due (overdue), so the payments page has work on it.
A transfer is dated on the tranche's due date, never before the agreement was signed nor after today.
"""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import AuthorityStaff

from .models import Agreement
from .services.payments import Payment, tranches_pay

CLOSED_YEAR = 2025


def pay_tranches(agreements, actor, *, until: date | None = None, skip_every: int = 0) -> int:
    """Pay the unpaid tranches of ``agreements`` due by ``until`` (all when None); returns how many were paid."""
    today = timezone.localdate()
    payments = []
    for index, agreement in enumerate(agreements):
        if skip_every and index % skip_every == skip_every - 1:
            continue
        for tranche in agreement.tranches.all():
            if tranche.paid_on is not None or (until is not None and tranche.due_date > until):
                continue
            tranche.agreement = agreement
            day = min(max(tranche.due_date, agreement.signed_on), today)
            payments.append(Payment(tranche, day, tranche.amount))
    # One batch per agreement keeps each demo transfer a separate, ordinary use of the service.
    by_agreement: dict[int, list[Payment]] = {}
    for payment in payments:
        by_agreement.setdefault(payment.tranche.agreement_id, []).append(payment)
    for batch in by_agreement.values():
        tranches_pay(payments=batch, actor=actor)
    return len(payments)


def demo_actor(authority):
    staff = AuthorityStaff.objects.filter(authority=authority).select_related("user").order_by("pk").first()
    return staff.user if staff else None


def seed_payments(authority) -> int:
    """Transfers for the authority's signed agreements (idempotent: paid tranches are left alone)."""
    actor = demo_actor(authority)
    signed = (
        Agreement.objects.filter(authority=authority, status=Agreement.Status.SIGNED, signed_on__isnull=False)
        .prefetch_related("tranches")
        .order_by("number")
    )
    closed = [a for a in signed if a.start_date.year <= CLOSED_YEAR]
    open_years = [a for a in signed if a.start_date.year > CLOSED_YEAR]
    paid = pay_tranches(closed, actor)
    cutoff = timezone.localdate() - timedelta(days=14)
    return paid + pay_tranches(open_years, actor, until=cutoff, skip_every=6)
