"""State changes of open calls. The 21-day rule and the budget-line limit are enforced here, under lock."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.audit import acting_as
from config.polish import format_money
from config.workflow import advance
from programmes.models import BudgetLine

from ..limits import MIN_CALL_DAYS
from ..models import CallBudgetLine, OpenCall

C = OpenCall.Status
TRANSITIONS: dict[str, set[str]] = {
    C.DRAFT: {C.PUBLISHED, C.ANNULLED},
    C.PUBLISHED: {C.SUBMISSION_CLOSED, C.ANNULLED},
    C.SUBMISSION_CLOSED: {C.FORMAL_REVIEW, C.ANNULLED},
    C.FORMAL_REVIEW: {C.COMMISSION_REVIEW, C.ANNULLED},
    C.COMMISSION_REVIEW: {C.DECIDED, C.ANNULLED},
    C.DECIDED: {C.FINISHED},
    C.FINISHED: set(),
    C.ANNULLED: set(),
}


def deadline_errors(call: OpenCall) -> dict[str, str]:
    """Art. 13 ust. 1: the deadline falls at least 21 days after the last of the three announcements."""
    last = call.last_publication
    if last is None:
        return {"published_bip_on": "Podaj datę publikacji ogłoszenia w BIP, na tablicy ogłoszeń i na stronie."}
    deadline_day = timezone.localtime(call.submission_deadline).date()
    if deadline_day < call.earliest_deadline_date:
        return {
            "submission_deadline": (
                f"Termin składania ofert musi przypadać co najmniej {MIN_CALL_DAYS} dni po ostatnim ogłoszeniu "
                f"({last:%d.%m.%Y}), czyli najwcześniej {call.earliest_deadline_date:%d.%m.%Y}."
            )
        }
    return {}


def budget_line_remaining(budget_line: BudgetLine, exclude_call: OpenCall | None = None) -> Decimal:
    """What is left on a budget line after every other non-annulled call drawn on it."""
    taken = (
        CallBudgetLine.objects.filter(budget_line=budget_line)
        .exclude(call__status=C.ANNULLED)
        .exclude(call=exclude_call)
        .aggregate(total=Sum("amount", default=Decimal("0")))["total"]
    )
    return budget_line.planned_amount - taken


@transaction.atomic
def call_allocate(*, call: OpenCall, allocations: dict[int, Decimal], actor) -> None:
    """Set how much the call draws from each budget line; refuse more than is left on any line.

    The budget lines are locked, so two calls saved at the same moment cannot both take the last złoty.
    """
    lines = {
        line.pk: line
        for line in BudgetLine.objects.select_for_update().filter(pk__in=allocations, programme=call.programme_id)
    }
    errors = []
    for line_pk, amount in allocations.items():
        line = lines.get(line_pk)
        if line is None:
            errors.append("Pozycja budżetu nie należy do programu tego konkursu.")
            continue
        remaining = budget_line_remaining(line, exclude_call=call)
        if amount > remaining:
            errors.append(
                f"Na pozycji „{line.name}” zostało {format_money(remaining)} – konkurs nie może z niej pobrać "
                f"{format_money(amount)}."
            )
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        call.budget_allocations.exclude(budget_line_id__in=allocations).delete()
        for line_pk, amount in allocations.items():
            CallBudgetLine.objects.update_or_create(call=call, budget_line_id=line_pk, defaults={"amount": amount})


def call_publish_errors(call: OpenCall) -> dict[str, str]:
    """What stops the announcement (also asked before the confirmation page); empty when it may go out."""
    errors = deadline_errors(call)
    if not call.budget_allocations.exists():
        errors["__all__"] = "Wskaż, z których pozycji budżetu programu konkurs pobiera środki."
    if not call.criteria.exists():
        errors.setdefault("__all__", "Określ kryteria oceny ofert (art. 13 ust. 2 pkt 6).")
    if call.status != C.DRAFT:
        errors.setdefault("__all__", f"Konkurs ma status „{call.get_status_display()}” – ogłasza się go raz.")
    return errors


@transaction.atomic
def call_publish(*, call: OpenCall, actor) -> OpenCall:
    call = OpenCall.objects.select_for_update().get(pk=call.pk)
    if errors := call_publish_errors(call):
        raise ValidationError(errors)
    with acting_as(actor):
        advance(call, C.PUBLISHED, TRANSITIONS)
        call.save(update_fields=["status"])
    return call


@transaction.atomic
def call_set_status(*, call: OpenCall, status: str, actor, reason: str = "") -> OpenCall:
    call = OpenCall.objects.select_for_update().get(pk=call.pk)
    if status == C.SUBMISSION_CLOSED and timezone.now() <= call.submission_deadline:
        raise ValidationError("Nabór trwa do terminu składania ofert; zamknąć go można później.")
    if status == C.ANNULLED and not reason.strip():
        raise ValidationError({"annulment_reason": "Podaj przyczynę unieważnienia (art. 18a ustawy)."})
    with acting_as(actor):
        advance(call, status, TRANSITIONS)
        call.annulment_reason = reason.strip() if status == C.ANNULLED else call.annulment_reason
        call.save(update_fields=["status", "annulment_reason"])
    return call
