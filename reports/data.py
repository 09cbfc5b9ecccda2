"""The data of the year-end report, gathered in a fixed number of queries whatever the number of agreements.

``gather(programme)`` reads every row the report and its indicators need, for the programme's years and the
authority's earlier programme years (for multi-year trends), and returns plain Python objects. Everything after
that (settlements, indicators, tables, charts) is computed in Python from these rows – no query per row.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from config.territory import seated_in_territory
from consultations.models import Consultation
from grants.models import (
    Agreement,
    AgreementBudgetLine,
    CallBudgetLine,
    Control,
    GrantReport,
    GrantReportLine,
    Offer,
    OpenCall,
    Refund,
    Tranche,
)
from grants.services.budget_charges import year_parts
from grants.services.settlement import Settlement, compute_settlement
from grants.services.yearly_settlement import tranche_year, year_settlements
from organisations.models import Organisation
from programmes.models import BudgetLine, CooperationActivity, Indicator, Programme

from .local_initiative import gather_local_initiative

ZERO = Decimal("0.00")
IN_FORCE = {Agreement.Status.SIGNED, Agreement.Status.PERFORMED}
SIGNED = {Agreement.Status.SIGNED, Agreement.Status.PERFORMED, Agreement.Status.TERMINATED}


def offers_of(authority) -> Q:
    """Offers addressed to the authority: in its calls, or outside calls (small grants, own initiative)."""
    return Q(call__authority=authority) | Q(call__isnull=True, direct__authority=authority)


@dataclass
class AgreementRow:
    id: int
    number: str
    title: str
    status: str
    year: int
    signed_on: date | None
    start_date: date
    end_date: date
    grant_amount: Decimal
    threshold: Decimal
    mode: str
    kind: str  # the offer's kind: open_call, small_grant, own_initiative
    organisation_id: int
    organisation_name: str
    call_id: int | None
    transferred: Decimal = ZERO
    transfer_date: date | None = None
    report: dict | None = None  # the final report (submitted, returned or accepted)
    lines: list = field(default_factory=list)
    refunded: Decimal = ZERO
    misused: list = field(default_factory=list)
    settlement: Settlement | None = None
    parts: dict = field(default_factory=dict)  # budget year → the part of the grant given in that year
    tranches: list = field(default_factory=list)
    charges: list = field(default_factory=list)  # {"budget_line_id", "year", "amount"}
    partial_reports: list = field(default_factory=list)  # accepted partial reports (multi-year agreements)
    by_year: dict = field(default_factory=dict)  # budget year → Settlement (multi-year agreements)
    imported_settled: Decimal | None = None  # an agreement imported from earlier years: settled as the office says

    @property
    def years(self) -> list[int]:
        return list(range(self.start_date.year, self.end_date.year + 1))

    @property
    def multi_year(self) -> bool:
        return self.end_date.year > self.start_date.year

    def awarded_in(self, year: int) -> Decimal:
        """The part of the grant the agreement gives in ``year`` (the whole grant for a task within one year)."""
        if not self.parts:
            return self.grant_amount if year == self.year else ZERO
        return self.parts.get(year, ZERO)

    def transferred_in(self, year: int) -> Decimal:
        """Tranches of ``year`` actually transferred (for a task within one year, every tranche of it)."""
        if not self.multi_year:
            return self.transferred if year == self.year else ZERO
        return sum(
            (t["amount"] for t in self.tranches if t["paid_on"] and tranche_year(t["due_date"], self.years) == year),
            ZERO,
        )

    def settlement_in(self, year: int) -> Settlement | None:
        """The settlement of ``year`` once its report (partial for an earlier year, final for the last) is accepted."""
        if not self.multi_year:
            return self.accepted_settlement if year == self.year else None
        return self.by_year.get(year)

    def refunded_in(self, year: int) -> Decimal:
        """Refunds of grant (interest aside) counted in ``year``: credited to the years settled in order, the rest in
        the last year (all of them for a task within one year)."""
        if not self.multi_year:
            return self.refunded if year == self.year else ZERO
        credited = sum((s.refunded for s in self.by_year.values()), ZERO)
        settlement = self.by_year.get(year)
        own = settlement.refunded if settlement is not None else ZERO
        return own + (self.refunded - credited if year == self.years[-1] else ZERO)

    def settled_in(self, year: int) -> Decimal:
        settlement = self.settlement_in(year)
        return settlement.settled if settlement is not None else ZERO

    @property
    def is_signed(self) -> bool:
        return self.status in SIGNED and self.signed_on is not None

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE

    @property
    def accepted(self) -> bool:
        return self.report is not None and self.report["status"] == GrantReport.Status.ACCEPTED

    @property
    def accepted_settlement(self) -> Settlement | None:
        """The settlement once the final report is accepted (what the report counts as settled); else ``None``."""
        if self.report is None and self.imported_settled is not None:
            return self.settlement  # imported as settled: its report was accepted before the portal
        return self.settlement if self.accepted else None


@dataclass
class ReportData:
    programme: Programme
    programmes: list[Programme]
    years: list[int]
    budget_lines: list[BudgetLine]
    allocations: list[dict]
    agreements: list[AgreementRow]
    calls: list[dict]
    offers: list[dict]
    consultations: list[dict]
    activities: list[dict]
    controls: list[dict]
    organisations: list[dict]
    indicators: list[Indicator]
    # (organisation_id, year) of every organisation taking part in a cooperation activity of the span.
    activity_organisations: list[dict] = field(default_factory=list)
    # Local initiative (art. 19b–19h): reports/local_initiative.py gathers and sums these.
    local_requests: list[dict] = field(default_factory=list)
    local_agreements: list[dict] = field(default_factory=list)

    def agreements_in(self, year: int) -> list[AgreementRow]:
        """Agreements with a part in ``year``: a multi-year agreement counts in each of its years."""
        return [a for a in self.agreements if a.start_date.year <= year <= a.end_date.year]

    def calls_in(self, year: int) -> list[dict]:
        return [c for c in self.calls if c["year"] == year]

    def offers_in(self, year: int) -> list[dict]:
        return [o for o in self.offers if o["year"] == year]


def imported_settlement(row: AgreementRow) -> Settlement:
    """The settlement of an agreement imported as settled: the office gives what was settled and returned; what was
    transferred and not settled is the unused grant, due by the deadline of UFP art. 251."""
    unused = max(row.transferred - row.imported_settled, ZERO)
    use_deadline = min(row.end_date, date(row.end_date.year, 12, 31))
    return compute_settlement(
        transferred=row.transferred,
        threshold_pct=row.threshold,
        lines=[(None, "dotacja (import)", row.grant_amount, row.transferred - unused)],
        use_deadline=use_deadline,
        found_on=use_deadline,
        refunded=row.refunded,
    )


def _natural(text: str) -> list:
    """ "OK/2025/10" after "OK/2025/9": numbers compared as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def gather(programme: Programme, today: date | None = None) -> ReportData:
    authority = programme.authority
    programmes = list(
        Programme.objects.filter(authority=authority, year_from__lte=programme.year_to)
        .exclude(status=Programme.Status.DRAFT)
        .order_by("year_from")
    )
    first_year = min([p.year_from for p in programmes] + [programme.year_from])
    years = list(range(first_year, programme.year_to + 1))
    span = Q(end_date__year__gte=first_year, start_date__year__lte=programme.year_to)

    budget_lines = list(programme.budget_lines.select_related("priority_area").order_by("number"))
    allocations = list(
        CallBudgetLine.objects.filter(budget_line__programme=programme).values("call_id", "budget_line_id", "amount")
    )

    agreement_filter = Q(authority=authority) & span
    rows = {}
    for a in (
        Agreement.objects.filter(agreement_filter)
        .values(
            "id",
            "number",
            "title",
            "status",
            "signed_on",
            "start_date",
            "end_date",
            "grant_amount",
            "deviation_threshold_pct",
            "mode",
            "award__offer__kind",
            "organisation_id",
            "organisation__name",
            "award__offer__call_id",
            "imported_kind",
            "imported_call_id",
            "imported_settled",
        )
        .order_by("start_date", "number")
    ):
        rows[a["id"]] = AgreementRow(
            id=a["id"],
            number=a["number"],
            title=a["title"],
            status=a["status"],
            year=a["start_date"].year,
            signed_on=a["signed_on"],
            start_date=a["start_date"],
            end_date=a["end_date"],
            grant_amount=a["grant_amount"],
            threshold=a["deviation_threshold_pct"],
            mode=a["mode"],
            kind=a["award__offer__kind"] or a["imported_kind"],
            organisation_id=a["organisation_id"],
            organisation_name=a["organisation__name"],
            call_id=a["award__offer__call_id"] or a["imported_call_id"],
            imported_settled=a["imported_settled"],
        )

    # Rows hanging off the agreements are selected by the same filter, as a subquery (one query each).
    related = Q(agreement__in=Agreement.objects.filter(agreement_filter).values("pk"))
    tranches = defaultdict(list)
    for t in Tranche.objects.filter(related).values("agreement_id", "amount", "due_date", "paid_on").order_by("number"):
        tranches[t["agreement_id"]].append(t)
    charges = defaultdict(list)
    for c in AgreementBudgetLine.objects.filter(related).values("agreement_id", "budget_line_id", "year", "amount"):
        charges[c["agreement_id"]].append(c)
    reports, partials = {}, defaultdict(list)
    # The final report (submitted, returned or accepted) and the accepted partial reports of multi-year agreements.
    reported = Q(kind=GrantReport.Kind.FINAL) | Q(kind=GrantReport.Kind.PARTIAL, status=GrantReport.Status.ACCEPTED)
    for r in (
        GrantReport.objects.filter(related)
        .filter(reported)
        .exclude(status=GrantReport.Status.DRAFT)
        .values(
            "id",
            "agreement_id",
            "kind",
            "period_from",
            "period_to",
            "status",
            "decided_at",
            "beneficiaries",
            "volunteers",
            "own_financial",
            "personal_contribution",
            "in_kind_contribution",
            "recipient_payments",
            "eu_funds",
            "results",
        )
    ):
        if r["kind"] == GrantReport.Kind.FINAL:
            reports[r["agreement_id"]] = r
        else:
            partials[r["agreement_id"]].append(r)
    lines, report_lines = defaultdict(list), defaultdict(list)
    for line in (
        GrantReportLine.objects.filter(report__agreement__in=Agreement.objects.filter(agreement_filter).values("pk"))
        .filter(Q(report__kind=GrantReport.Kind.FINAL) | Q(report__status=GrantReport.Status.ACCEPTED))
        .exclude(report__status=GrantReport.Status.DRAFT)
        .values(
            "report_id",
            "report__kind",
            "report__agreement_id",
            "cost_line_id",
            "cost_line__name",
            "cost_line__total",
            "cost_line__from_grant",
            "actual_total",
            "actual_from_grant",
        )
        .order_by("cost_line__order")
    ):
        report_lines[line["report_id"]].append(line)
        if line["report__kind"] == GrantReport.Kind.FINAL:
            lines[line["report__agreement_id"]].append(line)
    refunds = defaultdict(lambda: ZERO)
    for r in (
        Refund.objects.filter(related)
        .exclude(kind=Refund.Kind.INTEREST)
        .values("agreement_id")
        .annotate(total=Sum("amount"))
    ):
        refunds[r["agreement_id"]] = r["total"]

    controls = list(
        Control.objects.filter(authority=authority)
        .values(
            "id",
            "plan__year",
            "status",
            "type",
            "planned_for",
            "started_on",
            "ended_on",
            "agreement_id",
            "agreement__number",
            "misused_amount",
            "findings",
            "recommendations",
        )
        .order_by("planned_for", "id")
    )
    misused = defaultdict(list)
    for c in controls:
        if c["status"] == Control.Status.DONE and c["agreement_id"] and c["misused_amount"] > 0:
            misused[c["agreement_id"]].append((c["misused_amount"], c["ended_on"]))

    for row in rows.values():
        # Transferred is what was paid: a tranche without a recorded transfer counts nothing.
        row.tranches = tranches.get(row.id, [])
        done = [t for t in row.tranches if t["paid_on"]]
        row.transferred = sum((t["amount"] for t in done), ZERO)
        row.transfer_date = min((t["paid_on"] for t in done), default=None)
        row.parts = year_parts(
            row.start_date, row.end_date, row.grant_amount, [(t["amount"], t["due_date"]) for t in row.tranches]
        )
        row.charges = charges.get(row.id, [])
        row.report = reports.get(row.id)
        row.lines = lines.get(row.id, [])
        row.refunded = refunds[row.id]
        row.misused = misused.get(row.id, [])
        if row.multi_year:
            row.partial_reports = [{**r, "lines": report_lines[r["id"]]} for r in partials.get(row.id, [])]
            final = row.report if row.accepted else None
            row.by_year = year_settlements(
                years=row.years,
                end_date=row.end_date,
                grant=row.grant_amount,
                parts=row.parts,
                threshold_pct=row.threshold,
                tranches=row.tranches,
                reports=row.partial_reports + ([{**final, "lines": row.lines}] if final else []),
                misused=row.misused,
                refunded=row.refunded,
            )
        if row.report is None and row.imported_settled is not None:
            row.settlement = imported_settlement(row)
        if row.report is not None:
            decided = row.report["decided_at"]
            row.settlement = compute_settlement(
                transferred=row.transferred,
                threshold_pct=row.threshold,
                lines=[
                    (x["cost_line_id"], x["cost_line__name"], x["cost_line__from_grant"], x["actual_from_grant"])
                    for x in row.lines
                ],
                use_deadline=min(row.end_date, date(row.end_date.year, 12, 31)),
                found_on=timezone.localdate(decided) if decided else (today or timezone.localdate()),
                misused=row.misused,
                transfer_date=row.transfer_date,
                refunded=row.refunded,
            )

    calls = [
        {**c, "year": c["delivery_start"].year}
        for c in OpenCall.objects.filter(
            authority=authority, delivery_start__year__gte=first_year, delivery_start__year__lte=programme.year_to
        )
        .exclude(status=OpenCall.Status.DRAFT)
        .values("id", "number", "title", "status", "mode", "programme_id", "delivery_start")
        .annotate(
            offer_count=Count("offers", filter=~Q(offers__status__in=[Offer.Status.DRAFT, Offer.Status.WITHDRAWN])),
        )
        .order_by("delivery_start", "number")
    ]
    calls.sort(key=lambda c: (c["year"], _natural(c["number"])))
    offers = []
    for o in (
        Offer.objects.filter(offers_of(authority))
        .exclude(status__in=[Offer.Status.DRAFT, Offer.Status.WITHDRAWN])
        .annotate(in_territory=seated_in_territory(authority.territory_parts, "organisation__"))
        .values(
            "id", "kind", "organisation_id", "call_id", "call__delivery_start", "start_date", "status", "in_territory"
        )
    ):
        start = o["call__delivery_start"] or o["start_date"]
        if start and first_year <= start.year <= programme.year_to:
            offers.append({**o, "year": start.year})

    consultations = [
        {**c, "year": c["starts_at"].year}
        for c in Consultation.objects.filter(
            authority=authority, starts_at__year__gte=first_year - 1, starts_at__year__lte=programme.year_to
        )
        .exclude(status=Consultation.Status.DRAFT)
        .values("id", "title", "starts_at", "ends_at", "status", "programme_id", "basis_resolution", "opening_order")
        .order_by("starts_at")
    ]
    activities = [
        {**a, "year": a["date"].year}
        for a in CooperationActivity.objects.filter(
            authority=authority, date__year__gte=first_year, date__year__lte=programme.year_to
        )
        .values("id", "kind", "date", "title", "description", "initiator", "organisation_count", "participant_count")
        .order_by("date", "id")
    ]
    # The registry figures count the organisations seated in the authority's territory (config/territory.py).
    organisations = list(
        Organisation.objects.filter(is_active=True)
        .in_territory_of(authority)
        .values("legal_form", "is_opp")
        .annotate(count=Count("id"))
    )
    activity_organisations = [
        {"organisation_id": row["organisations"], "year": row["date"].year}
        for row in CooperationActivity.objects.filter(
            authority=authority, date__year__gte=first_year, date__year__lte=programme.year_to
        )
        .exclude(organisations=None)
        .values("organisations", "date")
    ]
    indicators = list(programme.indicators.all())
    local_requests, local_agreements = gather_local_initiative(authority, first_year, programme.year_to)
    return ReportData(
        programme=programme,
        programmes=programmes,
        years=years,
        budget_lines=budget_lines,
        allocations=allocations,
        agreements=list(rows.values()),
        calls=calls,
        offers=offers,
        consultations=consultations,
        activities=activities,
        controls=controls,
        organisations=organisations,
        indicators=indicators,
        activity_organisations=activity_organisations,
        local_requests=local_requests,
        local_agreements=local_agreements,
    )
