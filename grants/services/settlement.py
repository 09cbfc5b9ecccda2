"""Rozliczenie dotacji (UFP art. 251–252; domain.md §11): unused and excessive grant, deadlines, interest, refunds.

The arithmetic is one pure function, ``compute_settlement``, used both by the pages of one agreement and by the
year-end report (which feeds it rows it fetched in bulk), so the two can never disagree.

Rules, as the portal applies them:

* transferred = Σ tranches paid; an agreement with no tranche recorded counts its whole grant as transferred;
* a cost line deviates when ``actual_grant > planned_grant × (1 + t)`` (t = the agreement's threshold); the part
  above ``planned_grant × (1 + t)`` is grant used in excessive amount (art. 252) – exactly at the threshold is
  compliant, one grosz over is not;
* unused = transferred − Σ grant actually spent (never below zero);
* unused is returned by 31 January of the next year when the grant could be used until 31 December, otherwise
  within 15 days of the end of the period of use (art. 251 ust. 1 and 3); interest from the day after;
* excessive grant is returned within 15 days of the finding (the day staff assess the final report); interest from
  the day after (art. 252 ust. 1);
* grant found misused in a control is returned within 15 days of the finding, with interest from the day of the
  transfer (art. 252 ust. 6).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.audit import acting_as
from config.workflow import advance
from reports.templatetags.formatting import format_money

from ..limits import RETURN_DAYS
from ..models import Agreement, Control, GrantReport, Refund

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

A = Agreement.Status
# Only the settlement makes an agreement performed; the agreement service owns draft → signed and → terminated.
TRANSITIONS = {A.SIGNED: {A.PERFORMED}}


@dataclass(frozen=True)
class LineDeviation:
    cost_line_id: int | None
    name: str
    planned_grant: Decimal
    actual_grant: Decimal
    allowed: Decimal
    excess: Decimal


@dataclass(frozen=True)
class Due:
    kind: str
    label: str
    amount: Decimal
    deadline: date
    interest_from: date


@dataclass
class Settlement:
    transferred: Decimal
    spent_from_grant: Decimal
    unused: Decimal
    excessive: Decimal
    misused: Decimal
    lines: list[LineDeviation] = field(default_factory=list)
    dues: list[Due] = field(default_factory=list)
    refunded: Decimal = ZERO

    @property
    def to_return(self) -> Decimal:
        return sum((d.amount for d in self.dues), ZERO)

    @property
    def outstanding(self) -> Decimal:
        return max(self.to_return - self.refunded, ZERO)

    @property
    def settled(self) -> Decimal:
        """Grant used and settled (S2 Q1's numerator): transferred less everything that must come back."""
        return self.transferred - self.to_return

    @property
    def deviating_lines(self) -> list[LineDeviation]:
        return [line for line in self.lines if line.excess > 0]


def allowed_grant(planned_grant: Decimal, threshold_pct: Decimal) -> Decimal:
    """The most a line may take from the grant: planned × (1 + t), exact (no rounding in the organisation's favour)."""
    return planned_grant * (1 + Decimal(threshold_pct) / 100)


def line_excess(planned_grant: Decimal, actual_grant: Decimal, threshold_pct: Decimal) -> Decimal:
    allowed = allowed_grant(planned_grant, threshold_pct)
    if actual_grant > allowed:
        return (actual_grant - allowed).quantize(CENT, rounding=ROUND_HALF_UP)
    return ZERO


def unused_deadline(use_deadline: date) -> date:
    """Art. 251 ust. 1 and 3: 31 January after a year-end use deadline, otherwise 15 days after the use deadline."""
    if (use_deadline.month, use_deadline.day) == (12, 31):
        return date(use_deadline.year + 1, 1, 31)
    return use_deadline + timedelta(days=RETURN_DAYS)


def compute_settlement(
    *,
    transferred: Decimal,
    threshold_pct: Decimal,
    lines: list[tuple[int | None, str, Decimal, Decimal]],
    use_deadline: date,
    found_on: date,
    misused: list[tuple[Decimal, date]] = (),
    transfer_date: date | None = None,
    refunded: Decimal = ZERO,
) -> Settlement:
    """``lines`` = (cost line id, name, planned grant, actual grant); ``misused`` = (amount, finding date)."""
    deviations = []
    for line_id, name, planned, actual in lines:
        deviations.append(
            LineDeviation(
                line_id,
                name,
                planned,
                actual,
                allowed_grant(planned, threshold_pct).quantize(CENT, rounding=ROUND_HALF_UP),
                line_excess(planned, actual, threshold_pct),
            )
        )
    spent = sum((actual for _, _, _, actual in lines), ZERO)
    unused = max(transferred - spent, ZERO)
    excessive = sum((d.excess for d in deviations), ZERO)
    # Never claim back more than was transferred.
    excessive = min(excessive, transferred - unused)
    misused_total = min(sum((amount for amount, _ in misused), ZERO), transferred - unused - excessive)
    dues = []
    if unused > 0:
        deadline = unused_deadline(use_deadline)
        dues.append(Due("unused", "dotacja niewykorzystana", unused, deadline, deadline + timedelta(days=1)))
    if excessive > 0:
        deadline = found_on + timedelta(days=RETURN_DAYS)
        dues.append(
            Due("excessive", "dotacja pobrana w nadmiernej wysokości", excessive, deadline, deadline + timedelta(1))
        )
    if misused_total > 0:
        finding = max(day for _, day in misused)
        dues.append(
            Due(
                "misused",
                "dotacja wykorzystana niezgodnie z przeznaczeniem",
                misused_total,
                finding + timedelta(days=RETURN_DAYS),
                transfer_date or finding,
            )
        )
    return Settlement(
        transferred=transferred,
        spent_from_grant=spent,
        unused=unused,
        excessive=excessive,
        misused=misused_total,
        lines=deviations,
        dues=dues,
        refunded=refunded,
    )


def transferred_amount(agreement: Agreement) -> tuple[Decimal, date | None]:
    tranches = list(agreement.tranches.all())
    if not tranches:
        return agreement.grant_amount, agreement.signed_on
    paid = [t for t in tranches if t.paid_on]
    return sum((t.amount for t in paid), ZERO), min((t.paid_on for t in paid), default=None)


def final_report(agreement: Agreement) -> GrantReport | None:
    return agreement.grant_reports.filter(kind=GrantReport.Kind.FINAL).first()


def agreement_settlement(agreement: Agreement, today: date | None = None) -> Settlement | None:
    """The settlement from the agreement's final report (``None`` while there is none to settle)."""
    report = final_report(agreement)
    if report is None or report.status == GrantReport.Status.DRAFT:
        return None
    transferred, transfer_date = transferred_amount(agreement)
    found_on = timezone.localdate(report.decided_at) if report.decided_at else (today or timezone.localdate())
    lines = [
        (line.cost_line_id, line.cost_line.name, line.cost_line.from_grant, line.actual_from_grant)
        for line in report.lines.select_related("cost_line")
    ]
    misused = [
        (c.misused_amount, c.ended_on)
        for c in agreement.controls.filter(status=Control.Status.DONE, misused_amount__gt=0)
    ]
    refunded = agreement.refunds.exclude(kind=Refund.Kind.INTEREST).aggregate(s=Sum("amount"))["s"] or ZERO
    return compute_settlement(
        transferred=transferred,
        threshold_pct=agreement.deviation_threshold_pct,
        lines=lines,
        use_deadline=agreement.use_deadline,
        found_on=found_on,
        misused=misused,
        transfer_date=transfer_date,
        refunded=refunded,
    )


def settlement_close_if_done(agreement: Agreement, actor) -> bool:
    """Art. 18 and the 2018 template: performed once the final report is accepted and nothing is owed."""
    agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    if agreement.status != A.SIGNED:
        return False
    report = final_report(agreement)
    if report is None or report.status != GrantReport.Status.ACCEPTED:
        return False
    settlement = agreement_settlement(agreement)
    if settlement is None or settlement.outstanding > 0:
        return False
    with acting_as(actor):
        advance(agreement, A.PERFORMED, TRANSITIONS)
        agreement.save(update_fields=["status"])
    return True


@transaction.atomic
def refund_record(*, agreement: Agreement, actor, kind: str, amount: Decimal, paid_on: date, note: str = "") -> Refund:
    """Record money returned to the authority's account; the agreement is performed once nothing is owed."""
    errors = {}
    if agreement.status not in (A.SIGNED, A.PERFORMED, A.TERMINATED):
        errors["kind"] = "Zwrot można zaksięgować tylko dla zawartej umowy."
    if amount is None or amount <= 0:
        errors["amount"] = "Kwota zwrotu musi być większa od zera."
    if paid_on and paid_on > timezone.localdate():
        errors["paid_on"] = "Data wpływu nie może być z przyszłości."
    if kind not in Refund.Kind.values:
        errors["kind"] = "Wybierz tytuł zwrotu."
    # Locked, so that two refunds recorded at once cannot both fit under what is owed.
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    settlement = agreement_settlement(agreement)
    if not errors and kind != Refund.Kind.INTEREST and settlement is not None and amount > settlement.outstanding:
        errors["amount"] = (
            f"Do zwrotu pozostało {format_money(settlement.outstanding)}; nadpłatę zwraca się organizacji, "
            "a nie księguje jako zwrot dotacji."
        )
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        refund = Refund.objects.create(
            agreement=agreement, kind=kind, amount=amount, paid_on=paid_on, note=note, recorded_by=actor
        )
    settlement_close_if_done(agreement, actor)
    return refund
