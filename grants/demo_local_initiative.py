"""Demo: local initiative (art. 19b–19h) in Kędzierzyn-Koźle, made through the services as residents and the office
would make it.

Small scale: the council's rules, a reserve on a 2025 budget line, one request in assessment (submitted by the demo
resident, ``mieszkanka@portal.example.pl``) and one agreement being carried out (signed, the office's purchases
recorded, the residents' report still to come). City scale: about 20 requests and 10 agreements in 2025, most
completed with the residents' report accepted, so the closed year's report shows local initiative as its own mode.

The services stamp the present moment; requests of the closed year get their 2025 dates afterwards (as the other
demo modules date their 2025 submissions), nothing else is set past the services.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.demo import demo_email, demo_user, localise
from accounts.models import AuthorityStaff, User
from config.polish import format_number
from organisations.models import Membership
from programmes.models import BudgetLine

from .models import (
    LocalInitiativeAgreement,
    LocalInitiativeReport,
    LocalInitiativeRequest,
    LocalInitiativeRules,
    OpenCall,
)
from .services import local_initiative as li

RESIDENT = ("mieszkanka@portal.example.pl", "Maria", "Sąsiedzka")
CRITERIA = [
    {
        "name": "Wkład pracy społecznej mieszkańców",
        "description": "0 pkt – brak; 10 pkt – co najmniej 200 godzin na 10 000 zł wkładu urzędu",
        "max_points": 10,
        "weight": Decimal("40"),
        "is_social_work": True,
    },
    {"name": "Celowość dla społeczności lokalnej", "max_points": 10, "weight": Decimal("30")},
    {"name": "Wkład rzeczowy i finansowy mieszkańców", "max_points": 5, "weight": Decimal("15")},
    {"name": "Trwałość efektów i dostępność dla mieszkańców", "max_points": 5, "weight": Decimal("15")},
]
IDEAS = [
    ("Skwer sąsiedzki przy ul. Piastowskiej", "18", "ławki, nasadzenia krzewów, kosze", "skwer przy ul. Piastowskiej"),
    ("Remont boiska przy szkole nr 7", "17", "bramki, siatki, piasek", "boisko przy Szkole Podstawowej nr 7"),
    ("Kapliczka na Kłodnicy – odnowienie", "16", "farby, tynk, usługa konserwatora", "ul. Kozielska"),
    ("Ścieżka edukacyjna nad kanałem", "14", "tablice, słupki, druk", "brzeg Kanału Gliwickiego"),
    ("Mural o historii Koźla", "16", "farby elewacyjne, rusztowanie", "ściana przy ul. Głowackiego"),
    ("Ogród społeczny na osiedlu Piastów", "13", "ziemia, drewno na grządki, narzędzia", "os. Piastów"),
    ("Rowerowy rajd krajoznawczy", "19", "oznakowanie trasy, mapy", "trasa Koźle – Sławięcice"),
    ("Monitoring przejścia przy szkole", "20", "znaki, progi zwalniające", "ul. Szkolna"),
    ("Festyn wolontariatu sąsiedzkiego", "27", "namiot, nagłośnienie", "park miejski"),
    ("Rewitalizacja podwórka przy ul. Matejki", "32a", "kostka, ławki, kosze", "podwórko ul. Matejki 3–7"),
]


def _resident(email: str, first: str, last: str, site=None) -> User:
    return demo_user(demo_email(email, site), first, last, email_confirmed_at=timezone.now())


def _at(day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


class _Seeder:
    def __init__(self, authority, rng):
        self.authority, self.rng = authority, rng
        staff = list(AuthorityStaff.objects.filter(authority=authority).select_related("user"))
        self.clerk = next((s.user for s in staff if not s.can_decide), staff[0].user)
        self.decider = next((s.user for s in staff if s.can_decide), self.clerk)
        self.areas = {a.code: a for a in li.allowed_task_areas()}
        self.count = 0

    def request(self, applicant, idea, *, organisation=None, submitted: date | None = None, scale=1):
        title, area, materials, place = idea
        self.count += 1
        kind = "organisation" if organisation else "residents"
        li_request = li.request_create(
            authority=self.authority, actor=applicant, applicant_kind=kind, organisation=organisation
        )
        hours = Decimal(self.rng.choice([80, 120, 160, 240, 320])) * scale
        materials_cost = Decimal(self.rng.randrange(25, 90) * 100)
        data = {
            "initiator_name": applicant.get_full_name(),
            "initiator_address": localise(f"ul. Sąsiedzka {self.count}, 47-220 Kędzierzyn-Koźle", self.authority),
            "initiator_email": applicant.email,
            "initiator_phone": "",
            "title": title,
            "task_area": self.areas[area],
            "description": f"Mieszkańcy wspólnie z urzędem: {title.lower()}. Z efektów skorzystają wszyscy sąsiedzi.",
            "place": place,
            "start_date": date(2025, 5, 1),
            "end_date": date(2025, 10, 31),
            "schedule": "maj – przygotowanie; czerwiec–wrzesień – prace mieszkańców; październik – odbiór",
            "total_cost": materials_cost + hours * 30 + Decimal("800"),
            "social_work_hours": hours,
            "social_work_description": "prace porządkowe, montaż, malowanie",
            "in_kind_value": Decimal("500.00"),
            "in_kind_description": "narzędzia i transport mieszkańców",
            "financial_contribution": Decimal("300.00"),
            "requested_materials": materials,
            "requested_equipment": "kontener na odpady, rusztowanie" if area in ("16", "32a") else "",
            "requested_amount": materials_cost,
        }
        supporters = [
            {"full_name": f"Mieszkaniec {self.count}.{n}", "address": f"ul. Sąsiedzka {n}", "consent": True}
            for n in range(1, 4 + self.rng.randrange(6))
        ]
        li.request_save(li_request=li_request, actor=applicant, data=data, supporters=supporters)
        li_request.refresh_from_db()
        li.request_submit(li_request=li_request, actor=applicant, revision=li_request.revision)
        if submitted is not None:
            LocalInitiativeRequest.objects.filter(pk=li_request.pk).update(
                created_at=_at(submitted) - timedelta(days=3),
                submitted_at=_at(submitted),
                receipt_number=f"IL/{submitted.year}/{li_request.pk:06d}/1",
            )
        li_request.refresh_from_db()
        return li_request

    def score(self, li_request, share: float):
        li.request_score(
            li_request=li_request,
            actor=self.clerk,
            scores={
                c.pk: (
                    Decimal(round(c.max_points * min(1.0, share + self.rng.random() * 0.2))),
                    "Ocena według opisu wniosku i uzgodnień z wnioskodawcami.",
                )
                for c in li_request.rules.criteria.all()
            },
        )

    def decide(self, li_request, accept: bool, on: date):
        reasons = (
            "Zadanie celowe dla społeczności lokalnej; wysoki wkład pracy społecznej mieszkańców."
            if accept
            else "Niski wkład pracy społecznej w stosunku do kosztu po stronie urzędu; zadanie ujęte w planie "
            "inwestycji miasta."
        )
        li.request_decide(li_request=li_request, actor=self.decider, accept=accept, reasons=reasons)
        LocalInitiativeRequest.objects.filter(pk=li_request.pk).update(decided_at=_at(on))

    def agreement(self, li_request, line, on: date, number: int):
        agreement = li.agreement_create(
            li_request=li_request,
            actor=self.clerk,
            budget_line=line,
            data={
                "number": f"IL/{on.year}/{number}",
                "start_date": li_request.start_date,
                "end_date": li_request.end_date,
                "spending_cap": li_request.requested_amount,
                "authority_provides": f"zakup materiałów: {li_request.requested_materials}",
                "residents_provide": f"praca społeczna: {format_number(li_request.social_work_hours)} godz.; narzędzia "
                "i transport",
                "equipment_lent": li_request.requested_equipment,
                "results_ownership": localise(
                    "Wykonane obiekty i zakupione rzeczy stają się własnością Gminy Kędzierzyn-Koźle.", self.authority
                ),
                "authority_representatives": self.authority.executive_full_name,
                "applicant_representatives": li_request.initiator_name,
                "place": self.authority.city,
            },
        )
        li.agreement_sign(agreement=agreement, actor=self.decider, signed_on=on)
        return agreement

    def spend(self, agreement, share: Decimal, on: date):
        amount = (agreement.spending_cap * share).quantize(Decimal("0.01"))
        li.expense_record(
            agreement=agreement,
            actor=self.clerk,
            spent_on_day=on,
            document=f"FV/{on.month:02d}/{agreement.pk}/{on.year}",
            supplier=self.rng.choice(["Skład Budowlany „Odra”", "Ogrody Koźle sp. z o.o.", "Hurtownia Farb Kolor"]),
            description="materiały do inicjatywy",
            amount=amount,
        )

    def report(self, agreement, applicant, accepted_on: date):
        request = agreement.request
        report = li.report_submit(
            agreement=agreement,
            actor=applicant,
            data={
                "social_work_hours": request.social_work_hours + Decimal(self.rng.randrange(-20, 40)),
                "volunteers": 6 + self.rng.randrange(15),
                "in_kind_value": request.in_kind_value,
                "financial_value": request.financial_contribution,
                "results": f"Wykonano: {request.title.lower()}. Odbiór z udziałem mieszkańców i urzędu.",
            },
        )
        li.report_review(report=report, actor=self.clerk, accept=True)
        LocalInitiativeReport.objects.filter(pk=report.pk).update(
            submitted_at=_at(accepted_on) - timedelta(days=5), accepted_at=_at(accepted_on)
        )
        LocalInitiativeAgreement.objects.filter(pk=agreement.pk).update(completed_at=_at(accepted_on))


def _line(authority, name_start: str) -> BudgetLine | None:
    return (
        BudgetLine.objects.filter(
            programme__authority=authority, programme__year_from=2025, name__startswith=name_start
        )
        .select_related("programme")
        .first()
    )


# The reserves the demo's local initiatives draw on, per scale: (start of the 2025 line's name, amount).
RESERVES = {
    "small": [("Ekologia", Decimal("30000.00"))],
    "city": [("Ekologia", Decimal("40000.00")), ("Kultura fizyczna", Decimal("80000.00"))],
}


def seed_local_initiative_reserves(authority, scale: str) -> None:
    """Run before the calls: the programme keeps these amounts for local initiative, which calls may not draw on
    (``calls.budget_line_remaining``). Only on a fresh demo (no local-initiative rules, no calls in 2025 yet)."""
    if LocalInitiativeRules.objects.filter(authority=authority).exists():
        return
    if OpenCall.objects.filter(programme__authority=authority, programme__year_from=2025).exists():
        return
    staff = AuthorityStaff.objects.filter(authority=authority).order_by("can_decide", "pk").select_related("user")
    clerk = staff.first()
    if clerk is None:
        return
    for name_start, amount in RESERVES[scale]:
        if (line := _line(authority, name_start)) is not None:
            li.reserve_set(budget_line=line, amount=amount, actor=clerk.user)


def seed_local_initiative(authority, scale: str, site=None) -> int:
    """Idempotent: nothing happens if the authority already has local-initiative rules. Returns requests made."""
    if LocalInitiativeRules.objects.filter(authority=authority).exists():
        return 0
    ecology, sport = _line(authority, "Ekologia"), _line(authority, "Kultura fizyczna")
    if ecology is None or sport is None or not AuthorityStaff.objects.filter(authority=authority).exists():
        return 0
    rng = random.Random(1919)
    seeder = _Seeder(authority, rng)
    li.rules_adopt(
        authority=authority,
        actor=seeder.clerk,
        resolution_number="XIV/162/25",
        resolution_date=date(2025, 2, 27),
        valid_from=date(2025, 3, 15),
        procedure=(
            "Wnioski składa się przez cały rok. Urząd ocenia wniosek według kryteriów w ciągu 30 dni; przy ocenie "
            "bierze pod uwagę przede wszystkim wkład pracy społecznej mieszkańców. O przyjęciu wniosku do realizacji "
            "rozstrzyga Prezydent Miasta."
        ),
        social_work_hour_rate=Decimal("31.40"),
        min_residents=3,
        criteria=CRITERIA,
    )
    li.reserve_set(budget_line=ecology, amount=Decimal("30000.00"), actor=seeder.clerk)
    resident = _resident(*RESIDENT, site=site)

    # Being carried out: accepted in June 2025, signed, two purchases made; the residents' report is still to come.
    carried = seeder.request(resident, IDEAS[0], submitted=date(2025, 4, 14))
    seeder.score(carried, 0.8)
    seeder.decide(carried, True, date(2025, 5, 12))
    agreement = seeder.agreement(carried, ecology, date(2025, 5, 20), 1)
    seeder.spend(agreement, Decimal("0.55"), date(2025, 6, 10))
    seeder.spend(agreement, Decimal("0.30"), date(2025, 7, 22))
    made = 1
    if scale == "city":
        li.reserve_set(budget_line=sport, amount=Decimal("80000.00"), actor=seeder.clerk)
        residents = [
            _resident(f"mieszkaniec{n}@portal.example.pl", "Mieszkaniec", f"Demonstracyjny {n}", site)
            for n in range(1, 13)
        ]
        li.reserve_set(budget_line=ecology, amount=Decimal("40000.00"), actor=seeder.clerk)
        by_org = (  # the demo NGO (on the first site only) files two requests as an organisation
            Membership.objects.filter(user__email=demo_email("ngo.admin@portal.example.pl", site))
            .select_related("user", "organisation")
            .first()
        )
        number = 2
        for n in range(19):
            idea = IDEAS[(n + 1) % len(IDEAS)]
            applicant, organisation = residents[n % len(residents)], None
            if by_org is not None and n in (3, 11):
                applicant, organisation = by_org.user, by_org.organisation
            submitted = date(2025, 3, 20) + timedelta(days=9 * n)
            li_request = seeder.request(applicant, idea, organisation=organisation, submitted=submitted)
            made += 1
            line = ecology if idea[1] in ("13", "18", "32a") else sport
            if n < 9:  # accepted: agreements, all but two completed and reported
                seeder.score(li_request, 0.7)
                seeder.decide(li_request, True, submitted + timedelta(days=21))
                agreement = seeder.agreement(li_request, line, submitted + timedelta(days=28), number)
                number += 1
                seeder.spend(agreement, Decimal("0.6"), submitted + timedelta(days=40))
                if n < 7:
                    seeder.spend(agreement, Decimal("0.35"), submitted + timedelta(days=70))
                    seeder.report(agreement, applicant, submitted + timedelta(days=120))
            elif n < 13:  # refused
                seeder.score(li_request, 0.2)
                seeder.decide(li_request, False, submitted + timedelta(days=25))
            elif n < 15:  # asked to complete
                li.request_ask_completion(
                    li_request=li_request, actor=seeder.clerk, note="Dołącz zgodę zarządcy terenu na prace."
                )
            # the rest wait in assessment

    # In assessment now: filed by the demo resident, not yet scored.
    seeder.request(resident, IDEAS[1], scale=1)
    return made + 1
