from datetime import datetime, time
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from programmes.models import BudgetLine, PriorityArea, Programme
from tests.accounts.factories import AuthorityFactory


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        # One programme per authority and period (a database constraint): the same year gives the same programme.
        django_get_or_create = ("authority", "year_from")

    authority = factory.SubFactory(AuthorityFactory)
    title = factory.Sequence(lambda n: f"Program współpracy z organizacjami pozarządowymi nr {n}")
    year_from = 2026
    year_to = factory.SelfAttribute("year_from")
    goals = "§ 1. 1. Celem głównym jest współpraca.\n2. Cele szczegółowe: integracja."
    scope = "§ 2. Zadania z art. 4 ust. 1 ustawy."

    class Params:
        public = factory.Trait(status=Programme.Status.IN_CONSULTATION)


def add_budget(programme: Programme, lines: list[tuple[str, str]]) -> list[BudgetLine]:
    created = []
    for number, (name, amount) in enumerate(lines, start=1):
        area = PriorityArea.objects.create(programme=programme, number=number, name=name)
        created.append(
            BudgetLine.objects.create(
                programme=programme, priority_area=area, number=number, name=name, planned_amount=Decimal(amount)
            )
        )
    return created


def warsaw(*args) -> datetime:
    """An aware datetime in Europe/Warsaw: ``warsaw(2026, 10, 27, 23, 59, 59)``."""
    return datetime(*args, tzinfo=timezone.get_current_timezone())


def day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
