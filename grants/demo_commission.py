"""Demo commissions: five members per call in commission review or later, declarations and submitted cards.

``small`` adds call OK/2025/2 in commission review where komisja@portal.example.pl (the chair) still has cards
to score; ``city`` gives every call in commission review, decided or finished a commission, built in bulk.
One member is excluded in one call (a declared conflict), as happens in real commissions.
"""

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email, demo_user
from accounts.models import User
from organisations.demo import site_organisations
from programmes.models import Programme

from .demo import TASKS, _aware, _call, _offer
from .models import (
    Commission,
    CommissionMember,
    Criterion,
    ImpartialityDeclaration,
    Offer,
    OpenCall,
    Score,
    ScoreCard,
)
from .services.scoring import exclusion_reason_text, participating_organisation_ids, scorable_offers

M = CommissionMember.Capacity
COMMISSION_DEMO_USERS = [
    # (email, first name, last name, capacity, role description printed by demo_logins)
    ("komisja@portal.example.pl", "Krystyna", "Sędziwa", M.AUTHORITY, "przewodnicząca komisji konkursowej"),
    ("komisja.urzad@portal.example.pl", "Marek", "Lisowski", M.AUTHORITY, "członek komisji (przedstawiciel organu)"),
    ("komisja.urzad2@portal.example.pl", "Barbara", "Sowińska", M.AUTHORITY, "członek komisji (przedstawiciel organu)"),
    ("komisja.ngo@portal.example.pl", "Olga", "Krukowska", M.NGO, "członek komisji wskazany przez organizacje"),
    ("komisja.ekspert@portal.example.pl", "Piotr", "Wróblewski", M.EXPERT, "ekspert komisji (głos doradczy)"),
]
RESERVE = ("komisja.rezerwa@portal.example.pl", "Tomasz", "Dębowski", M.AUTHORITY)
REMARKS = [
    "Oferta spójna: działania, harmonogram i kosztorys odpowiadają celowi zadania.",
    "Rzetelna kalkulacja kosztów; rezultaty mierzalne, warto doprecyzować sposób rekrutacji uczestników.",
    "Doświadczona kadra i dobre zaplecze; wkład osobowy wolontariuszy opisany szczegółowo.",
    "Koszty osobowe wysokie w stosunku do zakresu rzeczowego; rezultaty opisane ogólnie.",
    "Oferent terminowo rozliczał wcześniejsze dotacje; zadanie dobrze wpisuje się w potrzeby mieszkańców.",
    "Harmonogram napięty, ale wykonalny; proponuję niższą kwotę na materiały.",
]
SCORED_STATUSES = [OpenCall.Status.COMMISSION_REVIEW, OpenCall.Status.DECIDED, OpenCall.Status.FINISHED]


def _users(site=None) -> tuple[list[tuple[User, str]], User]:
    people = []
    for email, first, last, capacity, _role in COMMISSION_DEMO_USERS + [(*RESERVE, "")]:
        user = demo_user(
            demo_email(email, site),
            first,
            last,
            is_active=True,
            email_confirmed_at=timezone.now(),
        )
        people.append((user, capacity))
    return people[:-1], people[-1][0]


def _small_call(authority, site=None) -> None:
    """OK/2025/2: a call in commission review with five accepted offers, for the chair to finish scoring."""
    if OpenCall.objects.filter(authority=authority, number="OK/2025/2").exists():
        return
    programme = Programme.objects.get(authority=authority, year_from=2025)
    title, codes = TASKS[1]
    call = _call(
        programme,
        "OK/2025/2",
        title,
        codes,
        deadline=_aware(date(2025, 1, 15)),
        status=OpenCall.Status.COMMISSION_REVIEW,
        funds=Decimal("60000"),
    )
    rng = random.Random(2)
    eligible = [
        o
        for o in site_organisations(site).order_by("pk").prefetch_related("areas", "memberships__user")
        if set(codes) & {a.code for a in o.areas.all()}
    ][:5]
    for index, organisation in enumerate(eligible):
        membership = organisation.memberships.all()[:1]
        author = (
            membership[0].user if membership else User.objects.get(email=demo_email("urzednik@portal.example.pl", site))
        )
        _offer(call, organisation, author, rng, Offer.Status.FORMALLY_ACCEPTED, index)


def _points(rng: random.Random, quality: float, max_points: int) -> Decimal:
    value = max(0.0, min(1.0, quality + rng.uniform(-0.15, 0.15))) * max_points
    return Decimal(str(round(value * 2) / 2))


