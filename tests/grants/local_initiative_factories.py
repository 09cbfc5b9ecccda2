"""Local initiative in each state, made through the services as the people involved would make it."""

from datetime import date
from decimal import Decimal

from grants.models import LocalInitiativeAgreement, LocalInitiativeRequest
from grants.services import local_initiative as li
from organisations.models import PublicTaskArea
from tests.programmes.factories import ProgrammeFactory, add_budget

CRITERIA = [
    {"name": "Wkład pracy społecznej mieszkańców", "max_points": 10, "weight": Decimal("50"), "is_social_work": True},
    {"name": "Celowość dla społeczności lokalnej", "max_points": 10, "weight": Decimal("30")},
    {"name": "Wkład rzeczowy i finansowy", "max_points": 5, "weight": Decimal("20")},
]


def adopt_rules(authority, staff, *, criteria=None, rate="30.00", min_residents=2):
    return li.rules_adopt(
        authority=authority,
        actor=staff,
        resolution_number="XII/101/2025",
        resolution_date=date(2025, 3, 27),
        valid_from=date(2025, 4, 1),
        procedure="Wnioski składa się przez cały rok; ocenia je urząd w ciągu 30 dni.",
        social_work_hour_rate=Decimal(rate),
        min_residents=min_residents,
        criteria=CRITERIA if criteria is None else criteria,
    )


def reserve_line(authority, staff, amount="50000.00"):
    programme = ProgrammeFactory(authority=authority, year_from=2026)
    [line] = add_budget(programme, [("Inicjatywa lokalna i rozwój wspólnot", "200000.00")])
    li.reserve_set(budget_line=line, amount=Decimal(amount), actor=staff)
    return line


REQUEST_DATA = {
    "initiator_name": "Anna Sąsiedzka",
    "initiator_address": "ul. Lipowa 3, 47-200 Kędzierzyn-Koźle",
    "initiator_email": "anna@example.pl",
    "initiator_phone": "600 100 200",
    "title": "Skwer przy ul. Lipowej",
    "description": "Mieszkańcy urządzą skwer z ławkami i nasadzeniami.",
    "place": "skwer przy ul. Lipowej",
    "start_date": date(2026, 5, 1),
    "end_date": date(2026, 9, 30),
    "schedule": "maj: przygotowanie terenu; czerwiec: nasadzenia; wrzesień: ławki",
    "total_cost": Decimal("18000.00"),
    "social_work_hours": Decimal("240"),
    "social_work_description": "prace porządkowe i nasadzenia",
    "in_kind_value": Decimal("1500.00"),
    "in_kind_description": "narzędzia ogrodowe",
    "financial_contribution": Decimal("500.00"),
    "requested_materials": "sadzonki, ziemia, ławki",
    "requested_equipment": "kontener na odpady",
    "requested_amount": Decimal("8800.00"),
}
SUPPORTERS = [
    {"full_name": "Jan Lipowy", "address": "ul. Lipowa 5", "consent": True},
    {"full_name": "Ewa Lipowa", "address": "ul. Lipowa 7", "consent": True},
]


def make_request(authority, resident, *, area_code="18", submit=True, **overrides):
    li_request = li.request_create(authority=authority, actor=resident, applicant_kind="residents")
    data = {**REQUEST_DATA, "task_area": PublicTaskArea.objects.get(code=area_code), **overrides}
    li.request_save(li_request=li_request, actor=resident, data=data, supporters=SUPPORTERS)
    li_request.refresh_from_db()
    if submit:
        li.request_submit(li_request=li_request, actor=resident, revision=li_request.revision)
        li_request.refresh_from_db()
    return li_request


def score_all(li_request, staff, points=None):
    criteria = list(li_request.rules.criteria.all())
    points = points or [c.max_points for c in criteria]
    li.request_score(
        li_request=li_request,
        actor=staff,
        scores={c.pk: (Decimal(p), "Uzasadnienie oceny.") for c, p in zip(criteria, points, strict=True)},
    )


def make_agreement(authority, staff, decider, resident, line, *, cap="9000.00", sign=True) -> LocalInitiativeAgreement:
    li_request = make_request(authority, resident)
    score_all(li_request, staff)
    li.request_decide(li_request=li_request, actor=decider, accept=True, reasons="Zadanie celowe.")
    agreement = li.agreement_create(
        li_request=li_request,
        actor=staff,
        budget_line=line,
        data={
            "number": f"IL/{li_request.pk}/2026",
            "start_date": date(2026, 5, 1),
            "end_date": date(2026, 9, 30),
            "spending_cap": Decimal(cap),
            "authority_provides": "zakup sadzonek, ziemi i ławek",
            "residents_provide": "240 godzin pracy społecznej, narzędzia",
            "equipment_lent": "kontener na odpady – zwrot do 30.09.2026",
            "results_ownership": "Ławki i nasadzenia stają się własnością gminy.",
            "authority_representatives": "Burmistrz",
            "applicant_representatives": "Anna Sąsiedzka",
            "place": "Kędzierzyn-Koźle",
        },
    )
    if sign:
        li.agreement_sign(agreement=agreement, actor=decider, signed_on=date(2026, 4, 20))
        agreement.refresh_from_db()
    assert agreement.request.status == LocalInitiativeRequest.Status.ACCEPTED
    return agreement
