"""The executive's decision on a call (art. 15 ust. 2g–2j): awards, published results, justification requests,
appeals (where the programme provides them) and updated offers after a lower award.

The sum of the awards never exceeds the call's funds: every award locks the call row first, so decisions saved at
the same moment are checked one after the other.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.audit import acting_as
from accounts.mail import send_templated_mail_on_commit
from config.polish import format_money, polish_plural
from config.polish import format_number as number
from config.workflow import advance
from reports.models import Publication
from reports.publications import publication_correct_if_published, publication_publish

from ..limits import JUSTIFICATION_DAYS
from ..models import (
    Agreement,
    Appeal,
    Award,
    Commission,
    JustificationRequest,
    Offer,
    OfferUpdate,
    OfferVersion,
    OpenCall,
    ScoreCard,
)
from . import notices
from .calls import TRANSITIONS as CALL_TRANSITIONS
from .scoring import TRANSITIONS as COMMISSION_TRANSITIONS

C = OpenCall.Status
U = OfferUpdate.Status
CENT = Decimal("0.01")
UPDATE_TRANSITIONS: dict[str, set[str]] = {
    U.REQUIRED: {U.SUBMITTED, U.WITHDRAWN},
    U.SUBMITTED: {U.ACCEPTED, U.RETURNED, U.WITHDRAWN},
    U.RETURNED: {U.SUBMITTED, U.WITHDRAWN},
    U.ACCEPTED: set(),
    U.WITHDRAWN: set(),
}


def is_decider(user, authority_id: int) -> bool:
    return user.is_superuser or user.staff_roles.active().filter(authority_id=authority_id, can_decide=True).exists()


def call_funds(call: OpenCall) -> Decimal:
    return call.budget_allocations.aggregate(total=Sum("amount", default=Decimal("0")))["total"]


def awarded_total(call: OpenCall, exclude_offer: Offer | None = None) -> Decimal:
    awards = Award.objects.filter(call=call, status=Award.Status.GRANTED)
    if exclude_offer is not None:
        awards = awards.exclude(offer=exclude_offer)
    return awards.aggregate(total=Sum("amount", default=Decimal("0")))["total"]


def _decision_errors(call: OpenCall, actor) -> str | None:
    if not is_decider(actor, call.authority_id):
        return "O przyznaniu dotacji decyduje osoba upoważniona do rozstrzygnięcia konkursu."
    if call.status != C.COMMISSION_REVIEW:
        return "Dotacje przyznaje się po ocenie merytorycznej komisji, przed ogłoszeniem wyników."
    commission = Commission.objects.filter(call=call).first()
    if commission is None or commission.status != Commission.Status.CLOSED:
        return "Komisja konkursowa nie zakończyła jeszcze oceny ofert."
    return None


@transaction.atomic
def award_decide(
    *, offer: Offer, granted: bool, amount: Decimal | None = None, reasons: str = "", actor, appeal: bool = False
) -> Award:
    """Grant ``amount`` (possibly lower than requested) or refuse, with reasons. Locks the call first.

    ``appeal=True`` is used when an upheld appeal changes an award after the results were published.
    """
    call = OpenCall.objects.select_for_update().get(pk=offer.call_id)
    offer, award = _award_check(call, offer, granted, amount, reasons, actor, appeal)
    with acting_as(actor):
        award.status = Award.Status.GRANTED if granted else Award.Status.REFUSED
        award.amount = amount if granted else None
        award.reasons = reasons.strip()
        award.decided_at, award.decided_by = timezone.now(), actor
        award.save()
        _sync_update(award)
    return award


def _award_check(
    call: OpenCall, offer: Offer, granted: bool, amount: Decimal | None, reasons: str, actor, appeal: bool
) -> tuple[Offer, Award]:
    """Every rule of ``award_decide``, changing nothing: raises what it would refuse, else the offer and its award."""
    if not appeal and (error := _decision_errors(call, actor)):
        raise ValidationError(error)
    offer = Offer.objects.select_related("current_version").get(pk=offer.pk)
    if offer.status != Offer.Status.FORMALLY_ACCEPTED or offer.call_id != call.pk:
        raise ValidationError("Rozstrzygnięcie dotyczy oferty ocenionej pozytywnie pod względem formalnym.")
    requested = offer.current_version.grant_amount
    award = Award.objects.filter(offer=offer).first() or Award(offer=offer, call=call, requested_amount=requested)
    if award.pk and Agreement.objects.filter(award=award).exists():
        raise ValidationError("Umowa dla tej dotacji została już przygotowana – kwotę dotacji zmienia się aneksem.")
    if granted:
        if amount is None or amount <= 0:
            raise ValidationError({"amount": "Podaj przyznaną kwotę dotacji (większą od zera)."})
        if amount > requested:
            raise ValidationError({"amount": f"Kwota nie może przekraczać wnioskowanej ({format_money(requested)})."})
        if not appeal and (error := _below_threshold_error(offer)):
            raise ValidationError({"decision": error})
        room = call_funds(call) - awarded_total(call, exclude_offer=offer)
        if amount > room:
            raise ValidationError(
                {
                    "amount": f"Suma dotacji przekroczyłaby środki konkursu: do rozdysponowania zostało "
                    f"{format_money(max(room, Decimal('0')))}."
                }
            )
    elif not reasons.strip():
        raise ValidationError({"reasons": "Podaj uzasadnienie odmowy przyznania dotacji."})
    return offer, award


def _below_threshold_error(offer: Offer) -> str | None:
    """An offer whose mean score is below the commission's minimum is not eligible for a grant."""
    commission = Commission.objects.filter(call_id=offer.call_id).first()
    if commission is None or not commission.min_score:
        return None
    mean = ScoreCard.objects.counted().filter(offer=offer).aggregate(mean=Avg("total"))["mean"]
    if mean is not None and Decimal(mean).quantize(CENT, rounding=ROUND_HALF_UP) >= commission.min_score:
        return None
    return (
        f"Oferta nie uzyskała minimalnej oceny komisji ({number(commission.min_score, 2)} pkt) – "
        "dotacji nie można przyznać."
    )


