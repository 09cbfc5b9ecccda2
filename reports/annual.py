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
from .local_initiative import local_initiative_summary
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


def split_exactly(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``amount`` shared in proportion to ``weights``, rounded to the grosz; the largest share takes the remainder,
    so the parts add up exactly to ``amount``."""
    whole = sum(weights, ZERO)
    if not weights or not whole:
        return [ZERO for _ in weights]
    shares = [_q(amount * w / whole) for w in weights]
    largest = max(range(len(weights)), key=lambda i: weights[i])
    shares[largest] += amount - sum(shares, ZERO)
    return shares


UNASSIGNED = "Bez wskazanej pozycji budżetu"


def funds_by_budget_line(data: ReportData, year: int) -> tuple[list[FundsRow], FundsRow]:
    """S0's table: per budget line, planned; awarded (agreements in force); settled (accepted reports).

    Each agreement counts on the budget lines the office charged it to for ``year``; its settled grant is shared
    between them in proportion to the charges. What is not charged to a line of this programme is shown on a row of
    its own, so the table adds up to the same totals as the table by mode.
    """
    rows = {line.pk: FundsRow(str(line.number), line.name, line.planned_amount) for line in data.budget_lines}
    unassigned = FundsRow("", UNASSIGNED, ZERO)
    for agreement in data.agreements_in(year):
        if not agreement.in_force:
            continue
        awarded = agreement.awarded_in(year)
        charges = [c for c in agreement.charges if c["year"] == year and c["budget_line_id"] in rows]
        weights = [c["amount"] for c in charges]
        rest = awarded - sum(weights, ZERO)
        if rest:
            weights.append(rest)
        settled = split_exactly(agreement.settled_in(year), weights)
        for charge, part in zip(charges, settled, strict=False):
            row = rows[charge["budget_line_id"]]
            row.awarded += charge["amount"]
            row.settled += part
            row.agreements += 1
        if rest:
            unassigned.awarded += rest
            unassigned.settled += settled[-1]
            unassigned.agreements += 1
    ordered = list(rows.values())
    if unassigned.agreements:
        ordered.append(unassigned)
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
    """Per mode: agreements in force and their grant of ``year``; transferred, settled and returned for every signed
    agreement (a terminated one may have been paid and have returned money)."""
    money = ("awarded", "transferred", "settled", "returned")
    rows = {key: {"key": key, "name": label, "count": 0, **dict.fromkeys(money, ZERO)} for key, label in MODE_LABELS}
    for agreement in data.agreements_in(year):
        if not agreement.is_signed:
            continue
        row = rows[_mode_key(agreement)]
        if agreement.in_force:
            row["count"] += 1
            row["awarded"] += agreement.awarded_in(year)
        row["transferred"] += agreement.transferred_in(year)
        row["settled"] += agreement.settled_in(year)
        row["returned"] += agreement.refunded_in(year)
    ordered = list(rows.values())
    total = {"name": "Razem", "count": sum(r["count"] for r in ordered)}
    total.update({key: sum((r[key] for r in ordered), ZERO) for key in money})
    return ordered, total


def agreement_summary(data: ReportData, year: int) -> dict:
    agreements = data.agreements_in(year)
    signed = [a for a in agreements if a.is_signed]
    settlements = [a.settlement_in(year) for a in agreements if a.settlement_in(year) is not None]
    return {
        "signed": len(signed),
        "performed": sum(1 for a in signed if a.status == Agreement.Status.PERFORMED),
        "terminated": sum(1 for a in signed if a.status == Agreement.Status.TERMINATED),
        "in_progress": sum(1 for a in signed if a.status == Agreement.Status.SIGNED),
        "reports_accepted": len(settlements),
        "transferred": sum((a.transferred_in(year) for a in agreements), ZERO),
        "returned_due": sum((s.to_return for s in settlements), ZERO),
        "refunded": sum((a.refunded_in(year) for a in agreements), ZERO),
        "unused": sum((s.unused for s in settlements), ZERO),
        "excessive": sum((s.excessive for s in settlements), ZERO),
        "misused": sum((s.misused for s in settlements), ZERO),
        "beneficiaries": sum(a.report["beneficiaries"] for a in agreements if a.accepted and a.report),
        "volunteers": sum(a.report["volunteers"] for a in agreements if a.accepted and a.report),
    }


def calls_summary(data: ReportData, year: int) -> tuple[list[dict], dict]:
    calls = data.calls_in(year)
    awarded = defaultdict(lambda: ZERO)
    counts = defaultdict(int)
    for agreement in data.agreements_in(year):
        if agreement.call_id and agreement.in_force:
            awarded[agreement.call_id] += agreement.awarded_in(year)
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
        "awarded": sum((a.awarded_in(year) for a in agreements), ZERO),
        "settled": _settled(agreements, year),
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


def indicator_rows(
    data: ReportData, year: int, codes_targets: list[tuple[str, str]], trend_years: list[int], authority=None
):
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
                name=definition.name_for(authority),
                measure=definition.measure_for(authority),
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
    yearly_settled = [_settled(data.agreements_in(y), y) for y in chart_years]
    consultations = [c for c in data.consultations if c["programme_id"] == programme.pk]
    annex_rows, annex_total = agreement_list(data, year)
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
        "cooperating_organisations": computations.c1_cooperating_organisations(data, year),
        "small_grants": outside_calls(data, year, Offer.Kind.SMALL_GRANT),
        "own_initiative": outside_calls(data, year, Offer.Kind.OWN_INITIATIVE),
        "small_grants_reserve": programme.small_grants_reserve,
        "local_initiative": local_initiative_summary(data, year),
        "non_financial": non_financial(data, year),
        "controls": [c for c in data.controls if c["plan__year"] == year],
        "indicator_rows": indicator_rows(data, year, programme_codes, trend_years, programme.authority),
        "other_indicator_rows": indicator_rows(data, year, other_codes, trend_years, programme.authority),
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
        "agreement_list": annex_rows,
        "agreement_total": annex_total,
    }


KIND_LABELS = {"open_call": "konkurs", "small_grant": "art. 19a", "own_initiative": "art. 12"}


def agreement_list(data: ReportData, year: int) -> tuple[list[dict], dict]:
    """The annex: every agreement signed for the year, once, with its years, its grant of the year (none once it is
    terminated), what was transferred, settled and returned in the year, and its status; with the totals."""
    statuses = dict(Agreement.Status.choices)
    rows = [
        {
            "number": a.number,
            "organisation": a.organisation_name,
            "title": a.title,
            "kind": KIND_LABELS.get(a.kind, a.kind),
            "grant": a.grant_amount,
            "years": f"{a.years[0]}–{a.years[-1]}" if a.multi_year else "",
            "awarded": a.awarded_in(year) if a.in_force else None,
            "transferred": a.transferred_in(year),
            "settled": a.settled_in(year) if a.settlement_in(year) is not None else None,
            "returned": a.refunded_in(year),
            "status": statuses.get(a.status, a.status),
        }
        for a in sorted(data.agreements_in(year), key=lambda a: (a.kind != "open_call", a.number))
        if a.is_signed
    ]
    total = {
        key: sum((r[key] for r in rows if r[key] is not None), ZERO)
        for key in ("awarded", "transferred", "settled", "returned")
    }
    return rows, total


def _settled(agreements, year: int) -> Decimal:
    """Grant of ``year`` settled under the accepted reports among ``agreements``."""
    return sum((a.settled_in(year) for a in agreements), ZERO)
