"""Agreements (umowy, art. 16; UFP art. 221 ust. 3): drafted from a granted award and the offer, then signed."""

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import acting_as
from config.workflow import advance
from grants.signatures.models import IssuedDocument
from grants.signatures.tasks import issue_enqueue
from programmes.models import Authority

from ..models import Agreement, AgreementCostLine, Annex, Award, NumberSequence, OfferUpdate, Tranche
from . import budget_charges, notices
from .numbering import number_next

A = Agreement.Status
TRANSITIONS: dict[str, set[str]] = {
    A.DRAFT: {A.SIGNED},
    A.SIGNED: {A.TERMINATED},  # → performed is the settlement's step (grants/services/settlement.py)
    A.PERFORMED: set(),
    A.TERMINATED: set(),
}
CENT = Decimal("0.01")
DEFAULT_DEVIATION_PCT = Decimal("10")


def agreement_version(award: Award):
    """The offer version the agreement is made from: the accepted update if the award was lower, else the offer."""
    update = OfferUpdate.objects.filter(award=award).select_related("version").first()
    if update is None:
        return award.offer.current_version
    if update.status == OfferUpdate.Status.ACCEPTED:
        return update.version
    if update.status == OfferUpdate.Status.WITHDRAWN:
        raise ValidationError("Oferent zrezygnował z realizacji zadania – umowy nie zawiera się.")
    raise ValidationError(
        "Przyznana kwota jest niższa od wnioskowanej: umowę przygotujesz po przyjęciu aktualizacji oferty."
    )


def grant_split(lines: list[dict], grant: Decimal) -> list[Decimal]:
    """The grant part of each cost line: as the offer gives it, else pro rata to the line's value.

    Pro rata shares are rounded down to the grosz and the remainder goes to the largest line, so the parts add up to
    the grant exactly and no line's part exceeds the line.
    """
    if lines and all("from_grant" in line for line in lines):
        return [Decimal(line["from_grant"]) for line in lines]
    totals = [Decimal(line["total"]) for line in lines]
    whole = sum(totals, start=Decimal("0"))
    if whole <= 0:
        return [Decimal("0") for _ in lines]
    shares = [(grant * t / whole).quantize(CENT, rounding=ROUND_DOWN) for t in totals]
    if shares:
        largest = max(range(len(totals)), key=lambda i: totals[i])
        shares[largest] += grant - sum(shares, start=Decimal("0"))
    return shares


def source_amount(data: dict, number: str) -> Decimal:
    for row in data.get("V", {}).get("B", []):
        if row["number"] == number:
            return Decimal(row["amount"])
    return Decimal("0")


def equal_tranches(amount: Decimal, count: int, start: date, last_due: date) -> list[tuple[Decimal, date]]:
    """``count`` tranches spread from ``start`` towards ``last_due``; the last one takes the grosze left over."""
    part = (amount / count).quantize(CENT, rounding=ROUND_DOWN)
    step = (last_due - start) / count
    tranches = [(part, start + step * index) for index in range(count)]
    tranches[-1] = (tranches[-1][0] + amount - part * count, tranches[-1][1])
    return tranches


def default_tranches(amount: Decimal, count: int, start: date, end: date) -> list[tuple[Decimal, date]]:
    """Within one budget year ``count`` equal tranches; a multi-year task (art. 16 ust. 3) gets one tranche per
    budget year, in proportion to the task's days in that year, due on the first day of the year's part."""
    years = budget_charges.budget_years(start, end)
    if len(years) == 1:
        return equal_tranches(amount, count, start, end - timedelta(days=1))
    days = [(min(end, date(y, 12, 31)) - max(start, date(y, 1, 1))).days + 1 for y in years]
    parts = [(amount * d / sum(days)).quantize(CENT, rounding=ROUND_DOWN) for d in days]
    parts[-1] += amount - sum(parts, start=Decimal("0"))
    return [(part, max(start, date(y, 1, 1))) for part, y in zip(parts, years, strict=True)]


def organisation_representation(organisation, extract=None, *, fallback: str = "") -> str:
    """Who signs for the organisation: the representation body's members and the manner of representation from the
    register's latest extract; else the representatives the organisation entered; else ``fallback``."""
    from organisations.models import RegisterExtract

    if extract is None or not extract.is_found:
        extract = RegisterExtract.objects.found().filter(krs=organisation.krs).first() if organisation.krs else None
    if extract is not None and extract.is_found and extract.krs == organisation.krs:
        text = extract.representation_text()
        if text:
            return text
    return organisation.representatives.strip() or fallback