@transaction.atomic
def awards_decide(*, decisions: list[tuple[Offer, bool, Decimal | None, str]], actor) -> dict[int, ValidationError]:
    """The decision page's rows, all or none: (offer, granted, amount, reasons) each through ``award_decide``.

    Returns the errors by offer id; when there is any, nothing of the batch is kept.
    """
    errors = {}
    for offer, granted, amount, reasons in decisions:
        try:
            award_decide(offer=offer, granted=granted, amount=amount, reasons=reasons, actor=actor)
        except ValidationError as error:
            errors[offer.pk] = error
    if errors:
        transaction.set_rollback(True)
    return errors


def _sync_update(award: Award) -> None:
    """A lower award asks the offeror for an updated offer; an award raised back to the request no longer does.

    When the amount changes after the offeror has updated the offer (an upheld appeal), that update no longer fits:
    it is dropped (its version stays in the offer's history) and, for a still lower amount, a new one is asked for.
    """
    update = OfferUpdate.objects.filter(award=award).select_related("version").first()
    stale = update is not None and update.version is not None and update.version.grant_amount != award.amount
    if update is not None and (not award.is_lower or stale):
        update.delete()
        update = None
    if award.is_lower and update is None:
        OfferUpdate.objects.create(award=award)


def results_publish_error(call: OpenCall, actor) -> str | None:
    """Why the results cannot be published now (also asked before the confirmation page)."""
    if error := _decision_errors(call, actor):
        return error
    accepted = Offer.objects.filter(call=call, status=Offer.Status.FORMALLY_ACCEPTED)
    undecided = accepted.exclude(award__status__in=[Award.Status.GRANTED, Award.Status.REFUSED]).count()
    if undecided:
        return (
            f"Nie rozstrzygnięto jeszcze {undecided} {polish_plural(undecided, 'oferty', 'ofert', 'ofert')}: "
            "każda musi mieć decyzję."
        )
    return None


