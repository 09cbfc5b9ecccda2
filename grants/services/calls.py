"""State changes of open calls. The 21-day rule and the budget-line limit are enforced here, under lock."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.audit import acting_as
from accounts.notifications.subscriptions import announce_on_commit, call_announced
from config.polish import format_money
from config.workflow import advance
from programmes.models import BudgetLine

from ..limits import MIN_CALL_DAYS
from ..models import (
    CallBudgetLine,
    Criterion,
    LocalInitiativeReserve,
    Mode,
    NumberSequence,
    OpenCall,
    RequiredAttachment,
)

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


def calls_drawn(budget_line: BudgetLine, exclude_call: OpenCall | None = None) -> Decimal:
    """What the line's non-annulled calls (other than ``exclude_call``) draw from it."""
    return (
        CallBudgetLine.objects.filter(budget_line=budget_line)
        .exclude(call__status=C.ANNULLED)
        .exclude(call=exclude_call)
        .aggregate(total=Sum("amount", default=Decimal("0")))["total"]
    )


def local_initiative_reserved(budget_line: BudgetLine) -> Decimal:
    """The part of the line kept for local initiative (art. 19b–19h, a „rezerwa celowa” of the programme): the
    authority carries those tasks out itself, so open calls may not award that money."""
    amount = LocalInitiativeReserve.objects.filter(budget_line=budget_line).values_list("amount", flat=True).first()
    return amount or Decimal("0")


def budget_line_remaining(budget_line: BudgetLine, exclude_call: OpenCall | None = None) -> Decimal:
    """What calls may still draw on a budget line: its planned amount less every other non-annulled call drawn on
    it and less its local-initiative reserve."""
    return budget_line.planned_amount - calls_drawn(budget_line, exclude_call) - local_initiative_reserved(budget_line)


@transaction.atomic
def call_allocate(*, call: OpenCall, allocations: dict[int, Decimal], actor) -> None:
    """Set how much the call draws from each budget line; refuse more than is left on any line (what other calls
    draw and the line's local-initiative reserve are not available).

    The budget lines are locked, so two calls saved at the same moment (or a call and a new reserve,
    ``local_initiative.reserve_set``) cannot both take the last złoty.
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
            reserved = local_initiative_reserved(line)
            reserve_note = (
                f" (po odliczeniu rezerwy na inicjatywę lokalną: {format_money(reserved)})" if reserved else ""
            )
            errors.append(
                f"Na pozycji „{line.name}” zostało {format_money(max(remaining, Decimal('0')))}{reserve_note} – "
                f"konkurs nie może z niej pobrać {format_money(amount)}."
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
    announce_on_commit(call_announced, call.pk)
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


# --- new calls: automatic numbers, copies of earlier calls, the default criteria ---------------------------------

# The criteria every call assesses (art. 15 ust. 1 pkt 1–6 of the act): a starting set the office adjusts. Point 4
# (own or other funds) applies only where the task is supported (wspieranie), not entrusted (powierzanie).
DEFAULT_CRITERIA: list[tuple[int, str, int]] = [
    (1, "Możliwość realizacji zadania publicznego przez oferenta", 10),
    (2, "Kalkulacja kosztów realizacji zadania, w tym w odniesieniu do zakresu rzeczowego zadania", 10),
    (
        3,
        "Proponowana jakość wykonania zadania i kwalifikacje osób, przy udziale których oferent będzie realizować "
        "zadanie",
        10,
    ),
    (
        4,
        "Planowany udział środków finansowych własnych lub środków pochodzących z innych źródeł na realizację zadania",
        5,
    ),
    (5, "Planowany wkład rzeczowy i osobowy, w tym świadczenia wolontariuszy i praca społeczna członków", 5),
    (
        6,
        "Realizacja zleconych zadań publicznych w latach poprzednich – rzetelność, terminowość oraz sposób "
        "rozliczenia otrzymanych środków",
        5,
    ),
]
DEFAULT_CRITERIA_SOURCE = "art. 15 ust. 1 pkt 1–6 ustawy o działalności pożytku publicznego i o wolontariacie"


def default_criteria(mode: str) -> list[Criterion]:
    """The art. 15 ust. 1 set for a call of ``mode`` (unsaved, in order)."""
    rows = [row for row in DEFAULT_CRITERIA if row[0] != 4 or mode == Mode.SUPPORT]
    return [
        Criterion(order=order, dimension=dimension, name=name, max_points=points)
        for order, (dimension, name, points) in enumerate(rows, start=1)
    ]


@transaction.atomic
def call_criteria_reset(*, call: OpenCall, actor) -> list[Criterion]:
    """Replace a draft call's criteria with the default set of art. 15 ust. 1."""
    call = OpenCall.objects.select_for_update().get(pk=call.pk)
    if call.status != C.DRAFT:
        raise ValidationError("Kryteria ogłoszonego konkursu nie mogą się zmienić.")
    with acting_as(actor):
        call.criteria.all().delete()
        criteria = default_criteria(call.mode)
        for criterion in criteria:
            criterion.call = call
            criterion.save()
    return criteria