def draft_agreement(
    *,
    award: Award,
    version,
    authority: Authority,
    number: str,
    created_by,
    place: str = "",
    authority_representatives: str = "",
    organisation_representatives: str = "",
    deviation_threshold_pct: Decimal | None = None,
    bank_account: str = "",
) -> tuple[Agreement, list[AgreementCostLine]]:
    """The unsaved agreement and its cost lines for a granted award, read from the offer version's frozen data.

    The grant is split over the cost lines by ``grant_split``; empty terms take the usual defaults (the executive
    as the authority's representative, the offer's contact person, the authority's town, a 10% threshold).
    """
    data, offer = version.data, award.offer
    organisation = offer.organisation
    agreement = Agreement(
        authority=authority,
        organisation=organisation,
        award=award,
        version=version,
        number=number,
        mode=offer.mode,
        title=data["III"]["title"],
        start_date=version.start_date,
        end_date=version.end_date,
        grant_amount=award.amount,
        own_financial=source_amount(data, "3.1"),
        own_non_financial=source_amount(data, "3.2"),
        recipient_payments=source_amount(data, "4"),
        total_cost=version.total_cost,
        deviation_threshold_pct=DEFAULT_DEVIATION_PCT if deviation_threshold_pct is None else deviation_threshold_pct,
        bank_account=bank_account.strip() or (organisation.bank_account if organisation.is_verified else ""),
        authority_representatives=authority_representatives.strip()
        or authority.default_representatives.strip()
        or authority.executive_full_name,
        organisation_representatives=organisation_representatives.strip()
        or organisation_representation(organisation, fallback=data["II"]["contact"]["name"]),
        place=place.strip() or authority.city,
        created_by=created_by,
    )
    agreement.take_authority_terms()
    rows = data["V"]["A"]
    lines = [
        AgreementCostLine(
            agreement=agreement,
            order=index,
            category=row["category"],
            activity_number=row.get("activity"),
            name=row["name"],
            total=Decimal(row["total"]),
            from_grant=part,
        )
        for index, (row, part) in enumerate(zip(rows, grant_split(rows, award.amount), strict=True), start=1)
    ]
    return agreement, lines


@transaction.atomic
def agreement_create(
    *,
    award: Award,
    actor,
    place: str = "",
    authority_representatives: str = "",
    organisation_representatives: str = "",
    deviation_threshold_pct: Decimal | None = None,
    bank_account: str = "",
    tranches: list[tuple[Decimal, date]] | None = None,
    tranche_count: int = 1,
    budget_lines: list[budget_charges.Charge] | None = None,
) -> Agreement:
    """Draft the agreement for a granted award from the (updated) offer: parties, task, dates, grant and cost lines.

    Without ``tranches`` the grant is paid in ``tranche_count`` equal tranches (``equal_tranches``); one tranche is
    due on the day the task starts. ``budget_lines`` say which budget lines of the programme pay for it; without
    them the default of ``budget_charges.default_charges`` is used, and it must cover every budget year.
    """
    award = Award.objects.select_for_update(of=("self",)).select_related("offer__organisation", "call").get(pk=award.pk)
    if award.status != Award.Status.GRANTED:
        raise ValidationError("Umowę zawiera się tylko na podstawie przyznanej dotacji.")
    if Agreement.objects.filter(award=award).exists():
        raise ValidationError("Umowa dla tej dotacji już istnieje.")
    version = agreement_version(award)
    offer = award.offer
    authority = Authority.objects.select_for_update().get(
        pk=award.call.authority_id if award.call_id else _authority_of(offer)
    )
    start, end = version.start_date, version.end_date
    tranches = tranches or default_tranches(award.amount, tranche_count, start, end)
    if sum((amount for amount, _ in tranches), start=Decimal("0")) != award.amount:
        raise ValidationError({"tranches": "Suma transz musi być równa kwocie dotacji."})
    agreement, lines = draft_agreement(
        award=award,
        version=version,
        authority=authority,
        number=number_next(authority=authority, kind=NumberSequence.Kind.AGREEMENT, year=start.year),
        created_by=actor,
        place=place,
        authority_representatives=authority_representatives,
        organisation_representatives=organisation_representatives,
        deviation_threshold_pct=deviation_threshold_pct,
        bank_account=bank_account,
    )
    agreement.full_clean(exclude=["award", "version", "authority", "organisation", "created_by"])
    parts = budget_charges.year_parts(start, end, award.amount, tranches)
    chargeable = budget_charges.chargeable_lines(authority.pk, list(parts), award.call if award.call_id else None)
    if budget_lines is None:
        budget_lines = budget_charges.default_charges(award, parts, chargeable)
    budget_charges.check_charges(budget_lines, parts, chargeable)
    with acting_as(actor):
        agreement.save()
        for line in lines:
            line.agreement = agreement
        AgreementCostLine.objects.bulk_create(lines)
        Tranche.objects.bulk_create(
            Tranche(agreement=agreement, number=n, amount=amount, due_date=due)
            for n, (amount, due) in enumerate(tranches, start=1)
        )
        budget_charges.save_charges(agreement, budget_lines)
    notices.tell_organisation(
        organisation=offer.organisation,
        kind=notices.K.AGREEMENT,
        template="grants/email/agreement_prepared",
        context={"agreement": agreement, "authority": authority},
        url=reverse("grants:agreement-detail", args=[agreement.pk]),
    )
    # The agreement as drafted is issued for signature: numbered, sealed and frozen by the worker (signatures/).
    issue_enqueue(kind=IssuedDocument.Kind.AGREEMENT, object_id=agreement.pk, title=f"Umowa nr {agreement.number}")
    return agreement


