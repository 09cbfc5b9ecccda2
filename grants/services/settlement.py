"""Rozliczenie dotacji (UFP art. 251–252; domain.md §11): unused and excessive grant, deadlines, interest, refunds.

The arithmetic is one pure function, ``compute_settlement``, used both by the pages of one agreement and by the
year-end report (which feeds it rows it fetched in bulk), so the two can never disagree.

Rules, as the portal applies them:

* transferred = Σ tranches actually paid (grants/services/payments.py); nothing recorded is nothing transferred;
* a cost line deviates when ``actual_grant > planned_grant × (1 + t)`` (t = the agreement's threshold); the part
  above ``planned_grant × (1 + t)`` is grant used in excessive amount (art. 252) – exactly at the threshold is
  compliant, one grosz over is not;
* unused = transferred − Σ grant actually spent (never below zero);
* unused is returned by 31 January of the next year when the grant could be used until 31 December, otherwise
  within 15 days of the end of the period of use (art. 251 ust. 1 and 3); interest from the day after;
* excessive grant is returned within 15 days of the finding (the day staff assess the final report); interest from
  the day after (art. 252 ust. 1);
* grant found misused in a control is returned within 15 days of the finding, with interest from the day of the
  transfer (art. 252 ust. 6);
* refunds pay the dues off in the order of their deadlines; a due returned after its deadline (or misused grant,
  always) bears interest "as for tax arrears", which the finance department computes and staff record as a refund
  of interest – the portal does not know the rates;
* the agreement is performed ("wykonana (rozliczona)") once the final report is accepted, every tranche is paid and
  nothing is owed: no grant to return and no interest left unrecorded.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.audit import acting_as
from config.polish import format_money
from config.workflow import advance

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
    # (due, interest from, returned on – None while still owed): dues that bear interest.
    interest: list[tuple[Due, date, date | None]] = field(default_factory=list)
    interest_refunded: Decimal = ZERO
    # An interest record exists, possibly of 0,00 zł where none is charged (Ordynacja podatkowa art. 54 § 1 pkt 5).
    interest_recorded: bool = False

    @property
    def interest_owed(self) -> bool:
        """Interest is due on some return and nothing has been recorded for it yet."""
        return bool(self.interest) and not (self.interest_recorded or self.interest_refunded > 0)

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
    refunds: list[tuple[date, Decimal]] | None = None,
    interest_refunded: Decimal = ZERO,
    interest_recorded: bool = False,
    today: date | None = None,
) -> Settlement:
    """``lines`` = (cost line id, name, planned grant, actual grant); ``misused`` = (amount, finding date).

    With ``refunds`` (the dated refunds of grant, interest aside) the settlement also says which dues bear interest
    (``Settlement.interest``); ``refunded`` is then their sum.
    """
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
    interest = []
    if refunds is not None:
        refunded = sum((amount for _, amount in refunds), ZERO)
        interest = interest_bearing(dues, refunds, today or timezone.localdate())
    return Settlement(
        transferred=transferred,
        spent_from_grant=spent,
        unused=unused,
        excessive=excessive,
        misused=misused_total,
        lines=deviations,
        dues=dues,
        refunded=refunded,
        interest=interest,
        interest_refunded=interest_refunded,
        interest_recorded=interest_recorded,
    )


def interest_bearing(dues: list[Due], refunds: list[tuple[date, Decimal]], today: date) -> list:
    """The dues that bear interest: misused grant always (art. 252 ust. 1, from the transfer); any other due
    returned after its deadline, or still owed after it (art. 251 ust. 5, art. 252 ust. 1). Refunds pay the dues
    off in the order of their deadlines."""
    paid = sorted(refunds)
    position, left = 0, paid[0][1] if paid else ZERO
    result = []
    for due in sorted(dues, key=lambda d: d.deadline):
        owed, returned_on = due.amount, None
        while owed > 0 and position < len(paid):
            take = min(owed, left)
            owed, left = owed - take, left - take
            returned_on = paid[position][0]
            if left <= 0:
                position += 1
                left = paid[position][1] if position < len(paid) else ZERO
        if owed > 0:
            returned_on = None
        late = (returned_on or today) > due.deadline
        if due.kind == "misused" or late:
            result.append((due, due.interest_from, returned_on))
    return result


def transferred_amount(agreement: Agreement) -> tuple[Decimal, date | None]:
    """What was actually paid (Σ tranches with a transfer recorded) and the day of the first transfer."""
    paid = [t for t in agreement.tranches.all() if t.paid_on]
    return sum((t.amount for t in paid), ZERO), min((t.paid_on for t in paid), default=None)


def final_report(agreement: Agreement) -> GrantReport | None:
    return agreement.grant_reports.filter(kind=GrantReport.Kind.FINAL).first()


def agreement_settlement(agreement: Agreement, today: date | None = None) -> Settlement | None:
    """The settlement from the agreement's final report (``None`` while there is none to settle).

    A multi-year agreement is settled year by year (grants/services/multi_year.py): its settlement is the sum of its
    years, once every year's report is accepted.
    """
    if agreement.end_date.year > agreement.start_date.year:
        from .multi_year import combined_settlement

        return combined_settlement(agreement, today)
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
    refunds = list(agreement.refunds.values_list("kind", "paid_on", "amount"))
    return compute_settlement(
        transferred=transferred,
        threshold_pct=agreement.deviation_threshold_pct,
        lines=lines,
        use_deadline=agreement.use_deadline,
        found_on=found_on,
        misused=misused,
        transfer_date=transfer_date,
        refunds=[(day, amount) for kind, day, amount in refunds if kind != Refund.Kind.INTEREST],
        interest_refunded=sum((amount for kind, _, amount in refunds if kind == Refund.Kind.INTEREST), ZERO),
        interest_recorded=any(kind == Refund.Kind.INTEREST for kind, _, _ in refunds),
        today=today,
    )


def refunded_amount(agreement: Agreement) -> Decimal:
    """Grant returned so far (interest aside)."""
    return agreement.refunds.exclude(kind=Refund.Kind.INTEREST).aggregate(s=Sum("amount"))["s"] or ZERO


def settlement_close_if_done(agreement: Agreement, actor) -> bool:
    """Art. 18 and the 2018 template: performed once the final report is accepted, every tranche is paid and
    nothing is owed (grant to return, interest to record)."""
    agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    if agreement.status != A.SIGNED:
        return False
    report = final_report(agreement)
    if report is None or report.status != GrantReport.Status.ACCEPTED:
        return False
    if agreement.tranches.filter(paid_on__isnull=True).exists():
        return False
    settlement = agreement_settlement(agreement)
    if settlement is None or settlement.outstanding > 0 or settlement.interest_owed:
        return False
    with acting_as(actor):
        advance(agreement, A.PERFORMED, TRANSITIONS)
        agreement.save(update_fields=["status"])
    return True


@transaction.atomic
def refund_record(*, agreement: Agreement, actor, kind: str, amount: Decimal, paid_on: date, note: str = "") -> Refund:
    """Record money returned to the authority's account; the agreement is performed once nothing is owed.

    A refund of grant never exceeds what is owed: what the settlement says is left to return, or – before there is
    a settlement – what was transferred and not yet returned. Interest is not capped (the finance department
    computes it). The agreement's row lock makes two refunds recorded at once fit under the same limit.
    """
    # Locked first, so that two refunds recorded at once cannot both fit under what is owed.
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    errors = {}
    if agreement.status not in (A.SIGNED, A.PERFORMED, A.TERMINATED):
        errors["kind"] = "Zwrot można zaksięgować tylko dla zawartej umowy."
    if kind == Refund.Kind.INTEREST and amount == 0:
        # Interest below the threshold of Ordynacja podatkowa art. 54 § 1 pkt 5 is not charged: the office records
        # that decision as interest of 0,00 zł, with its reason, so that the agreement can be settled.
        if not note.strip():
            errors["note"] = (
                "Podaj w uwagach, dlaczego odsetki nie należą się (np. kwota poniżej progu z Ordynacji podatkowej)."
            )
    elif amount is None or amount <= 0:
        errors["amount"] = "Kwota zwrotu musi być większa od zera."
    if paid_on is None:
        errors["paid_on"] = "Podaj datę wpływu zwrotu."
    elif paid_on > timezone.localdate():
        errors["paid_on"] = "Data wpływu nie może być z przyszłości."
    elif agreement.signed_on and paid_on < agreement.signed_on:
        errors["paid_on"] = f"Zwrot nie może poprzedzać zawarcia umowy ({agreement.signed_on:%d.%m.%Y})."
    if kind not in Refund.Kind.values:
        errors["kind"] = "Wybierz tytuł zwrotu."
    if not errors and kind != Refund.Kind.INTEREST:
        settlement = agreement_settlement(agreement)
        if settlement is not None:
            owed = settlement.outstanding
        else:
            owed = max(transferred_amount(agreement)[0] - refunded_amount(agreement), ZERO)
        if amount > owed:
            errors["amount"] = (
                f"Do zwrotu pozostało {format_money(owed)}; nadpłatę zwraca się organizacji, "
                "a nie księguje jako zwrot dotacji."
                if owed > 0
                else "Z tej umowy nie ma nic do zwrotu (przekazane środki zostały rozliczone lub zwrócone)."
            )
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        refund = Refund.objects.create(
            agreement=agreement, kind=kind, amount=amount, paid_on=paid_on, note=note, recorded_by=actor
        )
    settlement_close_if_done(agreement, actor)
    return refund