@transaction.atomic
def call_save(*, call: OpenCall, task_areas, actor, copy_from: OpenCall | None = None) -> OpenCall:
    """Save a draft announcement (a ModelForm's unsaved instance) with its art. 4 areas.

    A new call without a number takes the next automatic number of its authority for the year the task starts
    (``services.numbering``, under the authority's row lock). A new call starts from ``copy_from``'s criteria,
    required attachments and the money it drew from budget lines of the same name (as far as they have room), or,
    without a call to copy, from the default criteria of art. 15 ust. 1. A number already taken raises
    IntegrityError (the form shows it on the number field).
    """
    from .numbering import number_next

    new = call.pk is None
    call.authority = call.programme.authority
    if new and not call.number:
        call.number = number_next(
            authority=call.authority, kind=NumberSequence.Kind.CALL, year=call.delivery_start.year
        )
    with acting_as(actor):
        call.save()
        call.task_areas.set(task_areas)
        if new and copy_from is not None:
            _copy_contents(copy_from, call)
        elif new:
            for criterion in default_criteria(call.mode):
                criterion.call = call
                criterion.save()
    if new and copy_from is not None:
        _copy_allocations(copy_from, call, actor)
    return call


def _copy_contents(source: OpenCall, call: OpenCall) -> None:
    for criterion in source.criteria.all():
        Criterion.objects.create(
            call=call,
            order=criterion.order,
            name=criterion.name,
            dimension=criterion.dimension,
            max_points=criterion.max_points,
        )
    for attachment in source.required_attachments.all():
        RequiredAttachment.objects.create(call=call, name=attachment.name)


def _copy_allocations(source: OpenCall, call: OpenCall, actor) -> None:
    """Draw on the new programme's budget lines named as the source's were, at most what each has left."""
    lines = {line.name: line for line in BudgetLine.objects.filter(programme=call.programme_id)}
    allocations = {}
    for allocation in source.budget_allocations.select_related("budget_line"):
        line = lines.get(allocation.budget_line.name)
        if line is not None:
            amount = min(allocation.amount, budget_line_remaining(line, exclude_call=call))
            if amount > 0:
                allocations[line.pk] = allocations.get(line.pk, Decimal("0")) + amount
    if allocations:
        call_allocate(call=call, allocations=allocations, actor=actor)


def copy_initial(source: OpenCall) -> dict:
    """The announcement form filled from an earlier call: its texts, areas and limits; the number and every date
    left empty for the new call."""
    fields = [
        "title",
        "task_description",
        "mode",
        "award_rules",
        "delivery_terms",
        "selection_procedure",
        "min_grant",
        "max_grant",
        "min_own_contribution_pct",
        "admin_cost_cap_pct",
    ]
    initial = {name: getattr(source, name) for name in fields}
    initial["task_areas"] = [area.pk for area in source.task_areas.all()]
    return initial
