"""Przekazanie transz dotacji (UFP art. 221 ust. 3 pkt 2; the agreement's § on the grant and its tranches).

Staff record the transfer of each tranche: the day the money left the authority's account, the amount and the
transfer title. A tranche is paid in full by one transfer or not at all, so the amount typed must equal the
tranche's amount; a payment needs a signed agreement, cannot precede its signature and cannot lie in the future.

Every payment runs under the agreement's row lock (the same lock refunds and the settlement take), so two
requests paying the same tranche at once record it exactly once. A batch (from the list of tranches due or from
an imported bank file) is all-or-nothing: one row refused saves no row.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import acting_as
from reports.templatetags.formatting import format_money

from ..models import Agreement, Tranche
from .settlement import settlement_close_if_done

A = Agreement.Status
TITLE_MAX = Tranche._meta.get_field("transfer_title").max_length


@dataclass(frozen=True)
class Payment:
    """One transfer to record: the tranche, the day it was sent, the amount and (optionally) its title."""

    tranche: Tranche
    paid_on: date
    amount: Decimal
    transfer_title: str = ""


def default_title(tranche: Tranche) -> str:
    """The transfer title the portal suggests: the agreement's number and the tranche, as bookkeeping needs them."""
    return f"Dotacja – umowa nr {tranche.agreement.number}, transza {tranche.number}"


def payment_errors(*, agreement: Agreement, tranche: Tranche, paid_on, amount, transfer_title: str = "") -> dict:
    """The reasons (field → Polish message) why this transfer cannot be recorded; empty when it can.

    ``agreement`` and ``tranche`` must be read under the agreement's row lock for the answer to hold at saving.
    """
    errors: dict[str, str] = {}
    if agreement.status == A.DRAFT or agreement.signed_on is None:
        errors["amount"] = (
            f"Umowa nr {agreement.number} nie została jeszcze zawarta – transzę przekazuje się po podpisaniu umowy."
        )
        return errors
    if agreement.status == A.TERMINATED:
        errors["amount"] = f"Umowa nr {agreement.number} została rozwiązana – kolejnych transz się nie przekazuje."
        return errors
    if tranche.paid_on is not None:
        errors["amount"] = (
            f"Transza nr {tranche.number} umowy nr {agreement.number} została już przekazana "
            f"{tranche.paid_on:%d.%m.%Y}."
        )
        return errors
    if agreement.status != A.SIGNED:
        errors["amount"] = f"Umowa nr {agreement.number} jest już rozliczona."
        return errors
    if amount is None:
        errors["amount"] = "Podaj kwotę przelewu."
    elif amount != tranche.amount:
        errors["amount"] = (
            f"Kwota przelewu ({format_money(amount)}) różni się od kwoty transzy nr {tranche.number} "
            f"({format_money(tranche.amount)}): transzę przekazuje się w całości, jednym przelewem."
        )
    if paid_on is None:
        errors["paid_on"] = "Podaj datę przelewu."
    elif paid_on > timezone.localdate():
        errors["paid_on"] = "Data przelewu nie może przypadać w przyszłości."
    elif paid_on < agreement.signed_on:
        errors["paid_on"] = f"Przelew nie może poprzedzać zawarcia umowy ({agreement.signed_on:%d.%m.%Y})."
    if len(transfer_title or "") > TITLE_MAX:
        errors["transfer_title"] = f"Tytuł przelewu może mieć najwyżej {TITLE_MAX} znaków."
    return errors


def _locked(tranche_ids: list[int]) -> tuple[dict[int, Agreement], dict[int, Tranche]]:
    """Lock the agreements of the tranches (in id order, so two batches never deadlock), then read the tranches."""
    agreement_ids = sorted(set(Tranche.objects.filter(pk__in=tranche_ids).values_list("agreement_id", flat=True)))
    agreements = {a.pk: a for a in Agreement.objects.select_for_update().filter(pk__in=agreement_ids).order_by("pk")}
    tranches = {t.pk: t for t in Tranche.objects.filter(pk__in=tranche_ids).select_related("agreement")}
    for tranche in tranches.values():
        tranche.agreement = agreements[tranche.agreement_id]
    return agreements, tranches


