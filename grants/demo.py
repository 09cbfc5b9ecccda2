"""Demo calls and offers. ``small``: a call open now, one in formal review, one decided. ``city``: about 40
calls and 1 500 offers across statuses (quality.md's city scale), built in bulk.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from organisations.models import Membership, Organisation, PublicTaskArea
from programmes.models import BudgetLine, Programme

from .models import (
    Activity,
    CallBudgetLine,
    CostItem,
    Criterion,
    DefectNotice,
    FormalReview,
    Offer,
    OfferVersion,
    OpenCall,
    RequiredAttachment,
    Result,
)
from .services.calls import budget_line_remaining
from .snapshot import checksum, offer_snapshot

TASKS = [
    ("Upowszechnianie kultury fizycznej wśród dzieci i młodzieży", ["17", "15"]),
    ("Organizacja wypoczynku letniego dzieci i młodzieży", ["15", "14"]),
    ("Profilaktyka uzależnień – świetlice socjoterapeutyczne", ["32", "6"]),
    ("Wsparcie osób starszych – kluby seniora", ["10", "1"]),
    ("Edukacja ekologiczna i opieka nad zwierzętami bezdomnymi", ["18"]),
    ("Wydarzenia kulturalne i ochrona dziedzictwa lokalnego", ["16", "4"]),
    ("Turystyka i krajoznawstwo – rajdy i wycieczki", ["19"]),
    ("Ratownictwo wodne i ochrona ludności", ["23", "20"]),
]
CRITERIA = [
    ("Możliwość realizacji zadania przez oferenta", 1, 10),
    ("Kalkulacja kosztów w odniesieniu do zakresu rzeczowego", 2, 10),
    ("Jakość wykonania i kwalifikacje osób", 3, 10),
    ("Udział środków własnych i z innych źródeł", 4, 5),
    ("Wkład rzeczowy i osobowy, w tym wolontariat", 5, 5),
    ("Rzetelność i terminowość realizacji wcześniejszych zadań", 6, 5),
]
ZONE = timezone.get_current_timezone


def _aware(day: date, hour: int = 15, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE())


def _call(
    programme: Programme,
    number: str,
    title: str,
    codes: list[str],
    *,
    deadline: datetime,
    status: str,
    funds: Decimal,
    require_statute: bool = False,
) -> OpenCall:
    published = timezone.localtime(deadline).date() - timedelta(days=28)
    year = programme.year_from
    call, created = OpenCall.objects.get_or_create(
        authority=programme.authority,
        number=number,
        defaults={
            "programme": programme,
            "title": title,
            "status": status,
            "task_description": f"{title}: zadanie realizowane na terenie gminy w roku {year}.",
            "award_rules": "Dotacje przyznaje Prezydent Miasta po zapoznaniu się z opinią komisji konkursowej. "
            "Dotacja może być niższa niż wnioskowana.",
            "delivery_terms": "Zadanie realizuje się na rzecz mieszkańców gminy, zgodnie z ofertą i umową.",
            "delivery_start": date(year, 2, 1),
            "delivery_end": date(year, 12, 15),
            "selection_procedure": "Oferty poprawne formalnie ocenia komisja konkursowa według kryteriów poniżej.",
            "decision_date": timezone.localtime(deadline).date() + timedelta(days=30),
            "min_grant": Decimal("2000"),
            "max_grant": Decimal("40000"),
            "min_own_contribution_pct": Decimal("10"),
            "admin_cost_cap_pct": Decimal("10"),
            "published_bip_on": published,
            "published_board_on": published,
            "published_website_on": published,
            "submission_deadline": deadline,
        },
    )
    if created:
        call.task_areas.set(PublicTaskArea.objects.filter(code__in=codes))
        # Draw on the line with the most left, never more than is left (the rule call_allocate enforces).
        remaining = {line: budget_line_remaining(line) for line in programme.budget_lines.all()}
        line = max(remaining, key=lambda candidate: (remaining[candidate], -candidate.number))
        if remaining[line] > 0:
            CallBudgetLine.objects.create(call=call, budget_line=line, amount=min(funds, remaining[line]))
        Criterion.objects.bulk_create(
            Criterion(call=call, order=i, name=n, dimension=d, max_points=p) for i, (n, d, p) in enumerate(CRITERIA, 1)
        )
        if require_statute:
            RequiredAttachment.objects.create(call=call, name="Aktualny statut organizacji")
    return call


def _fill(offer: Offer, rng: random.Random, grant: Decimal) -> None:
    """Consistent offer content: V.A = grant + 15% own contribution, administrative costs 5%.

    The amounts are set on ``offer`` before it is saved; the activities, results and costs are saved once it is.
    """
    year = offer.call.delivery_start.year
    budget = (grant / Decimal("0.85")).quantize(Decimal("0.01"))
    hours = rng.randint(60, 200)
    rate = ((budget * Decimal("0.95") - 1000) / hours).quantize(Decimal("0.01"))
    offer._demo_rows = [
        *[
            Activity(
                offer=offer,
                number=1,
                name="Zajęcia regularne",
                description="Zajęcia dwa razy w tygodniu.",
                target_group="mieszkańcy gminy",
                period=f"03–11.{year}",
            ),
            Activity(
                offer=offer,
                number=2,
                name="Wydarzenie podsumowujące",
                target_group="uczestnicy i rodziny",
                period=f"11.{year}",
            ),
        ],
        Result(
            offer=offer,
            number=1,
            name="Uczestnicy zajęć",
            target=f"{rng.randint(20, 120)} osób",
            monitoring="listy obecności",
        ),
    ]
    admin = (budget * Decimal("0.05")).quantize(Decimal("0.01"))
    costs = [
        CostItem(
            offer=offer,
            category="I",
            activity_number=1,
            order=1,
            name="Wynagrodzenie prowadzących",
            unit="godz.",
            unit_cost=rate,
            quantity=Decimal(hours),
        ),
        CostItem(
            offer=offer,
            category="I",
            activity_number=2,
            order=1,
            name="Materiały i nagrody",
            unit="kpl.",
            unit_cost=Decimal("500.00"),
            quantity=Decimal("2"),
        ),
        CostItem(
            offer=offer,
            category="II",
            activity_number=None,
            order=1,
            name="Obsługa księgowa",
            unit="usł.",
            unit_cost=admin,
            quantity=Decimal("1"),
        ),
    ]
    offer._demo_rows += costs
    total = sum((c.total for c in costs), start=Decimal("0"))
    offer.grant_amount = min(grant, total)
    own = total - offer.grant_amount
    offer.own_financial = (own * Decimal("0.4")).quantize(Decimal("0.01"))
    offer.own_personal = own - offer.own_financial


def _save_rows(offer: Offer) -> None:
    for model in (Activity, Result, CostItem):
        rows = [row for row in offer._demo_rows if isinstance(row, model)]
        for row in rows:
            row.offer = offer  # the offer has its key now
        model.objects.bulk_create(rows)


def _offer(
    call: OpenCall, organisation: Organisation, author: User, rng: random.Random, status: str, number: int
) -> Offer:
    year = call.delivery_start.year
    offer = Offer(
        call=call,
        organisation=organisation,
        mode=call.mode,
        status=Offer.Status.DRAFT,
        created_by=author,
        updated_by=author,
        contact_name=author.get_full_name(),
        contact_email=author.email,
        title=f"{call.title.split(' – ')[0]} – {organisation.city} {year}",
        start_date=date(year, 3, 1),
        end_date=date(year, 11, 30),
        synopsis="Zadanie dla mieszkańców gminy; zajęcia w lokalu organizacji.",
        results_description="Uczestnicy regularnie biorą udział w zajęciach.",
        previous_activity="Organizacja działa od kilku lat w tej dziedzinie.",
        resources="Doświadczona kadra.",
        tax_arrears="none",
        social_insurance_arrears="none",
        declarations_confirmed=True,
    )
    _fill(offer, rng, Decimal(rng.randrange(3000, 40000, 500)))  # the amounts, before the offer is saved once
    offer.save()
    _save_rows(offer)
    if status == Offer.Status.DRAFT:
        return offer
    data = offer_snapshot(offer)
    submitted = call.submission_deadline - timedelta(hours=rng.randint(1, 240))
    version = OfferVersion.objects.create(
        offer=offer,
        number=1,
        revision=offer.revision,
        data=data,
        sha256=checksum(data),
        documents=OfferVersion.Documents.ON_DEMAND,  # laid out from the frozen data when first asked for
        grant_amount=offer.grant_amount,
        total_cost=Decimal(data["V"]["totals"]["total"]),
        receipt_number=f"OF/{timezone.localtime(submitted).year}/{offer.pk:06d}/1",
        submitted_at=submitted,
        submitted_by=author,
    )
    offer.current_version, offer.status = version, status
    offer.save(update_fields=["current_version", "status"])
    outcome = {
        Offer.Status.FORMALLY_ACCEPTED: "passed",
        Offer.Status.FORMALLY_REJECTED: "rejected",
        Offer.Status.DEFECT_NOTICE: "defects",
    }.get(status)
    if outcome:
        review = FormalReview.objects.create(
            offer=offer,
            version=version,
            outcome=outcome,
            reviewer=author,
            checklist=FormalReview.all_confirmed()
            | {"statutory_area": outcome != "rejected", "signatories": outcome != "defects"},
            reasons={
                "passed": "",
                "rejected": "Działalność statutowa poza sferą zadania.",
                "defects": "Brak podpisu drugiego członka zarządu.",
            }[outcome],
            decided_at=call.submission_deadline + timedelta(days=3),
        )
        if outcome == "defects":
            DefectNotice.objects.create(offer=offer, review=review, deadline=timezone.now() + timedelta(days=5))
    return offer


def _authors(organisations: list[Organisation]) -> dict[int, User]:
    """One person acting for each offering organisation (created once, no usable password)."""
    existing = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(organisation__in=organisations).select_related("user")
    }
    missing = [o for o in organisations if o.pk not in existing]
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"osoba.{o.pk}@organizacja.example.pl",
            first_name="Osoba",
            last_name=f"Kontaktowa {o.pk}",
            password=password,
            email_confirmed_at=timezone.now(),
        )
        for o in missing
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=o, role="admin") for u, o in zip(users, missing, strict=True)
    )
    existing.update({o.pk: u for u, o in zip(users, missing, strict=True)})
    return existing


# Most of the closed year's calls are decided, so that the year has about 600 agreements (quality.md).
CITY_PAST_STATUSES = [
    OpenCall.Status.FORMAL_REVIEW,
    OpenCall.Status.COMMISSION_REVIEW,
    *[OpenCall.Status.DECIDED, OpenCall.Status.FINISHED, OpenCall.Status.FINISHED] * 4,
    OpenCall.Status.DECIDED,
    OpenCall.Status.FINISHED,
]
CITY_CALL_FUNDS = Decimal("550000")
CITY_BUDGET_FACTOR = 20


def _scale_to_city(programme: Programme) -> None:
    """At city scale the closed year has a large city's budget (Białystok 2013: about 20 mln zł, quality.md).

    The small demo keeps S2's 1 000 000 zł exactly; only ``--scale city`` multiplies the lines, once.
    """
    lines = list(programme.budget_lines.all())
    if not programme.open_calls.exists() and sum(line.planned_amount for line in lines) < 2_000_000:
        for line in lines:
            line.planned_amount *= CITY_BUDGET_FACTOR
        BudgetLine.objects.bulk_update(lines, ["planned_amount"])


STATUS_MIX = [
    (Offer.Status.FORMALLY_ACCEPTED, 60),
    (Offer.Status.SUBMITTED, 20),
    (Offer.Status.FORMALLY_REJECTED, 8),
    (Offer.Status.DEFECT_NOTICE, 5),
    (Offer.Status.DRAFT, 7),
]


@transaction.atomic
def seed_calls(authority, scale: str, site=None) -> int:
    from organisations.demo import site_organisations

    rng = random.Random(2027)
    past = Programme.objects.get(authority=authority, year_from=2025)
    upcoming = Programme.objects.get(authority=authority, year_from=2027)
    now = timezone.now()
    organisations = list(site_organisations(site).order_by("pk").prefetch_related("areas"))
    if scale == "small":
        plan = [
            (upcoming, "OK/2027/1", 0, OpenCall.Status.PUBLISHED, now + timedelta(days=25), 0),
            (past, "OK/2025/3", 2, OpenCall.Status.FORMAL_REVIEW, _aware(date(2025, 1, 20)), 6),
            (past, "OK/2025/1", 5, OpenCall.Status.DECIDED, _aware(date(2025, 1, 10)), 5),
        ]
    else:
        plan = []
        for n in range(40):
            programme = upcoming if n < 8 else past
            status = OpenCall.Status.PUBLISHED if n < 8 else CITY_PAST_STATUSES[n % len(CITY_PAST_STATUSES)]
            deadline = now + timedelta(days=10 + n) if n < 8 else _aware(date(2025, 1, 5) + timedelta(days=n * 7))
            plan.append(
                (
                    programme,
                    f"OK/{programme.year_from}/{n + 1 if n < 8 else n - 7}",
                    n % len(TASKS),
                    status,
                    deadline,
                    15 if n < 8 else 43,  # the closed year carries most offers (about 600 agreements)
                )
            )
    if scale == "city":
        _scale_to_city(past)
    created = 0
    authors = _authors(organisations) if organisations else {}
    for programme, number, task, status, deadline, offer_count in plan:
        if OpenCall.objects.filter(authority=authority, number=number).exists():
            continue
        title, codes = TASKS[task]
        # Only the call left open for people to try asks for an attachment (bulk offers carry no files).
        call = _call(
            programme,
            number,
            title,
            codes,
            deadline=deadline,
            status=status,
            funds=CITY_CALL_FUNDS if scale == "city" and programme == past else Decimal("25000"),
            require_statute=offer_count == 0,
        )
        # Art. 11 ust. 1: only organisations active statutorily in the task's area make offers.
        codes_set = set(codes)
        eligible = [o for o in organisations if codes_set & {area.code for area in o.areas.all()}]
        for index, organisation in enumerate(rng.sample(eligible, min(offer_count, len(eligible)))):
            choice = rng.choices([s for s, _ in STATUS_MIX], weights=[w for _, w in STATUS_MIX])[0]
            if status == OpenCall.Status.PUBLISHED:
                choice = rng.choice([Offer.Status.DRAFT, Offer.Status.SUBMITTED])
            _offer(call, organisation, authors[organisation.pk], rng, choice, index)
            created += 1
    return created