@transaction.atomic
def results_publish(*, call: OpenCall, actor, site: str = "") -> OpenCall:
    """Close the decision and publish the results (art. 15 ust. 2h–2j); tell every applicant by e-mail."""
    call = OpenCall.objects.select_for_update().select_related("programme").get(pk=call.pk)
    if error := results_publish_error(call, actor):
        raise ValidationError(error)
    with acting_as(actor):
        advance(call, C.DECIDED, CALL_TRANSITIONS)
        call.results_published_at = timezone.now()
        call.save(update_fields=["status", "results_published_at"])
    publication_publish(actor=actor, document=call)  # the results as announced, frozen (page and PDF)
    # The protocol is final once the results are announced: frozen too (unless already, e.g. at signature).
    commission = Commission.objects.filter(call=call).first()
    if commission and not Publication.objects.filter(kind=Publication.Kind.PROTOCOL, object_id=commission.pk).exists():
        publication_publish(actor=actor, document=commission)
    offers = (
        Offer.objects.filter(call=call).submitted().select_related("organisation", "award__offer_update").order_by("pk")
    )
    for offer in offers:
        award = getattr(offer, "award", None)
        notices.tell_organisation(
            organisation=offer.organisation,
            kind=notices.K.RESULTS,
            template="grants/email/results",
            context={"call": call, "offer": offer, "award": award, "site": site},
            url=notices.offer_ngo_url(offer),
            emails=offer.recipients,
        )
    return call


def justification_deadline(call: OpenCall):
    return call.results_published_at + timedelta(days=JUSTIFICATION_DAYS) if call.results_published_at else None


@transaction.atomic
def justification_request_file(
    *, call: OpenCall, name: str, email: str, question: str, offer: Offer | None = None, user=None
) -> JustificationRequest:
    """Art. 15 ust. 2i: anyone may ask for the reasons within 30 days of the results."""
    deadline = justification_deadline(call)
    if deadline is None:
        raise ValidationError("Wyniki konkursu nie zostały jeszcze ogłoszone.")
    if timezone.now() > deadline:
        raise ValidationError(
            f"Termin na złożenie wniosku o uzasadnienie minął {timezone.localtime(deadline):%d.%m.%Y o %H:%M}."
        )
    request = JustificationRequest(
        call=call, offer=offer, name=name.strip(), email=email.strip(), question=question.strip(), requested_by=user
    )
    request.full_clean()
    with acting_as(user):
        request.save()
    return request


@transaction.atomic
def justification_answer(*, request: JustificationRequest, answer: str, actor) -> JustificationRequest:
    request = JustificationRequest.objects.select_for_update().select_related("call").get(pk=request.pk)
    if request.answered_at:
        raise ValidationError("Na ten wniosek już odpowiedziano.")
    if not answer.strip():
        raise ValidationError({"answer": "Wpisz uzasadnienie."})
    with acting_as(actor):
        request.answer, request.answered_at, request.answered_by = answer.strip(), timezone.now(), actor
        request.save(update_fields=["answer", "answered_at", "answered_by"])
    send_templated_mail_on_commit(
        template="grants/email/justification", to=[request.email], context={"request": request}
    )
    return request


def appeal_deadline(call: OpenCall):
    days = call.programme.appeal_days
    if not days or not call.results_published_at:
        return None
    return call.results_published_at + timedelta(days=days)


