"""Multi-year agreements (art. 16 ust. 3: up to five years): a report and a settlement per budget year.

Art. 18 ust. 1 makes the budget year the reporting period: a multi-year agreement is reported with a partial report
for each budget year but the last, and the final report covers the last year (its part II states the last year's
expenses). Each year is settled on its own (``yearly_settlement.year_settlements``); the agreement's settlement is
the sum of its years, available once every year's report is accepted.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts.audit import acting_as

from ..limits import REPORT_DAYS
from ..models import Agreement, Control, GrantReport, GrantReportLine, Refund
from .settlement import Settlement
from .yearly_settlement import year_settlements

ZERO = Decimal("0.00")


def is_multi_year(agreement: Agreement) -> bool:
    return agreement.end_date.year > agreement.start_date.year


def year_period(agreement: Agreement, year: int) -> tuple[date, date]:
    """The part of the task that falls in ``year``."""
    return max(agreement.start_date, date(year, 1, 1)), min(agreement.end_date, date(year, 12, 31))


@transaction.atomic
def report_start_year(*, agreement: Agreement, actor, year: int) -> GrantReport:
    """Open (or return) the partial report for one budget year of a multi-year agreement, due 30 days after the
    year's part of the task ends. The last year is reported in the final report."""
    from .grant_reports import REPORTABLE, _member, _new_report

    agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    if not _member(agreement, actor):
        raise ValidationError("Sprawozdanie składa organizacja, która zawarła umowę.")
    years = agreement.budget_years
    if len(years) < 2 or year not in years[:-1]:
        raise ValidationError(
            "Sprawozdanie za rok składa się z umowy wieloletniej, za każdy rok budżetowy z wyjątkiem ostatniego – "
            "ostatni rok obejmuje sprawozdanie końcowe."
        )
    period_from, period_to = year_period(agreement, year)
    existing = agreement.grant_reports.filter(
        kind=GrantReport.Kind.PARTIAL, period_from=period_from, period_to=period_to
    ).first()
    if existing:
        return existing
    if agreement.status not in REPORTABLE:
        raise ValidationError("Sprawozdanie składa się z umowy zawartej.")
    with acting_as(actor):
        return _new_report(
            agreement,
            kind=GrantReport.Kind.PARTIAL,
            period_from=period_from,
            period_to=period_to,
            due=period_to + timedelta(days=REPORT_DAYS),
        )


def _report_rows(agreement: Agreement) -> list[dict]:
    """The accepted reports that settle a year: yearly partial reports and the final report."""
    accepted = Q(status=GrantReport.Status.ACCEPTED)
    reports = {
        r["id"]: {**r, "lines": []}
        for r in agreement.grant_reports.filter(accepted).values("id", "kind", "period_from", "period_to", "decided_at")
    }
    for line in GrantReportLine.objects.filter(report_id__in=reports).values(
        "report_id", "cost_line_id", "cost_line__name", "cost_line__from_grant", "actual_from_grant"
    ):
        reports[line["report_id"]]["lines"].append(line)
    return list(reports.values())


def _tranches_and_parts(agreement: Agreement) -> tuple[list[dict], dict[int, Decimal]]:
    """The agreement's tranches (amount, due date, paid on) and the part of the grant that falls in each year."""
    from .budget_charges import year_parts

    tranches = list(agreement.tranches.values("amount", "due_date", "paid_on"))
    parts = year_parts(
        agreement.start_date,
        agreement.end_date,
        agreement.grant_amount,
        [(t["amount"], t["due_date"]) for t in tranches],
    )
    return tranches, parts


def agreement_year_settlements(agreement: Agreement, today: date | None = None) -> dict[int, Settlement]:
    """Per budget year, the settlement of that year once its report is accepted."""
    years = agreement.budget_years
    tranches, parts = _tranches_and_parts(agreement)
    misused = [
        (c.misused_amount, c.ended_on)
        for c in agreement.controls.filter(status=Control.Status.DONE, misused_amount__gt=0)
    ]
    refunded = sum(agreement.refunds.exclude(kind=Refund.Kind.INTEREST).values_list("amount", flat=True), start=ZERO)
    return year_settlements(
        years=years,
        end_date=agreement.end_date,
        grant=agreement.grant_amount,
        parts=parts,
        threshold_pct=agreement.deviation_threshold_pct,
        tranches=tranches,
        reports=_report_rows(agreement),
        misused=misused,
        refunded=refunded,
        today=today,
    )


def combined_settlement(agreement: Agreement, today: date | None = None) -> Settlement | None:
    """The settlement of the whole multi-year agreement: the sum of its years, once every year is settled."""
    by_year = agreement_year_settlements(agreement, today)
    if set(by_year) != set(agreement.budget_years):
        return None
    years = [by_year[y] for y in sorted(by_year)]
    return Settlement(
        transferred=sum((s.transferred for s in years), ZERO),
        spent_from_grant=sum((s.spent_from_grant for s in years), ZERO),
        unused=sum((s.unused for s in years), ZERO),
        excessive=sum((s.excessive for s in years), ZERO),
        misused=sum((s.misused for s in years), ZERO),
        lines=[line for s in years for line in s.lines],
        dues=[due for s in years for due in s.dues],
        refunded=sum((s.refunded for s in years), ZERO),
    )


def year_rows(agreement: Agreement) -> list[dict]:
    """For the settlement page: each budget year of a multi-year agreement with its part of the grant, what was
    transferred for it and its settlement (``None`` until the year's report is accepted)."""
    if not is_multi_year(agreement):
        return []
    from .yearly_settlement import tranche_year

    years = agreement.budget_years
    tranches, parts = _tranches_and_parts(agreement)
    settled = agreement_year_settlements(agreement)
    return [
        {
            "year": year,
            "part": parts.get(year, ZERO),
            "transferred": sum(
                (t["amount"] for t in tranches if t["paid_on"] and tranche_year(t["due_date"], years) == year), ZERO
            ),
            "settlement": settled.get(year),
            "report": "końcowe" if year == years[-1] else "częściowe",
        }
        for year in years
    ]
