"""Local initiative (art. 19b–19h) in the year-end report: its own mode of cooperation (art. 5 ust. 2 pkt 6).

Gathered in three queries whatever the number of requests: the requests, the agreements (with the residents' report
and the authority's spending summed per agreement) and the authority's spending per agreement and year. The
authority transfers no grant here, so local initiative is reported beside the grant modes, not added to them: what
the authority spent on services and materials, and the residents' contribution (social work valued at the council's
rate, in kind, money) and hours of social work.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear

from config.territory import seated_in_territory
from grants.models import LocalInitiativeAgreement, LocalInitiativeExpense, LocalInitiativeRequest

ZERO = Decimal("0.00")
SIGNED = {"signed", "completed", "terminated"}


def gather_local_initiative(authority, first_year: int, last_year: int) -> tuple[list[dict], list[dict]]:
    """The authority's submitted requests and its agreements touching ``first_year``…``last_year``."""
    requests = [
        {**row, "year": row["submitted_at"].year}
        for row in LocalInitiativeRequest.objects.filter(
            authority=authority, submitted_at__year__gte=first_year, submitted_at__year__lte=last_year
        )
        .exclude(status__in=["draft"])
        .annotate(in_territory=seated_in_territory(authority.territory_parts, "organisation__"))
        .values("id", "status", "organisation_id", "submitted_at", "applicant_kind", "in_territory")
    ]
    agreements = list(
        LocalInitiativeAgreement.objects.filter(
            authority=authority, end_date__year__gte=first_year, start_date__year__lte=last_year
        ).values(
            "id",
            "number",
            "status",
            "start_date",
            "end_date",
            "spending_cap",
            "request__title",
            "request__organisation_id",
            "request__social_work_hours",
            "request__in_kind_value",
            "request__financial_contribution",
            "request__rules__social_work_hour_rate",
            "report__status",
            "report__social_work_hours",
            "report__volunteers",
            "report__in_kind_value",
            "report__financial_value",
        )
    )
    spending = defaultdict(dict)
    for row in (
        LocalInitiativeExpense.objects.filter(agreement_id__in=[a["id"] for a in agreements])
        .annotate(year=ExtractYear("spent_on"))
        .values("agreement_id", "year")
        .annotate(total=Sum("amount"))
    ):
        spending[row["agreement_id"]][row["year"]] = row["total"]
    for agreement in agreements:
        agreement["spent_by_year"] = spending.get(agreement["id"], {})
    return requests, agreements


def _contribution(agreement: dict) -> tuple[Decimal, Decimal]:
    """Hours of social work and the whole contribution in złoty: as reported when the office accepted the report,
    else as declared in the request (an initiative still being carried out)."""
    rate = agreement["request__rules__social_work_hour_rate"] or ZERO
    if agreement["report__status"] == "accepted":
        hours = agreement["report__social_work_hours"]
        other = agreement["report__in_kind_value"] + agreement["report__financial_value"]
    else:
        hours = agreement["request__social_work_hours"]
        other = agreement["request__in_kind_value"] + agreement["request__financial_contribution"]
    return hours, (hours * rate).quantize(Decimal("0.01")) + other


def local_initiative_summary(data, year: int) -> dict:
    requests = [r for r in data.local_requests if r["year"] == year]
    agreements = [
        a for a in data.local_agreements if a["start_date"].year <= year <= a["end_date"].year and a["status"] in SIGNED
    ]
    completed = [a for a in agreements if a["status"] == "completed"]
    hours_completed = ZERO
    value_completed = ZERO
    hours_declared = ZERO
    value_declared = ZERO
    for agreement in agreements:
        hours, value = _contribution(agreement)
        if agreement["status"] == "completed":
            hours_completed += hours
            value_completed += value
        elif agreement["status"] == "signed":
            hours_declared += hours
            value_declared += value
    return {
        "requests": len(requests),
        "from_residents": sum(1 for r in requests if r["applicant_kind"] == "residents"),
        "accepted": sum(1 for r in requests if r["status"] in ("accepted",)),
        "refused": sum(1 for r in requests if r["status"] == "refused"),
        "agreements": len(agreements),
        "completed": len(completed),
        "in_progress": sum(1 for a in agreements if a["status"] == "signed"),
        "terminated": sum(1 for a in agreements if a["status"] == "terminated"),
        "caps": sum((a["spending_cap"] for a in agreements if a["status"] != "terminated"), ZERO),
        "spent": sum((a["spent_by_year"].get(year, ZERO) for a in agreements), ZERO),
        "hours": hours_completed,
        "contribution": value_completed,
        "hours_declared": hours_declared,
        "contribution_declared": value_declared,
        "volunteers": sum(a["report__volunteers"] or 0 for a in completed if a["report__status"] == "accepted"),
    }


def organisations_requesting(data, year: int) -> set[int]:
    """Organisations that filed a local-initiative request in ``year`` on behalf of residents (art. 19b ust. 1)."""
    return {r["organisation_id"] for r in data.local_requests if r["year"] == year and r["organisation_id"]}


def organisations_requesting_in_territory(data, year: int) -> set[int]:
    """Those of ``organisations_requesting`` seated in the authority's territory (Q4 counts within the territory)."""
    return {
        r["organisation_id"]
        for r in data.local_requests
        if r["year"] == year and r["organisation_id"] and r.get("in_territory", True)
    }