@transaction.atomic
def seed_commissions(authority, scale: str, site=None) -> int:
    """Commissions for the demo calls; returns the number of score cards created. Idempotent."""
    if scale == "small":
        _small_call(authority, site)
    people, reserve = _users(site)
    appointer = User.objects.filter(staff_roles__authority=authority).order_by("pk").first() or people[0][0]
    calls = list(
        OpenCall.objects.filter(authority=authority, status__in=SCORED_STATUSES, commission__isnull=True).order_by(
            "submission_deadline", "number"
        )
    )
    organisations = list(site_organisations(site).order_by("pk").values_list("pk", flat=True)[:50])
    rng = random.Random(2026)
    created = 0
    for position, call in enumerate(calls):
        offers = list(scorable_offers(call).select_related("current_version").order_by("pk"))
        criteria = list(Criterion.objects.filter(call=call))
        participating = participating_organisation_ids(call)
        nominator = next((pk for pk in organisations if pk not in participating), None)
        start = call.submission_deadline + timedelta(days=10)
        scoring_now = call.status == OpenCall.Status.COMMISSION_REVIEW
        # The small demo's OK/2025/2 (and every other call in review at city scale) is still being scored.
        commission = Commission.objects.create(
            call=call,
            status=Commission.Status.SCORING if scoring_now else Commission.Status.CLOSED,
            min_score=Decimal("20"),
            scoring_started_at=start,
            closed_at=None if scoring_now else start + timedelta(days=10),
            created_at=call.submission_deadline - timedelta(days=5),
        )
        seats = [
            CommissionMember(
                commission=commission,
                user=user,
                capacity=capacity,
                is_chair=index == 0,
                nominated_by_id=nominator if capacity == M.NGO else None,
                appointed_at=commission.created_at,
                appointed_by=appointer,
            )
            for index, (user, capacity) in enumerate(people)
            if capacity != M.NGO or nominator is not None
        ]
        excluded = None
        if position == 0:
            excluded = CommissionMember(
                commission=commission,
                user=reserve,
                capacity=M.AUTHORITY,
                appointed_at=commission.created_at,
                appointed_by=appointer,
                excluded_at=start - timedelta(days=1),
            )
            seats.append(excluded)
        CommissionMember.objects.bulk_create(seats)
        declarations = []
        for seat in seats:
            conflict = seat is excluded
            declarations.append(
                ImpartialityDeclaration(
                    member=seat,
                    grounds=["relative"] if conflict else [],
                    explanation="Prezes jednego z oferentów jest moim szwagrem." if conflict else "",
                    signed_at=start - timedelta(days=1),
                )
            )
        ImpartialityDeclaration.objects.bulk_create(declarations)
        if excluded is not None:
            excluded.exclusion_reason = exclusion_reason_text(declarations[-1])
            excluded.save(update_fields=["exclusion_reason"])
        cards, points = [], []
        active = [seat for seat in seats if seat is not excluded]
        for offer in offers:
            quality = rng.uniform(0.35, 0.95)
            requested = offer.current_version.grant_amount
            for seat in active:
                # In review the chair (komisja@) has the last two offers still to score; others are done.
                pending = scoring_now and seat.is_chair and offer in offers[-2:]
                card_points = [_points(rng, quality, c.max_points) for c in criteria]
                lower = quality < 0.6 and seat.capacity != M.EXPERT and rng.random() < 0.7
                card = ScoreCard(
                    member=seat,
                    offer=offer,
                    status=ScoreCard.Status.DRAFT if pending else ScoreCard.Status.SUBMITTED,
                    total=Decimal("0") if pending else sum(card_points, start=Decimal("0")),
                    proposed_amount=(requested * Decimal("0.8")).quantize(Decimal("100"), ROUND_HALF_UP)
                    if lower and not pending
                    else None,
                    remarks="" if pending else rng.choice(REMARKS),
                    updated_at=start + timedelta(days=3),
                    submitted_at=None if pending else start + timedelta(days=rng.randint(2, 9)),
                )
                cards.append(card)
                points.append([] if pending else card_points)
        ScoreCard.objects.bulk_create(cards, batch_size=2000)
        Score.objects.bulk_create(
            (
                Score(card=card, criterion=criterion, points=value, justification="")
                for card, card_points in zip(cards, points, strict=True)
                for criterion, value in zip(criteria, card_points, strict=False)
            ),
            batch_size=5000,
        )
        created += len(cards)
    return created