def charge_plan(award: Award, version) -> tuple[dict, dict, list]:
    """What the agreement form offers: the grant per budget year, each year's budget lines and the default split."""
    authority_id = award.call.authority_id if award.call_id else _authority_of(award.offer)
    start, end = version.start_date, version.end_date
    tranches = default_tranches(award.amount, 1, start, end)
    parts = budget_charges.year_parts(start, end, award.amount, tranches)
    call = award.call if award.call_id else None
    lines = budget_charges.chargeable_lines(authority_id, list(parts), call)
    return parts, lines, budget_charges.default_charges(award, parts, lines)


def _authority_of(offer) -> int:
    """Offers outside calls are addressed to an authority (section I.1 of the form): the agreement is made with it."""
    direct = getattr(offer, "direct", None)
    if direct is not None:
        return direct.authority_id
    authority = Authority.objects.the_only_one()
    if authority is None:
        raise ValidationError("Nie można ustalić organu, z którym zawiera się umowę.")
    return authority.pk


@transaction.atomic
def agreement_sign(*, agreement: Agreement, signed_on: date, actor) -> Agreement:
    """Record the signature date (written form, art. 16 ust. 2)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "Data zawarcia umowy nie może przypadać w przyszłości."})
    with acting_as(actor):
        advance(agreement, A.SIGNED, TRANSITIONS)
        agreement.signed_on = signed_on
        agreement.save(update_fields=["status", "signed_on"])
    return agreement


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, terminated_on: date, reason: str, actor) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not reason.strip():
        raise ValidationError({"termination_reason": "Podaj przyczynę rozwiązania umowy."})
    if agreement.signed_on and terminated_on < agreement.signed_on:
        raise ValidationError({"terminated_on": "Umowy nie można rozwiązać przed jej zawarciem."})
    with acting_as(actor):
        advance(agreement, A.TERMINATED, TRANSITIONS)
        agreement.terminated_on, agreement.termination_reason = terminated_on, reason.strip()
        agreement.save(update_fields=["status", "terminated_on", "termination_reason"])
    return agreement


@transaction.atomic
def annex_record(*, agreement: Agreement, signed_on: date, subject: str, actor) -> Annex:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != A.SIGNED:
        raise ValidationError("Aneks zawiera się do umowy zawartej, przed jej rozliczeniem.")
    if not subject.strip():
        raise ValidationError({"subject": "Opisz, co zmienia aneks."})
    if agreement.signed_on and signed_on < agreement.signed_on:
        raise ValidationError({"signed_on": "Aneks nie może poprzedzać umowy."})
    with acting_as(actor):
        return Annex.objects.create(
            agreement=agreement,
            number=agreement.annexes.count() + 1,
            signed_on=signed_on,
            subject=subject.strip(),
            recorded_by=actor,
        )
