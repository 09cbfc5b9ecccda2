"""AnnualReport: the year-end report on the cooperation programme (art. 5a ust. 3), computed from the portal's data.

``annual_report(programme)`` returns everything the page and the PDF show (S0's form and domain.md §12): the
legal basis, resolution, consultation, period and units; funds planned, awarded and settled by budget line;
calls, offers, agreements, small grants and own-initiative offers with totals; non-financial cooperation; the
indicator table with targets, actuals and earlier years; three SVG charts; the conclusions staff wrote.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from grants.models import Agreement, Offer
from grants.models.calls import Mode
from programmes.models import CooperationActivity, Programme

from . import computations, indicators
from .charts import bar_chart, column_chart
from .data import ZERO, ReportData, gather
from .models import AnnualReport

CENT = Decimal("0.01")
TREND_YEARS = 4


@dataclass
class FundsRow:
    number: str
    name: str
    planned: Decimal
    awarded: Decimal = ZERO
    settled: Decimal = ZERO
    agreements: int = 0


@dataclass
class IndicatorRow:
    code: str
    name: str
    measure: str
    unit: str
    target: str
    value: computations.IndicatorValue
    display: str
    alternative: str
    met: bool | None
    reading: str
    trend: list[str]

    @property
    def is_breakdown(self) -> bool:
        return isinstance(self.value.value, dict)


def _q(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def funds_by_budget_line(data: ReportData, year: int) -> tuple[list[FundsRow], FundsRow]:
    """S0's table: per budget line, planned; awarded (agreements in force); settled (accepted final reports).

    A call drawing on several lines shares each agreement between them in proportion to the call's allocations.
    """
    rows = {line.pk: FundsRow(str(line.number), line.name, line.planned_amount) for line in data.budget_lines}
    shares = defaultdict(list)
    for allocation in data.allocations:
        shares[allocation["call_id"]].append((allocation["budget_line_id"], allocation["amount"]))
    for agreement in data.agreements_in(year):
        if agreement.call_id not in shares or not agreement.in_force:
            continue
        parts = shares[agreement.call_id]
        whole = sum((amount for _, amount in parts), ZERO)
        for line_id, amount in parts:
            row = rows[line_id]
            fraction = amount / whole if whole else Decimal("1") / len(parts)
            row.awarded += _q(agreement.grant_amount * fraction)
            row.agreements += 1
            if agreement.accepted_settlement is not None:
                row.settled += _q(agreement.accepted_settlement.settled * fraction)
    ordered = list(rows.values())
    total = FundsRow(
        "",
        "Razem",
        sum((r.planned for r in ordered), ZERO),
        sum((r.awarded for r in ordered), ZERO),
        sum((r.settled for r in ordered), ZERO),
        sum(r.agreements for r in ordered),
    )
    return ordered, total


MODE_LABELS = [
    ("call_support", "Otwarte konkursy ofert – wspieranie"),
    ("call_entrust", "Otwarte konkursy ofert – powierzanie"),
    ("small_grant", "Małe granty (art. 19a)"),
    ("own_initiative", "Oferty z własnej inicjatywy (art. 12)"),
]


def _mode_key(agreement) -> str:
    if agreement.kind == Offer.Kind.OPEN_CALL:
        return "call_entrust" if agreement.mode == Mode.ENTRUST else "call_support"
    return agreement.kind


def funds_by_mode(data: ReportData, year: int) -> tuple[list[dict], dict]:
    rows = {
        key: {"key": key, "name": label, "count": 0, "awarded": ZERO, "settled": ZERO} for key, label in MODE_LABELS
    }
    for agreement in data.agreements_in(year):
        if not agreement.in_force:
            continue
        row = rows[_mode_key(agreement)]
        row["count"] += 1
        row["awarded"] += agreement.grant_amount
        if agreement.accepted_settlement is not None:
            row["settled"] += agreement.accepted_settlement.settled
    ordered = list(rows.values())
    total = {
        "name": "Razem",
        "count": sum(r["count"] for r in ordered),
        "awarded": sum((r["awarded"] for r in ordered), ZERO),
        "settled": sum((r["settled"] for r in ordered), ZERO),
    }
    return ordered, total


def agreement_summary(data: ReportData, year: int) -> dict:
    agreements = data.agreements_in(year)
    signed = [a for a in agreements if a.is_signed]
    settlements = [a.accepted_settlement for a in agreements if a.accepted_settlement is not None]
    return {
        "signed": len(signed),
        "performed": sum(1 for a in signed if a.status == Agreement.Status.PERFORMED),
        "terminated": sum(1 for a in signed if a.status == Agreement.Status.TERMINATED),
        "in_progress": sum(1 for a in signed if a.status == Agreement.Status.SIGNED),
        "reports_accepted": len(settlements),
        "transferred": sum((a.transferred for a in agreements), ZERO),
        "returned_due": sum((s.to_return for s in settlements), ZERO),
        "refunded": sum((a.refunded for a in agreements), ZERO),
        "unused": sum((s.unused for s in settlements), ZERO),
        "excessive": sum((s.excessive for s in settlements), ZERO),
        "misused": sum((s.misused for s in settlements), ZERO),
        "beneficiaries": sum(a.report["beneficiaries"] for a in agreements if a.accepted),
        "volunteers": sum(a.report["volunteers"] for a in agreements if a.accepted),
    }


def calls_summary(data: ReportData, year: int) -> tuple[list[dict], dict]:
    calls = data.calls_in(year)
    awarded = defaultdict(lambda: ZERO)
    counts = defaultdict(int)
    for agreement in data.agreements_in(year):
        if agreement.call_id and agreement.in_force:
            awarded[agreement.call_id] += agreement.grant_amount
            counts[agreement.call_id] += 1
    rows = [{**c, "awarded": awarded[c["id"]], "agreements": counts[c["id"]]} for c in calls]
    total = {
        "offer_count": sum(c["offer_count"] for c in rows),
        "agreements": sum(c["agreements"] for c in rows),
        "awarded": sum((c["awarded"] for c in rows), ZERO),
    }
    return rows, total


def outside_calls(data: ReportData, year: int, kind: str) -> dict:
    offers = [o for o in data.offers_in(year) if o["kind"] == kind]
    agreements = [a for a in data.agreements_in(year) if a.kind == kind and a.in_force]
    return {
        "offers": len(offers),
        "agreements": len(agreements),
        "awarded": sum((a.grant_amount for a in agreements), ZERO),
        "settled": _settled(agreements),
        "rows": agreements,
    }


def non_financial(data: ReportData, year: int) -> list[dict]:
    labels = dict(CooperationActivity.Kind.choices)
    initiators = dict(CooperationActivity.Initiator.choices)
    groups = defaultdict(list)
    for activity in data.activities:
        if activity["year"] == year:
            groups[activity["kind"]].append({**activity, "initiator_label": initiators.get(activity["initiator"])})
    return [
        {
            "kind": kind,
            "label": labels[kind],
            "items": groups[kind],
            "organisations": sum(a["organisation_count"] for a in groups[kind]),
            "participants": sum(a["participant_count"] for a in groups[kind]),
        }
        for kind in labels
        if groups[kind]
    ]


def indicator_rows(data: ReportData, year: int, codes_targets: list[tuple[str, str]], trend_years: list[int]):
    rows = []
    for code, target in codes_targets:
        definition = indicators.BY_CODE[code]
        value = computations.compute(data, code, year)
        alternative = ""
        if value.alternative is not None:
            alternative = computations.format_value(computations.IndicatorValue(code, value.alternative, value.unit))
        rows.append(
            IndicatorRow(
                code=code,
                name=definition.name,
                measure=definition.measure,
                unit=definition.unit,
                target=target,
                value=value,
                display=computations.format_value(value),
                alternative=alternative,
                met=computations.target_met(value, target),
                reading=computations.READINGS.get(code, ""),
                trend=[computations.format_value(computations.compute(data, code, y)) for y in trend_years],
            )
        )
    return rows


def annual_report(programme: Programme, today=None) -> dict:
    data = gather(programme, today=today)
    year = programme.year_from
    stored = AnnualReport.objects.filter(programme=programme).first()
    programme_years = sorted({p.year_from for p in data.programmes if p.year_from < year})
    trend_years = programme_years[-TREND_YEARS:]
    funds_rows, funds_total = funds_by_budget_line(data, year)
    mode_rows, mode_total = funds_by_mode(data, year)
    calls, calls_total = calls_summary(data, year)
    programme_codes = [(i.code, i.target) for i in data.indicators]
    listed = {code for code, _ in programme_codes}
    other_codes = [(d.code, "") for d in indicators.REGISTRY if d.code not in listed]
    chart_years = [y for y in data.years if y in {p.year_from for p in data.programmes}] or [year]
    yearly_awarded = [computations.lr1_city_funds(data, y) for y in chart_years]
    yearly_settled = [_settled(data.agreements_in(y)) for y in chart_years]
    consultations = [c for c in data.consultations if c["programme_id"] == programme.pk]
    return {
        "programme": programme,
        "authority": programme.authority,
        "year": year,
        "stored": stored,
        "consultations": consultations,
        "funds_rows": funds_rows,
        "funds_total": funds_total,
        "mode_rows": mode_rows,
        "mode_total": mode_total,
        "calls": calls,
        "calls_total": calls_total,
        "agreements": agreement_summary(data, year),
        "small_grants": outside_calls(data, year, Offer.Kind.SMALL_GRANT),
        "own_initiative": outside_calls(data, year, Offer.Kind.OWN_INITIATIVE),
        "small_grants_reserve": programme.small_grants_reserve,
        "non_financial": non_financial(data, year),
        "controls": [c for c in data.controls if c["plan__year"] == year],
        "indicator_rows": indicator_rows(data, year, programme_codes, trend_years),
        "other_indicator_rows": indicator_rows(data, year, other_codes, trend_years),
        "trend_years": trend_years,
        "chart_areas": bar_chart(
            [(row.name, row.awarded) for row in funds_rows],
            f"Dotacje przyznane w {year} r. według obszarów (zł)",
        ),
        "chart_modes": bar_chart(
            [(row["name"], row["awarded"]) for row in mode_rows],
            f"Dotacje przyznane w {year} r. według trybu (zł)",
        ),
        "chart_years": column_chart(
            chart_years,
            [("Dotacje przyznane", yearly_awarded), ("Dotacje rozliczone", yearly_settled)],
            "Dotacje w kolejnych latach (zł)",
        ),
        "yearly": list(zip(chart_years, yearly_awarded, yearly_settled, strict=True)),
        "agreement_count": len(data.agreements_in(year)),
        "agreement_list": agreement_list(data, year),
    }


KIND_LABELS = {"open_call": "konkurs", "small_grant": "art. 19a", "own_initiative": "art. 12"}


def agreement_list(data: ReportData, year: int) -> list[dict]:
    """The annex: every agreement of the year with its grant, the settled amount and its status."""
    statuses = dict(Agreement.Status.choices)
    return [
        {
            "number": a.number,
            "organisation": a.organisation_name,
            "title": a.title,
            "kind": KIND_LABELS.get(a.kind, a.kind),
            "grant": a.grant_amount,
            "settled": a.accepted_settlement.settled if a.accepted_settlement is not None else None,
            "status": statuses.get(a.status, a.status),
        }
        for a in sorted(data.agreements_in(year), key=lambda a: (a.kind != "open_call", a.number))
        if a.is_signed
    ]


def _settled(agreements) -> Decimal:
    """Grant settled under the accepted final reports among ``agreements``."""
    return sum((a.accepted_settlement.settled for a in agreements if a.accepted_settlement is not None), ZERO)