@transaction.atomic
def tranches_pay(*, payments: list[Payment], actor) -> list[Tranche]:
    """Record several transfers at once, all or nothing: any row refused raises and nothing is saved.

    The ``ValidationError`` carries one message per refused row (naming the agreement and tranche); a batch that
    names one tranche twice is refused as a whole. Agreements whose final report is accepted and which owe nothing
    become performed once their last tranche is paid.
    """
    if not payments:
        raise ValidationError("Nie wybrano żadnej transzy do zapisania.")
    ids = [p.tranche.pk for p in payments]
    if len(set(ids)) != len(ids):
        raise ValidationError("Ta sama transza występuje w zestawieniu więcej niż raz – nic nie zapisano.")
    agreements, tranches = _locked(ids)
    messages = []
    for payment in payments:
        tranche = tranches.get(payment.tranche.pk)
        if tranche is None:
            messages.append("Nie znaleziono transzy.")
            continue
        errors = payment_errors(
            agreement=tranche.agreement,
            tranche=tranche,
            paid_on=payment.paid_on,
            amount=payment.amount,
            transfer_title=payment.transfer_title,
        )
        messages += [f"Umowa nr {tranche.agreement.number}, transza {tranche.number}: {m}" for m in errors.values()]
    if messages:
        raise ValidationError(messages)
    now = timezone.now()
    saved = []
    with acting_as(actor):
        for payment in payments:
            tranche = tranches[payment.tranche.pk]
            tranche.paid_on = payment.paid_on
            tranche.transfer_title = (payment.transfer_title or "").strip() or default_title(tranche)
            tranche.paid_recorded_by = actor
            tranche.paid_recorded_at = now
            tranche.save(update_fields=["paid_on", "transfer_title", "paid_recorded_by", "paid_recorded_at"])
            saved.append(tranche)
    for agreement in agreements.values():
        settlement_close_if_done(agreement, actor)
    return saved


@transaction.atomic
def tranche_pay(*, tranche: Tranche, actor, paid_on: date, amount: Decimal, transfer_title: str = "") -> Tranche:
    """Record the transfer of one tranche (from the agreement page); errors name the field they concern."""
    agreements, tranches = _locked([tranche.pk])
    locked = tranches.get(tranche.pk)
    if locked is None:
        raise ValidationError("Nie znaleziono transzy.")
    errors = payment_errors(
        agreement=locked.agreement, tranche=locked, paid_on=paid_on, amount=amount, transfer_title=transfer_title
    )
    if errors:
        raise ValidationError(errors)
    return tranches_pay(
        payments=[Payment(locked, paid_on, amount, transfer_title)],
        actor=actor,
    )[0]


@transaction.atomic
def tranche_payment_cancel(*, tranche: Tranche, actor) -> Tranche:
    """Undo a transfer recorded by mistake (wrong tranche or date), while the agreement is not yet settled.

    The audit log keeps who recorded and who undid it, with the old date. Refused when the grant already returned
    would then exceed what is left transferred (a refund cannot return money that was never paid).
    """
    from .settlement import refunded_amount, transferred_amount

    agreements, tranches = _locked([tranche.pk])
    locked = tranches.get(tranche.pk)
    if locked is None:
        raise ValidationError("Nie znaleziono transzy.")
    agreement = locked.agreement
    if locked.paid_on is None:
        raise ValidationError(f"Transza nr {locked.number} nie ma zapisanego przelewu.")
    if agreement.status != A.SIGNED:
        raise ValidationError(
            f"Umowa nr {agreement.number} jest {agreement.get_status_display()} – zapisu przelewu nie można cofnąć."
        )
    left = transferred_amount(agreement)[0] - locked.amount
    if refunded_amount(agreement) > left:
        raise ValidationError(
            f"Zaksięgowane zwroty ({format_money(refunded_amount(agreement))}) przekraczałyby przekazaną dotację "
            f"({format_money(left)}) – najpierw wyjaśnij zwroty."
        )
    with acting_as(actor):
        locked.paid_on, locked.transfer_title = None, ""
        locked.paid_recorded_by, locked.paid_recorded_at = None, None
        locked.save(update_fields=["paid_on", "transfer_title", "paid_recorded_by", "paid_recorded_at"])
    return locked
