"""Demo small grants (art. 19a) and own-initiative offers (art. 12), consistent with every limit.

Small scale: a handful, one in each stage (one open for comments now, one overdue, one awarded with its agreement).
City scale: about 80, some near each limit (10 000,00 zł grants, 90-day tasks, organisations at 20 000 zł a year,
the 2027 total a little under the 20 % cap).
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import AuthorityStaff
from organisations.demo import site_organisations
from organisations.models import Organisation
from organisations.services import organisation_verify

from .demo import _authors
from .models import (
    Award,
    CostItem,
    DirectOffer,
    Offer,
    OfferVersion,
    OwnInitiativeAssessment,
    PublicComment,
    SmallGrantPublication,
)
from .services import budget_charges
from .services.agreements import agreement_create
from .small_grant_rules import cap_gauge
from .snapshot import checksum, offer_snapshot
from .workdays import add_working_days

TASKS = [
    ("Sąsiedzki piknik rodzinny", "Piknik dla mieszkańców osiedla: gry, warsztaty i koncert na boisku szkolnym."),
    ("Warsztaty rękodzieła dla seniorów", "Cykl 10 warsztatów w klubie seniora; materiały i prowadzący."),
    ("Turniej piłki nożnej dzieci", "Jednodniowy turniej dla 12 drużyn szkolnych; sędziowie, nagrody, woda."),
    ("Sprzątanie brzegów rzeki", "Akcja ekologiczna z udziałem wolontariuszy; worki, rękawice, wywóz odpadów."),
    ("Koncert kolęd w parafii", "Koncert chóru i orkiestry dla mieszkańców; nagłośnienie i druk zaproszeń."),
    ("Kurs pierwszej pomocy dla młodzieży", "Trzy spotkania z ratownikiem; manekiny i certyfikaty."),
    ("Festyn z okazji Dnia Dziecka", "Atrakcje dla dzieci w parku miejskim; dmuchańce, animatorzy."),
    ("Wycieczka historyczna dla uczniów", "Wyjazd do muzeum regionalnego; przewodnik i autokar."),
]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


class _Seeder:
    def __init__(self, authority, rng: random.Random, organisations: list[Organisation]):
        self.authority = authority
        self.rng = rng
        self.organisations = organisations
        self.authors = _authors(organisations)
        staff = AuthorityStaff.objects.filter(authority=authority).select_related("user")
        self.decider = next((s.user for s in staff if s.can_decide), None) or next(s.user for s in staff)
        self.count = 0

    def offer(
        self,
        organisation: Organisation,
        *,
        kind: str = Offer.Kind.SMALL_GRANT,
        amount: Decimal,
        start: date | None,
        days: int,
        received: datetime | None,
        task: int | None = None,
    ) -> Offer:
        author = self.authors[organisation.pk]
        title, synopsis = TASKS[self.rng.randrange(len(TASKS)) if task is None else task]
        small_grant = kind == Offer.Kind.SMALL_GRANT
        # A small grant asks for ``amount`` with 10 % own contribution; an own-initiative offer estimates ``amount``.
        own = (amount * Decimal("0.1")).quantize(Decimal("1")) if small_grant else Decimal("0")
        offer = Offer.objects.create(
            kind=kind,
            call=None,
            organisation=organisation,
            status=Offer.Status.DRAFT,
            created_by=author,
            updated_by=author,
            contact_name=author.get_full_name(),
            contact_email=author.email,
            title=f"{title} – {organisation.city}" if small_grant else f"Propozycja: {title.lower()}",
            start_date=start if small_grant else None,
            end_date=start + timedelta(days=days - 1) if small_grant and start else None,
            synopsis=synopsis,
            results_description="Co najmniej 100 uczestników; relacja na stronie organizacji." if small_grant else "",
            grant_amount=amount if small_grant else Decimal("0"),
            own_financial=own if small_grant else Decimal("0"),
            tax_arrears="none" if small_grant else "",
            social_insurance_arrears="none" if small_grant else "",
            declarations_confirmed=small_grant,
        )
        DirectOffer.objects.create(offer=offer, authority=self.authority, year=start.year if start else None)
        half = (amount / 2).quantize(Decimal("0.01"))
        CostItem.objects.bulk_create(
            [
                CostItem(
                    offer=offer,
                    order=1,
                    name="Wynajem sprzętu i usługi",
                    unit="usługa",
                    unit_cost=half + own,
                    quantity=Decimal("1"),
                    from_grant=half if small_grant else None,
                ),
                CostItem(
                    offer=offer,
                    order=2,
                    name="Materiały i nagrody",
                    unit="komplet",
                    unit_cost=amount - half,
                    quantity=Decimal("1"),
                    from_grant=amount - half if small_grant else None,
                ),
            ]
        )
        self.count += 1
        if received is None:
            return offer
        data = offer_snapshot(offer)
        version = OfferVersion.objects.create(
            offer=offer,
            number=1,
            revision=offer.revision,
            data=data,
            sha256=checksum(data),
            documents=OfferVersion.Documents.ON_DEMAND,  # laid out from the frozen data when first asked for
            grant_amount=offer.grant_amount,
            total_cost=offer.cost_totals()["total"],
            receipt_number=f"OF/{timezone.localtime(received).year}/{offer.pk:06d}/1",
            submitted_at=received,
            submitted_by=author,
        )
        offer.current_version, offer.status = version, Offer.Status.SUBMITTED
        offer.save(update_fields=["current_version", "status"])
        return offer

    def publish(self, offer: Offer, at: datetime) -> SmallGrantPublication:
        offer.status = Offer.Status.FORMALLY_ACCEPTED
        offer.save(update_fields=["status"])
        return SmallGrantPublication.objects.create(
            offer=offer,
            published_at=at,
            comments_until=SmallGrantPublication.period_end(at),
            bip_url=self.authority.bip_url,
            published_by=self.decider,
        )

    def comment(self, offer: Offer, at: datetime, considered: bool) -> None:
        PublicComment.objects.create(
            offer=offer,
            name="Anna Mieszkańska",
            email="anna.mieszkanska@example.pl",
            text="Dobry pomysł, ale proszę zadbać o dostępność dla osób z niepełnosprawnościami.",
            created_at=at,
            consideration="Uwzględniono: oferent zapewni podjazd i miejsca siedzące." if considered else "",
            considered_at=at + timedelta(days=8) if considered else None,
            considered_by=self.decider if considered else None,
        )

    def decide(self, offer: Offer, publication: SmallGrantPublication, amount: Decimal | None, reasons: str = ""):
        at = publication.comments_until + timedelta(days=2)
        award = Award.objects.create(
            offer=offer,
            call=None,
            status=Award.Status.GRANTED if amount else Award.Status.REFUSED,
            requested_amount=offer.current_version.grant_amount,
            amount=amount,
            reasons=reasons,
            decided_at=at,
            decided_by=self.decider,
        )
        publication.decision_published_at = at
        publication.save(update_fields=["decision_published_at"])
        return award

    def awarded(self, organisation, amount: Decimal, start: date, days: int = 60) -> Award:
        received = _at(start - timedelta(days=40))
        offer = self.offer(organisation, amount=amount, start=start, days=days, received=received)
        publication = self.publish(offer, _at(add_working_days(received.date(), 3), 9))
        return self.decide(offer, publication, amount)


@transaction.atomic
def seed_small_grants(authority, scale: str, site=None) -> int:
    """Idempotent: nothing happens if the authority already has offers outside calls."""
    if DirectOffer.objects.filter(authority=authority).exists():
        return 0
    rng = random.Random(19)
    organisations = list(site_organisations(site).order_by("pk")[:12])
    if len(organisations) < 6:
        return 0
    seeder = _Seeder(authority, rng, organisations)
    now = timezone.now()
    today = timezone.localdate()
    orgs = iter(organisations)

    # The closed year 2025: decided small grants.
    seeder.awarded(next(orgs), Decimal("10000.00"), date(2025, 5, 5), days=90)
    seeder.awarded(next(orgs), Decimal("8500.00"), date(2025, 6, 2))
    # 2027: every stage of the procedure.
    pipeline = next(orgs)
    # Open for comments now, with one comment.
    open_now = seeder.offer(pipeline, amount=Decimal("6000.00"), start=date(2027, 4, 1), days=60, received=now)
    seeder.publish(open_now, now - timedelta(days=2))
    seeder.comment(open_now, now - timedelta(days=1), considered=False)
    OfferVersion.objects.filter(offer=open_now).update(submitted_at=now - timedelta(days=4))
    # Waiting for publication (received yesterday) and overdue (received three weeks ago).
    seeder.offer(next(orgs), amount=Decimal("4500.00"), start=date(2027, 3, 1), days=30, received=now - timedelta(1))
    seeder.offer(next(orgs), amount=Decimal("9000.00"), start=date(2027, 5, 3), days=89, received=now - timedelta(21))
    # Comment period over: to consider and decide.
    closed = seeder.offer(
        next(orgs), amount=Decimal("7000.00"), start=date(2027, 4, 12), days=45, received=now - timedelta(20)
    )
    seeder.publish(closed, now - timedelta(days=12))
    seeder.comment(closed, now - timedelta(days=10), considered=False)
    # Awarded, with the agreement drafted.
    awarded_org = next(orgs)
    award = seeder.awarded(awarded_org, Decimal("7500.00"), date(2027, 3, 15))
    # Refused, with reasons.
    refused = seeder.offer(
        next(orgs), amount=Decimal("5000.00"), start=date(2027, 6, 1), days=30, received=now - timedelta(30)
    )
    seeder.decide(
        refused, seeder.publish(refused, now - timedelta(days=25)), None, "Zadanie nie ma charakteru lokalnego."
    )
    # Own initiative: one waiting, one assessed.
    seeder.offer(
        pipeline,
        kind=Offer.Kind.OWN_INITIATIVE,
        amount=Decimal("24000"),
        start=None,
        days=0,
        received=now - timedelta(9),
    )
    assessed = seeder.offer(
        next(orgs),
        kind=Offer.Kind.OWN_INITIATIVE,
        amount=Decimal("36000"),
        start=None,
        days=0,
        received=now - timedelta(40),
    )
    assessed.status = Offer.Status.FORMALLY_ACCEPTED
    assessed.save(update_fields=["status"])
    OwnInitiativeAssessment.objects.create(
        offer=assessed,
        outcome=OwnInitiativeAssessment.Outcome.WORTHWHILE,
        commissioning_mode=OwnInitiativeAssessment.CommissioningMode.OPEN_CALL,
        planned_call_date=date(today.year + 1, 2, 1),
        reasons="Zadanie zgodne z priorytetami programu; środki zaplanowano w budżecie na przyszły rok.",
        decided_at=now - timedelta(days=15),
        decided_by=seeder.decider,
        informed_at=now - timedelta(days=15),
    )

    if scale == "city":
        # 2025: 45 grants; five organisations reach exactly 20 000 zł (two of 10 000,00 zł, 90 days each). They are
        # taken past the first 200 organisations, which reports/demo.py gives its own 2025 small grants.
        rest = list(site_organisations(site).order_by("pk")[200:260])
        seeder.authors.update(_authors(rest))
        for org in rest[:5]:
            seeder.awarded(org, Decimal("10000.00"), date(2025, 3, 3), days=90)
            seeder.awarded(org, Decimal("10000.00"), date(2025, 8, 4), days=90)
        for n, org in enumerate(rest[5:40]):
            seeder.awarded(org, Decimal(rng.randrange(2000, 9900, 100)), date(2025, 3 + n % 8, 1 + n % 20))
        # 2027: grants up to a little under the 20 % cap.
        gauge = cap_gauge(authority.pk, 2027, today)
        room = gauge.get("remaining", Decimal("0")) - Decimal("1500.00")
        for n, org in enumerate(rest[5:40]):
            if room < Decimal("2000"):
                break
            amount = min(Decimal("10000.00"), room)
            seeder.awarded(org, amount, date(2027, 2 + n % 9, 1), days=90 if n % 3 == 0 else 60)
            room -= amount
    if not award.offer.organisation.is_verified:  # the office checks the organisation before the agreement
        organisation_verify(organisation=award.offer.organisation, actor=seeder.decider)
    agreement_create(award=award, actor=seeder.decider, budget_lines=_office_charges(authority, award))
    return seeder.count


def _office_charges(authority, award: Award) -> list[budget_charges.Charge]:
    """The budget line the office confirms for a small grant: the portal's default, else – when no single line is
    obvious – the line of the organisation's area the office picks (the first matching one, or the first line)."""
    year, amount = award.offer.start_date.year, award.amount
    lines = budget_charges.chargeable_lines(authority.pk, [year])
    charges = budget_charges.default_charges(award, {year: amount}, lines)
    if charges or not lines.get(year):
        return charges
    areas = budget_charges.served_areas(award.offer)
    candidates = lines[year]
    matching = [line for line in candidates if {a.pk for a in line.priority_area.task_areas.all()} & areas]
    return [budget_charges.Charge((matching or candidates)[0].pk, year, amount)]
