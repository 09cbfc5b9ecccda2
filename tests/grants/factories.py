from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from grants.models import CallBudgetLine, Criterion, Offer, OpenCall
from grants.services import offers as offer_services
from organisations.models import PublicTaskArea
from programmes.models import Programme
from tests.programmes.factories import ProgrammeFactory, add_budget


class OpenCallFactory(DjangoModelFactory):
    """A published call drawing 100 000 zł from a 357 000 zł programme line; deadline in 30 days."""

    class Meta:
        model = OpenCall
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory, status=Programme.Status.IN_FORCE, year_from=2027)
    authority = factory.SelfAttribute("programme.authority")
    number = factory.Sequence(lambda n: f"OK/2027/{n + 1}")
    title = "Upowszechnianie kultury fizycznej wśród dzieci i młodzieży"
    task_description = "Zajęcia sportowe dla dzieci i młodzieży szkolnej."
    award_rules = "Dotacje przyznaje Burmistrz po zapoznaniu się z opinią komisji."
    delivery_terms = "Zadanie realizowane na terenie gminy."
    delivery_start = date(2027, 2, 1)
    delivery_end = date(2027, 12, 15)
    selection_procedure = "Oferty ocenia komisja konkursowa."
    decision_date = date(2027, 1, 31)
    min_grant = Decimal("5000.00")
    max_grant = Decimal("20000.00")
    min_own_contribution_pct = Decimal("10")
    admin_cost_cap_pct = Decimal("10")
    published_bip_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    published_board_on = factory.SelfAttribute("published_bip_on")
    published_website_on = factory.SelfAttribute("published_bip_on")
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    status = OpenCall.Status.PUBLISHED

    @factory.post_generation
    def setup(self, create, extracted, **kwargs):
        if not create:
            return
        self.task_areas.set(PublicTaskArea.objects.filter(code__in=["17", "15"]))
        line = self.programme.budget_lines.first() or add_budget(self.programme, [("Kultura fizyczna", "357000.00")])[0]
        CallBudgetLine.objects.create(call=self, budget_line=line, amount=Decimal("100000.00"))
        Criterion.objects.create(call=self, order=1, name="Możliwość realizacji zadania", dimension=1, max_points=10)


COMPLETE = {
    "contact_name": "Natalia Wiśniewska",
    "contact_phone": "500 600 700",
    "contact_email": "n@example.pl",
    "title": "Sportowe wakacje 2027",
    "start_date": date(2027, 3, 1),
    "end_date": date(2027, 11, 30),
    "synopsis": "Zajęcia piłkarskie dla 60 dzieci z osiedla Przylesie.",
    "results_description": "Dzieci ćwiczą.",
    "previous_activity": "Od 2015 r. prowadzimy zajęcia sportowe.",
    "resources": "Trenerzy z licencją.",
    "grant_amount": Decimal("10000.00"),
    "own_financial": Decimal("750.00"),
    "own_personal": Decimal("500.00"),
    "own_in_kind": Decimal("0"),
    "recipient_payments": Decimal("0"),
    "payment": "free",
    "joint_roles": "",
    "other_info": "",
    "tax_arrears": "none",
    "social_insurance_arrears": "none",
    "declarations_confirmed": True,
}
ACTIVITIES = [
    {
        "number": 1,
        "name": "Treningi",
        "description": "2 razy w tygodniu",
        "target_group": "dzieci 7–12",
        "period": "03–11.2027",
        "subcontractor": "",
    }
]
RESULTS = [{"number": 1, "name": "Uczestnicy zajęć", "target": "60 dzieci", "monitoring": "listy obecności"}]
COSTS = [
    {
        "category": "I",
        "activity_number": 1,
        "order": 1,
        "name": "Wynagrodzenie trenera",
        "unit": "godz.",
        "unit_cost": Decimal("100.00"),
        "quantity": Decimal("100"),
    },
    {
        "category": "I",
        "activity_number": 1,
        "order": 2,
        "name": "Piłki",
        "unit": "szt.",
        "unit_cost": Decimal("50.00"),
        "quantity": Decimal("5"),
    },
    {
        "category": "II",
        "activity_number": None,
        "order": 1,
        "name": "Księgowość",
        "unit": "mies.",
        "unit_cost": Decimal("100.00"),
        "quantity": Decimal("10"),
    },
]


def fill_offer(offer: Offer, actor, **overrides) -> Offer:
    """Make the working copy complete and consistent: V.A 11 250 zł = grant 10 000 + own 750 + 500."""
    data = {**COMPLETE, **overrides.pop("data", {})}
    costs = overrides.pop("costs", COSTS)
    offer.refresh_from_db()
    offer_services.offer_save(
        offer=offer,
        actor=actor,
        expected_revision=offer.revision,
        data=data,
        activities=overrides.pop("activities", ACTIVITIES),
        results=overrides.pop("results", RESULTS),
        cost_items=costs,
        partners=overrides.pop("partners", []),
    )
    offer.refresh_from_db()
    return offer


def complete_offer(call: OpenCall, organisation, actor, **overrides) -> Offer:
    offer = offer_services.offer_start(call=call, organisation=organisation, actor=actor)
    return fill_offer(offer, actor, **overrides)
