"""Which budget lines of the programme pay for an agreement (domain.md §12.5; UFP art. 221 ust. 3 pkt 2).

Each agreement – from a call or a small grant – is charged to the budget line(s) of the areas its offer serves.
The office confirms or corrects the lines and the split of the grant when it prepares the agreement (and may
correct them later); the parts of each budget year add up exactly to what the agreement gives in that year.

The default offered to the office:

* a call that draws on one budget line: that line;
* otherwise the areas the offer serves (the call's areas in which the organisation works, or the organisation's
  areas for an offer outside calls) → the programme's priority areas mapped to them → their budget lines, when
  that leads to exactly one line (among the call's lines, for a call);
* a programme with one budget line: that line;
* otherwise nothing: the office chooses.

A multi-year agreement (art. 16 ust. 3) is charged per budget year: each year's tranches to the lines of the
programme in force that year.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.audit import acting_as
from programmes.models import BudgetLine, Programme
from reports.templatetags.formatting import format_money

from ..models import Agreement, AgreementBudgetLine, Award, CallBudgetLine, Offer

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Charge:
    budget_line_id: int
    year: int
    amount: Decimal


def budget_years(start: date, end: date) -> list[int]:
    """The budget years the task falls in (art. 16 ust. 3: up to five)."""
    return list(range(start.year, end.year + 1))


def year_parts(start: date, end: date, grant: Decimal, tranches: list[tuple[Decimal, date]]) -> dict[int, Decimal]:
    """What the agreement gives in each budget year: the whole grant within one year, else its tranches by the year
    they are due (a tranche due outside the task's years counts in the nearest one)."""
    years = budget_years(start, end)
    if len(years) == 1 or not tranches:
        return {years[0]: grant}
    parts = dict.fromkeys(years, ZERO)
    for amount, due in tranches:
        parts[min(max(due.year, years[0]), years[-1])] += amount
    return parts


def programmes_by_year(authority_id: int, years: list[int], call=None) -> dict[int, Programme]:
    """The programme whose budget pays in each year: the call's own for the years it covers, else the authority's
    programme in force that year (not a draft)."""
    found = {}
    if call is not None:
        programme = call.programme
        found.update({y: programme for y in years if programme.year_from <= y <= programme.year_to})
    missing = [y for y in years if y not in found]
    if missing:
        candidates = (
            Programme.objects.filter(authority_id=authority_id, year_from__lte=max(missing), year_to__gte=min(missing))
            .exclude(status=Programme.Status.DRAFT)
            .order_by("year_from", "pk")
        )
        for programme in candidates:
            for y in missing:
                if programme.year_from <= y <= programme.year_to:
                    found.setdefault(y, programme)
    return found


def chargeable_lines(authority_id: int, years: list[int], call=None) -> dict[int, list[BudgetLine]]:
    """Per budget year, the budget lines the agreement may be charged to (with their priority areas' art. 4 areas
    prefetched)."""
    programmes = programmes_by_year(authority_id, years, call)
    ids = {p.pk for p in programmes.values()}
    lines = defaultdict(list)
    for line in (
        BudgetLine.objects.filter(programme_id__in=ids)
        .select_related("programme", "priority_area")
        .prefetch_related("priority_area__task_areas")
        .order_by("programme__year_from", "number")
    ):
        lines[line.programme_id].append(line)
    return {y: lines[p.pk] for y, p in programmes.items() if lines[p.pk]}


def served_areas(offer: Offer) -> set[int]:
    """The art. 4 areas the offer serves: the call's areas the organisation works in (all the call's areas when it
    works in none of them), or the organisation's areas for an offer outside calls."""
    organisation = {a.pk for a in offer.organisation.areas.all()}
    if offer.call_id:
        call = {a.pk for a in offer.call.task_areas.all()}
        return (call & organisation) or call
    return organisation


def default_charges(award: Award, parts: dict[int, Decimal], lines_by_year: dict[int, list[BudgetLine]]):
    """The split the office is offered (see the module docstring); years with no single obvious line are left out."""
    call = award.call if award.call_id else None
    allocated = set()
    if call is not None:
        allocated = set(CallBudgetLine.objects.filter(call=call).values_list("budget_line_id", flat=True))
    areas = served_areas(award.offer)
    charges = []
    for year, amount in parts.items():
        lines = lines_by_year.get(year, [])
        own = [line for line in lines if line.pk in allocated]
        if len(allocated) == 1 and len(own) == 1:
            charges.append(Charge(own[0].pk, year, amount))
            continue
        matching = [line for line in lines if {a.pk for a in line.priority_area.task_areas.all()} & areas]
        if own:
            matching = [line for line in matching if line.pk in allocated] or own
        if len(lines) == 1:  # the programme has one line: nothing to choose
            matching = lines
        if len(matching) == 1 and amount > 0:
            charges.append(Charge(matching[0].pk, year, amount))
    return charges


def check_charges(charges: list[Charge], parts: dict[int, Decimal], lines_by_year: dict[int, list[BudgetLine]]):
    """Every year with a programme budget is charged in full, to that year's lines, in positive amounts."""
    problems = []
    by_year = defaultdict(list)
    for charge in charges:
        if charge.amount is None or charge.amount <= 0:
            problems.append("Kwota na pozycji budżetu musi być większa od zera.")
            continue
        if charge.budget_line_id not in {line.pk for line in lines_by_year.get(charge.year, [])}:
            problems.append(f"Wybrana pozycja budżetu nie należy do programu współpracy na rok {charge.year}.")
            continue
        by_year[charge.year].append(charge)
    for year, amount in parts.items():
        if year not in lines_by_year:
            continue
        charged = sum((c.amount for c in by_year[year]), ZERO)
        if not by_year[year]:
            problems.append(f"Wskaż pozycję budżetu programu, z której finansowana jest dotacja w roku {year}.")
        elif charged != amount:
            problems.append(
                f"Kwoty na pozycjach budżetu w roku {year} muszą dać w sumie {format_money(amount)} "
                f"(wpisano {format_money(charged)})."
            )
    if len({(c.budget_line_id, c.year) for c in charges}) != len(charges):
        problems.append("Każdą pozycję budżetu wskaż tylko raz w danym roku.")
    if problems:
        raise ValidationError({"budget_lines": problems})


def agreement_parts(agreement: Agreement) -> dict[int, Decimal]:
    tranches = [(t.amount, t.due_date) for t in agreement.tranches.all()]
    return year_parts(agreement.start_date, agreement.end_date, agreement.grant_amount, tranches)


def agreement_chargeable_lines(agreement: Agreement) -> dict[int, list[BudgetLine]]:
    call = agreement.call
    return chargeable_lines(agreement.authority_id, budget_years(agreement.start_date, agreement.end_date), call)


def save_charges(agreement: Agreement, charges: list[Charge]) -> None:
    for c in charges:  # one by one, so that the audit log records each line
        AgreementBudgetLine.objects.create(
            agreement=agreement, budget_line_id=c.budget_line_id, year=c.year, amount=c.amount
        )


@transaction.atomic
def agreement_budget_lines_set(*, agreement: Agreement, actor, charges: list[Charge]) -> list[AgreementBudgetLine]:
    """Correct the budget lines the agreement is charged to (e.g. once next year's programme is adopted)."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",)).select_related("award__call__programme").get(pk=agreement.pk)
    )
    if agreement.status == Agreement.Status.TERMINATED:
        raise ValidationError({"budget_lines": "Umowa została rozwiązana – jej pozycji budżetu się nie zmienia."})
    check_charges(charges, agreement_parts(agreement), agreement_chargeable_lines(agreement))
    with acting_as(actor):
        for old in agreement.budget_charges.all():
            old.delete()  # one by one, so the audit log records each removed line
        save_charges(agreement, charges)
    return list(agreement.budget_charges.select_related("budget_line"))
