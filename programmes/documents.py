"""What the programme's public page and PDF show, gathered in a fixed number of queries (also what is frozen)."""

from decimal import Decimal

from .models import Programme
from .rules import small_grants_share


def programme_context(programme: Programme) -> dict:
    priority_areas = list(programme.priority_areas.prefetch_related("task_areas"))
    budget_lines = list(programme.budget_lines.select_related("priority_area"))
    total = sum((line.planned_amount for line in budget_lines), start=Decimal("0"))
    return {
        "programme": programme,
        "priority_areas": priority_areas,
        "budget_lines": budget_lines,
        "total": total,
        "small_grants_share": small_grants_share(programme, total),
        "indicators": list(programme.indicators.all()),
        "amendments": list(programme.amendments.all()),
        "consultations": list(programme.consultations.public().order_by("starts_at")),
    }
