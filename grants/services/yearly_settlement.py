"""Multi-year agreements (art. 16 ust. 3; art. 18 ust. 1: the reporting period is the budget year): settled per year.

Each budget year of a multi-year agreement is settled on its own, by the same ``compute_settlement`` as a task
within one year:

* transferred = the tranches of that year actually paid (a tranche belongs to the budget year it is due in);
* spent = the grant spent in that year's report: the accepted partial report for each year but the last, the final
  report for the last year;
* the planned grant of a cost line in a year is the line's grant in the agreement in proportion to the year's part
  of the whole grant (rounded to the grosz);
* grant unused in an earlier year is returned by 31 January of the next year (UFP art. 251 ust. 1); in the last year
  as for any task (31 January, or 15 days after a task ending before 31 December);
* grant found misused in a control counts in the last year;
* refunds are credited to the settled years in order, each up to what it owes, the rest to the latest.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from .settlement import Settlement, compute_settlement

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def tranche_year(due: date, years: list[int]) -> int:
    """The budget year a tranche belongs to: the year it is due in, within the task's years."""
    return min(max(due.year, years[0]), years[-1])


def report_year(report: dict, years: list[int]) -> int:
    if report["kind"] == "final":
        return years[-1]
    return min(max(report["period_to"].year, years[0]), years[-1])


def year_settlements(
    *,
    years: list[int],
    end_date: date,
    grant: Decimal,
    parts: dict[int, Decimal],
    threshold_pct: Decimal,
    tranches: list[dict],
    reports: list[dict],
    misused: list[tuple[Decimal, date]],
    refunded: Decimal,
    today: date | None = None,
) -> dict[int, Settlement]:
    """Per budget year, the settlement of that year once its report is accepted.

    ``tranches`` are dicts with amount, due_date and paid_on; ``reports`` the accepted reports as dicts with kind,
    period_to, decided_at and ``lines`` (cost_line_id, cost_line__name, cost_line__from_grant, actual_from_grant).
    """
    by_year = {report_year(r, years): r for r in reports}
    settled: dict[int, Settlement] = {}
    for year in years:
        report = by_year.get(year)
        if report is None:
            continue
        share = parts.get(year, ZERO) / grant if grant else ZERO
        paid = [t for t in tranches if t["paid_on"] and tranche_year(t["due_date"], years) == year]
        last = year == years[-1]
        decided = report.get("decided_at")
        settled[year] = compute_settlement(
            transferred=sum((t["amount"] for t in paid), ZERO),
            threshold_pct=threshold_pct,
            lines=[
                (
                    x["cost_line_id"],
                    x["cost_line__name"],
                    (x["cost_line__from_grant"] * share).quantize(CENT, rounding=ROUND_HALF_UP),
                    x["actual_from_grant"],
                )
                for x in report["lines"]
            ],
            use_deadline=min(end_date, date(year, 12, 31)) if last else date(year, 12, 31),
            found_on=timezone.localdate(decided) if decided else (today or timezone.localdate()),
            misused=list(misused) if last else [],
            transfer_date=min((t["paid_on"] for t in paid), default=None),
        )
    remaining = refunded
    ordered = sorted(settled)
    for year in ordered:
        credit = remaining if year == ordered[-1] else min(remaining, settled[year].to_return)
        settled[year].refunded = credit
        remaining -= credit
    return settled
