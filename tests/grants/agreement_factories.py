"""Signed agreements made directly (award, offer version, cost lines, tranches), without the agreement service."""

import itertools
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from grants.models import (
    Agreement,
    AgreementBudgetLine,
    AgreementCostLine,
    Award,
    CallBudgetLine,
    DirectOffer,
    Offer,
    OfferVersion,
    Tranche,
)
from tests.accounts.factories import AuthorityFactory, UserFactory

_numbers = itertools.count(1)

RESULTS = [
    {"number": 1, "name": "Uczestnicy zajęć", "target": "60 dzieci", "monitoring": "listy obecności"},
    {"number": 2, "name": "Turnieje", "target": "4 turnieje", "monitoring": "relacje"},
]
# (category, name, total, from grant) – 10 000,00 zł of grant in 11 250,00 zł of costs.
LINES = [
    ("I", "Wynagrodzenie trenera", "8000.00", "7000.00"),
    ("I", "Piłki i sprzęt", "2250.00", "2000.00"),
    ("II", "Księgowość", "1000.00", "1000.00"),
]


def make_agreement(
    *,
    organisation,
    call=None,
    kind: str = Offer.Kind.OPEN_CALL,
    mode: str = "support",
    status: str = Agreement.Status.SIGNED,
    year: int = 2025,
    start: date | None = None,
    end: date | None = None,
    lines=LINES,
    grant: Decimal | None = None,
    threshold: Decimal = Decimal("10"),
    tranches: list[tuple[str, date | None]] | None = None,
    results=RESULTS,
    author=None,
    authority=None,
    charges: list[tuple] | None = None,
) -> Agreement:
    """``charges`` = (budget line, amount) of the start year; by default a call's agreement is charged in full to the
    call's first budget line."""
    n = next(_numbers)
    author = author or UserFactory()
    if kind == Offer.Kind.OPEN_CALL and call is None:
        from tests.grants.factories import OpenCallFactory

        call = OpenCallFactory()
    start = start or date(year, 3, 1)
    end = end or date(year, 11, 30)
    grant = grant if grant is not None else sum((Decimal(g) for *_, g in lines), Decimal("0"))
    total = sum((Decimal(t) for _, _, t, _ in lines), Decimal("0"))
    offer = Offer.objects.create(
        kind=kind,
        call=call,
        organisation=organisation,
        mode=mode,
        status=Offer.Status.FORMALLY_ACCEPTED,
        created_by=author,
        updated_by=author,
        title=f"Zadanie {n}",
        start_date=start,
        end_date=end,
        grant_amount=grant,
    )
    version = OfferVersion.objects.create(
        offer=offer,
        number=1,
        revision=1,
        data={"III": {"title": offer.title, "results": list(results)}},
        sha256="0" * 64,
        grant_amount=grant,
        total_cost=total,
        receipt_number=f"TEST/{n:06d}",
        submitted_at=timezone.make_aware(datetime(year, 1, 10, 12)),
        submitted_by=author,
    )
    offer.current_version = version
    offer.save(update_fields=["current_version"])
    authority = call.authority if call else (authority or AuthorityFactory())
    if call is None:
        DirectOffer.objects.create(offer=offer, authority=authority, year=start.year)
    award = Award.objects.create(
        offer=offer,
        call=call,
        status=Award.Status.GRANTED,
        requested_amount=grant,
        amount=grant,
        decided_at=timezone.make_aware(datetime(year, 2, 1, 12)),
    )
    agreement = Agreement.objects.create(
        authority=authority,
        organisation=organisation,
        award=award,
        version=version,
        number=f"UM/{year}/{n}",
        status=status,
        mode=mode,
        title=offer.title,
        start_date=start,
        end_date=end,
        grant_amount=grant,
        own_financial=total - grant,
        total_cost=total,
        deviation_threshold_pct=threshold,
        authority_representatives="Jan Burmistrz – Burmistrz",
        organisation_representatives="Anna Prezes – Prezes Zarządu",
        place="Konstancin-Jeziorna",
        signed_on=None if status == Agreement.Status.DRAFT else date(year, 2, 15),
        created_by=author,
    )
    AgreementCostLine.objects.bulk_create(
        AgreementCostLine(
            agreement=agreement,
            order=order,
            category=category,
            name=name,
            total=Decimal(total_),
            from_grant=Decimal(from_grant),
        )
        for order, (category, name, total_, from_grant) in enumerate(lines, start=1)
    )
    if charges is None and call is not None:
        first = CallBudgetLine.objects.filter(call=call).order_by("pk").first()
        charges = [(first.budget_line, grant)] if first else []
    for line, amount in charges or []:
        AgreementBudgetLine.objects.create(
            agreement=agreement, budget_line=line, year=start.year, amount=Decimal(amount)
        )
    if tranches is None:
        # By default the whole grant was paid in one tranche on the first day (none for a draft); pass [] for none.
        tranches = [] if status == Agreement.Status.DRAFT else [(grant, start)]
    for number, (amount, paid_on) in enumerate(tranches, start=1):
        Tranche.objects.create(
            agreement=agreement, number=number, amount=Decimal(amount), due_date=start, paid_on=paid_on
        )
    return agreement