@transaction.atomic
def appeal_file(*, offer: Offer, grounds: str, actor) -> Appeal:
    """A local appeal against the results (e.g. S4 § 12), only where the programme provides one."""
    offer = Offer.objects.select_related("call__programme").get(pk=offer.pk)
    if not offer.organisation.memberships.filter(user=actor).exists():
        raise ValidationError("Odwołanie składa oferent.")
    deadline = appeal_deadline(offer.call)
    if deadline is None:
        raise ValidationError("Program współpracy nie przewiduje odwołań od wyników konkursu.")
    if timezone.now() > deadline:
        raise ValidationError(f"Termin na odwołanie minął {timezone.localtime(deadline):%d.%m.%Y o %H:%M}.")
    if Appeal.objects.filter(offer=offer).exists():
        raise ValidationError("Od wyników tej oferty złożono już odwołanie.")
    if not grounds.strip():
        raise ValidationError({"grounds": "Uzasadnij odwołanie."})
    with acting_as(actor):
        appeal = Appeal.objects.create(offer=offer, grounds=grounds.strip(), filed_by=actor)
    notices.tell_office(
        authority_id=offer.call.authority_id,
        kind=notices.K.APPEAL,
        subject=f"Odwołanie od wyników konkursu {offer.call.number}: {offer.organisation.name}",
        body=f"Organizacja {offer.organisation.name} odwołała się od wyników konkursu {offer.call.number} "
        f"(oferta „{offer.title}”). Odwołanie rozpatruje osoba upoważniona do rozstrzygnięcia konkursu.",
        url=reverse("grants:call-decision", args=[offer.call_id]) + "#odwolania",
        deciders=True,
    )
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, status: str, decision: str, actor, amount: Decimal | None = None) -> Appeal:
    """Uphold (optionally granting ``amount``), dismiss, or send the offer back to the commission for re-scoring."""
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related("offer__call").get(pk=appeal.pk)
    _appeal_check(appeal, status, decision, actor, amount)
    with acting_as(actor):
        if status == Appeal.Status.UPHELD and amount is not None:
            award_decide(offer=appeal.offer, granted=True, amount=amount, actor=actor, appeal=True)
            publication_correct_if_published(
                actor=actor,
                document=appeal.offer.call,
                reason=f"Uwzględniono odwołanie {appeal.offer.organisation.name}: przyznano dotację "
                f"{format_money(amount)}.",
            )
        if status == Appeal.Status.RESCORING:
            _reopen_for_rescoring(appeal.offer)
        appeal.status, appeal.decision = status, decision.strip()
        if status != Appeal.Status.RESCORING:
            appeal.decided_at, appeal.decided_by = timezone.now(), actor
        appeal.save(update_fields=["status", "decision", "decided_at", "decided_by"])
    notices.tell_organisation(
        organisation=appeal.offer.organisation,
        kind=notices.K.APPEAL,
        template="grants/email/appeal",
        context={"appeal": appeal},
        url=notices.offer_ngo_url(appeal.offer),
        emails=[appeal.offer.organisation.email],
    )
    return appeal


@transaction.atomic
def appeal_decide_check(*, appeal: Appeal, status: str, decision: str, actor, amount: Decimal | None = None) -> None:
    """What ``appeal_decide`` would refuse, raised before the decider confirms; changes nothing. The confirmed
    decision is checked again when saved (another decision may have used the call's funds in between)."""
    appeal = Appeal.objects.select_related("offer__call").get(pk=appeal.pk)
    _appeal_check(appeal, status, decision, actor, amount)


def _appeal_check(appeal: Appeal, status: str, decision: str, actor, amount: Decimal | None) -> None:
    if not is_decider(actor, appeal.offer.call.authority_id):
        raise ValidationError("Odwołanie rozpatruje osoba upoważniona do rozstrzygnięcia konkursu.")
    if appeal.status not in (Appeal.Status.FILED, Appeal.Status.RESCORING):
        raise ValidationError("To odwołanie zostało już rozpatrzone.")
    if status not in (Appeal.Status.UPHELD, Appeal.Status.DISMISSED, Appeal.Status.RESCORING):
        raise ValidationError({"status": "Wybierz sposób rozpatrzenia odwołania."})
    if not decision.strip():
        raise ValidationError({"decision": "Uzasadnij rozstrzygnięcie odwołania."})
    if appeal.status == Appeal.Status.RESCORING:
        if status == Appeal.Status.RESCORING:
            raise ValidationError({"status": "Komisja już ponownie ocenia tę ofertę."})
        commission = Commission.objects.get(call_id=appeal.offer.call_id)
        if commission.status != Commission.Status.CLOSED:
            raise ValidationError(
                "Komisja nie zakończyła ponownej oceny oferty – odwołanie rozpatrzysz po zamknięciu oceny przez "
                "przewodniczącego."
            )
    if status == Appeal.Status.UPHELD and amount is not None:
        _award_check(appeal.offer.call, appeal.offer, True, amount, "", actor, appeal=True)


