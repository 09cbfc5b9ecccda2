"""Demo decisions: for every decided or finished demo call, awards in ranking order until the funds run out,
published results and signed agreements (built in bulk; the same rules the services enforce).

In the small demo, one award in OK/2025/1 is lower than requested and waits for the offeror's update, so the
update can be tried in the browser.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from config.polish import format_number as number

from .models import Agreement, AgreementBudgetLine, AgreementCostLine, Award, OfferUpdate, OpenCall, Tranche
from .ranking import call_ranking
from .services import budget_charges
from .services.agreements import draft_agreement

HUNDRED = Decimal("100")
DECIDED = [OpenCall.Status.DECIDED, OpenCall.Status.FINISHED]
LOWER_DEMO_CALL = "OK/2025/1"


def _amounts(ranking, partial: bool) -> dict[int, Decimal | None]:
    """Best first, while the funds last: the request in full, or with ``partial`` the commission's proposal.

    With ``partial`` the first offer that no longer fits also gets what is left (rounded down to 100 zł) if that is
    at least half its request. Awards lower than requested wait for the offeror's update (tried in the small demo).
    """
    left, amounts = ranking.funds_total, {}
    for row in ranking.rows:
        amount, wanted = None, row.proposed_amount if partial else row.requested
        if row.eligible and wanted <= left:
            amount = wanted
        elif row.eligible and partial and left // HUNDRED * HUNDRED >= row.requested / 2:
            amount, partial = left // HUNDRED * HUNDRED, False
        amounts[row.offer.pk] = amount
        left -= amount or 0
    return amounts


def _reasons(row, amount) -> str:
    if amount is not None:
        return ""
    if not row.eligible:
        return f"Oferta uzyskała średnio {number(row.mean_score or 0, 2)} pkt – poniżej progu ustalonego przez komisję."
    return "Wyczerpanie środków przeznaczonych na konkurs."


@transaction.atomic
def seed_awards(authority, scale: str) -> int:
    """Awards, results and agreements for decided calls that have none yet; returns the number of agreements."""
    # In the order of their numbers, so that agreement numbers (and what seed_reports does with each) are the same
    # whatever else the database holds (other authorities' calls changed the order rows came back in).
    calls = (
        OpenCall.objects.filter(authority=authority, status__in=DECIDED, awards__isnull=True)
        .with_funds()
        .order_by("submission_deadline", "number")
    )
    counters: dict[int, int] = {}
    made = 0
    for call in calls:
        ranking = call_ranking(call)
        if not ranking.rows:
            continue
        amounts = _amounts(ranking, partial=call.number == LOWER_DEMO_CALL)
        decided_at = datetime.combine(call.decision_date, time(12), tzinfo=timezone.get_current_timezone())
        awards = Award.objects.bulk_create(
            Award(
                offer=row.offer,
                call=call,
                status=Award.Status.GRANTED if amounts[row.offer.pk] else Award.Status.REFUSED,
                requested_amount=row.requested,
                proposed_amount=row.proposed_amount if row.eligible else None,
                amount=amounts[row.offer.pk],
                reasons=_reasons(row, amounts[row.offer.pk]),
                decided_at=decided_at,
            )
            for row in ranking.rows
        )
        OpenCall.objects.filter(pk=call.pk).update(results_published_at=decided_at)
        _freeze_results(authority, call)
        signable = []
        for award in awards:
            if award.status != Award.Status.GRANTED:
                continue
            if award.amount < award.requested_amount:
                OfferUpdate.objects.create(award=award, created_at=decided_at)
                continue
            signable.append(award)
        made += sign_agreements(authority, signable, decided_at, counters)
    return made


def _freeze_results(authority, call: OpenCall) -> None:
    """The results as announced are frozen, as ``results_publish`` does (page and PDF with their checksum)."""
    from reports.publications import publication_publish

    decider = authority.staff.filter(can_decide=True).select_related("user").first()
    if decider is not None:
        call.refresh_from_db(fields=["results_published_at"])
        publication_publish(actor=decider.user, document=call)


def _verify_organisations(authority, awards: list[Award]) -> None:
    from organisations.services import organisation_verify

    clerk = authority.staff.select_related("user").order_by("pk").first()
    for award in awards:
        organisation = award.offer.organisation
        if clerk is not None and not organisation.is_verified:
            organisation_verify(organisation=organisation, actor=clerk.user)


def sign_agreements(authority, awards: list[Award], decided_at, counters: dict[int, int]) -> int:
    """Signed agreements made from the evaluated versions, with cost lines, one tranche each and the budget line the
    agreement form would offer (the line with the most planned when the offer's areas point to none or several)."""
    agreements, lines, tranches, charges = [], [], [], []
    # Agreements take the bank account of verified organisations only: the office checked them first.
    _verify_organisations(authority, awards)
    chargeable = {}
    for award in awards:
        version = award.offer.current_version
        start = version.start_date
        if start.year not in counters:
            counters[start.year] = Agreement.objects.filter(
                authority=authority, number__startswith=f"UM/{start.year}/"
            ).count()
        counters[start.year] += 1
        agreement, cost_lines = draft_agreement(
            award=award,
            version=version,
            authority=authority,
            number=f"UM/{start.year}/{counters[start.year]:03d}",
            created_by=None,
        )
        agreement.created_by_id = award.offer.created_by_id
        agreement.status = Agreement.Status.SIGNED
        agreement.signed_on = (decided_at + timedelta(days=14)).date()
        agreement.created_at = decided_at
        agreements.append(agreement)
        lines += cost_lines
        tranches.append(Tranche(agreement=agreement, number=1, amount=award.amount, due_date=start))
        key = (award.call_id, start.year)
        if key not in chargeable:
            chargeable[key] = budget_charges.chargeable_lines(authority.pk, [start.year], award.call)
        parts = {start.year: award.amount}
        found = budget_charges.default_charges(award, parts, chargeable[key])
        if not found and chargeable[key].get(start.year):
            line = max(chargeable[key][start.year], key=lambda candidate: candidate.planned_amount)
            found = [budget_charges.Charge(line.pk, start.year, award.amount)]
        charges += [
            AgreementBudgetLine(agreement=agreement, budget_line_id=c.budget_line_id, year=c.year, amount=c.amount)
            for c in found
        ]
    Agreement.objects.bulk_create(agreements)
    AgreementCostLine.objects.bulk_create(lines)
    Tranche.objects.bulk_create(tranches)
    AgreementBudgetLine.objects.bulk_create(charges)
    return len(agreements)