def _reopen_for_rescoring(offer: Offer) -> None:
    """The commission scores the appealed offer again: its submitted cards are reopened (counted on each card)
    and the commission resumes scoring until the chair closes it once more."""
    commission = Commission.objects.select_for_update().get(call_id=offer.call_id)
    # Card by card (a handful, one per member), so that the audit log records each reopening.
    for card in ScoreCard.objects.select_for_update().filter(offer=offer, status=ScoreCard.Status.SUBMITTED):
        card.status, card.submitted_at = ScoreCard.Status.DRAFT, None
        card.reopened_count += 1
        card.updated_at = timezone.now()
        card.save(update_fields=["status", "submitted_at", "reopened_count", "updated_at"])
    advance(commission, Commission.Status.SCORING, COMMISSION_TRANSITIONS)
    commission.closed_at = None
    commission.save(update_fields=["status", "closed_at"])


def pending_update(offer: Offer) -> OfferUpdate | None:
    """The update the offeror still has to make (or correct) after a lower award, if any."""
    return (
        OfferUpdate.objects.filter(award__offer=offer, status__in=[U.REQUIRED, U.RETURNED])
        .select_related("award")
        .first()
    )


def update_amount_error(offer: Offer, update: OfferUpdate) -> str | None:
    """The updated offer asks for exactly the awarded amount."""
    if offer.grant_amount == update.award.amount:
        return None
    return f"W aktualizacji oferty dotacja musi być równa przyznanej kwocie: {format_money(update.award.amount)}."


def offer_update_submitted(*, update: OfferUpdate, version: OfferVersion) -> None:
    """Called by the offer submission when the submitted version is an update (same transaction)."""
    advance(update, U.SUBMITTED, UPDATE_TRANSITIONS)
    update.version = version
    update.save(update_fields=["status", "version"])


@transaction.atomic
def offer_update_review(*, update: OfferUpdate, accept: bool, remarks: str, actor) -> OfferUpdate:
    """Staff accept the updated offer (then the agreement can be drafted) or return it with remarks."""
    update = (
        OfferUpdate.objects.select_for_update(of=("self",))
        .select_related("award__offer__organisation")
        .get(pk=update.pk)
    )
    if not accept and not remarks.strip():
        raise ValidationError({"remarks": "Napisz, co trzeba poprawić w aktualizacji."})
    with acting_as(actor):
        advance(update, U.ACCEPTED if accept else U.RETURNED, UPDATE_TRANSITIONS)
        update.remarks, update.decided_at, update.decided_by = remarks.strip(), timezone.now(), actor
        update.save(update_fields=["status", "remarks", "decided_at", "decided_by"])
    offer = update.award.offer
    notices.tell_organisation(
        organisation=offer.organisation,
        kind=notices.K.OFFER_UPDATE,
        template="grants/email/offer_update",
        context={"update": update, "offer": offer},
        url=notices.offer_ngo_url(offer),
        emails=offer.recipients,
    )
    return update


@transaction.atomic
def offer_update_withdraw(*, offer: Offer, actor) -> OfferUpdate:
    """The offeror declines to carry out the task for the lower amount; the award's money is freed."""
    update = OfferUpdate.objects.select_for_update(of=("self",)).select_related("award").get(award__offer=offer)
    if not offer.organisation.memberships.filter(user=actor).exists():
        raise ValidationError("Z realizacji zadania rezygnuje oferent.")
    with acting_as(actor):
        advance(update, U.WITHDRAWN, UPDATE_TRANSITIONS)
        update.save(update_fields=["status"])
        award = update.award
        award.status, award.amount = Award.Status.REFUSED, None
        award.reasons = "Oferent zrezygnował z realizacji zadania za przyznaną kwotę."
        award.save(update_fields=["status", "amount", "reasons"])
    return update
