"""Small grants (art. 19a) and own-initiative offers (art. 12): filing, publication, comments, decision, appeal.

Filing, versions, receipts and attachments are those of call offers (``services/offers.py``); this module adds what
happens outside a call. All four limits are checked again at the award, under the lock of the programme row of the
budget year, so two awards racing for the last room under the 20 % cap cannot both succeed.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import acting_as
from programmes.models import Authority, Programme

from ..models import (
    Appeal,
    Award,
    DirectOffer,
    Offer,
    OwnInitiativeAssessment,
    PublicComment,
    SmallGrantPublication,
)
from ..models.small_grants import last_second_of
from ..small_grant_rules import limit_problems, programme_for
from . import notices
from .awards import is_decider
from .offers import _member

O = Offer.Status  # noqa: E741 - the status table reads best short
DIRECT_KINDS = {Offer.Kind.SMALL_GRANT, Offer.Kind.OWN_INITIATIVE}


def _staff_of(authority_id: int, actor) -> bool:
    return actor.is_superuser or actor.staff_roles.active().filter(authority_id=authority_id).exists()


@transaction.atomic
def direct_offer_start(*, kind: str, authority: Authority, organisation, actor) -> Offer:
    """Open a draft small-grant or own-initiative offer addressed to ``authority``; it may be filed at any time."""
    if kind not in DIRECT_KINDS:
        raise ValidationError({"kind": "Wybierz małą dotację albo ofertę z własnej inicjatywy."})
    if not _member(organisation, actor):
        raise ValidationError("Ofertę składa się w imieniu organizacji, której jesteś członkiem.")
    with acting_as(actor):
        offer = Offer.objects.create(
            kind=kind,
            call=None,
            organisation=organisation,
            created_by=actor,
            updated_by=actor,
            contact_name=actor.get_full_name(),
            contact_email=actor.email,
        )
        DirectOffer.objects.create(offer=offer, authority=authority)
    return offer


def _locked_offer(offer: Offer, kind: str | None = None) -> Offer:
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("direct__authority", "current_version", "organisation")
        .get(pk=offer.pk)
    )
    if offer.kind not in DIRECT_KINDS or (kind and offer.kind != kind):
        raise ValidationError("To nie jest oferta złożona poza konkursem.")
    return offer


@transaction.atomic
def small_grant_publish(*, offer: Offer, actor, now: datetime | None = None) -> SmallGrantPublication:
    """Art. 19a ust. 3: publish the submitted version for 7 days; the offer can no longer be changed."""
    offer = _locked_offer(offer, Offer.Kind.SMALL_GRANT)
    _publish_check(offer, actor)
    authority = offer.direct.authority
    now = now or timezone.now()
    start = offer.current_version.start_date
    with acting_as(actor):
        publication = SmallGrantPublication.objects.create(
            offer=offer,
            published_at=now,
            comments_until=SmallGrantPublication.period_end(now),
            bip_url=authority.bip_url,
            published_by=actor,
        )
        offer.status = O.FORMALLY_ACCEPTED  # published: the version on show is the one decided on
        offer.save(update_fields=["status"])
        DirectOffer.objects.filter(offer=offer).update(year=start.year)
    notices.tell_organisation(
        organisation=offer.organisation,
        kind=notices.K.SMALL_GRANT,
        template="grants/small_grants/email/published",
        context={"offer": offer, "publication": publication},
        url=notices.offer_ngo_url(offer),
        emails=offer.recipients,
    )
    return publication


def small_grant_publish_check(*, offer: Offer, actor) -> None:
    """What ``small_grant_publish`` would refuse, without publishing (the confirmation page asks only then)."""
    offer = Offer.objects.select_related("direct", "current_version").get(pk=offer.pk)
    if offer.kind != Offer.Kind.SMALL_GRANT:
        raise ValidationError("To nie jest oferta złożona poza konkursem.")
    _publish_check(offer, actor)


def _publish_check(offer: Offer, actor) -> None:
    if not _staff_of(offer.direct.authority_id, actor):
        raise ValidationError("Ofertę publikuje pracownik urzędu, do którego ją złożono.")
    if offer.status != O.SUBMITTED or offer.current_version is None:
        raise ValidationError("Opublikować można złożoną ofertę, która nie była jeszcze publikowana.")


@transaction.atomic
def public_comment_add(*, offer: Offer, name: str, email: str, text: str, now: datetime | None = None):
    """Art. 19a ust. 4: anyone may comment, without an account, while the offer is published (to the second)."""
    now = now or timezone.now()
    publication = SmallGrantPublication.objects.filter(offer=offer).first()
    if publication is None or not publication.accepts_comments_at(now):
        raise ValidationError("Uwagi do tej oferty można było zgłaszać tylko w okresie jej publikacji.")
    comment = PublicComment(offer=offer, name=name.strip(), email=email.strip(), text=text.strip(), created_at=now)
    comment.full_clean(exclude=["offer", "considered_by"])
    comment.save()
    return comment


@transaction.atomic
def comment_consider(*, comment: PublicComment, actor, consideration: str) -> PublicComment:
    comment = PublicComment.objects.select_for_update(of=("self",)).select_related("offer__direct").get(pk=comment.pk)
    if not _staff_of(comment.offer.direct.authority_id, actor):
        raise ValidationError("Uwagi rozpatruje pracownik urzędu, do którego złożono ofertę.")
    if not consideration.strip():
        raise ValidationError({"consideration": "Opisz, jak rozpatrzono uwagę."})
    if hasattr(comment.offer, "award") and comment.offer.award.status != Award.Status.PROPOSED:
        raise ValidationError("Po rozstrzygnięciu nie zmienia się sposobu rozpatrzenia uwag.")
    with acting_as(actor):
        comment.consideration = consideration.strip()
        comment.considered_at, comment.considered_by = timezone.now(), actor
        comment.save(update_fields=["consideration", "considered_at", "considered_by"])
    return comment


def _ready_for_decision(offer: Offer, actor, now: datetime) -> SmallGrantPublication:
    if not is_decider(actor, offer.direct.authority_id):
        raise ValidationError("O przyznaniu małej dotacji decyduje osoba upoważniona do podejmowania decyzji.")
    publication = SmallGrantPublication.objects.filter(offer=offer).first()
    if publication is None:
        raise ValidationError("Ofertę trzeba najpierw opublikować na 7 dni (art. 19a ust. 3).")
    if now <= publication.comments_until:
        raise ValidationError(
            f"Decyzję podejmuje się po upływie okresu na uwagi, który trwa do "
            f"{timezone.localtime(publication.comments_until):%d.%m.%Y, %H:%M:%S}."
        )
    if offer.public_comments.filter(considered_at__isnull=True).exists():
        raise ValidationError("Najpierw rozpatrz wszystkie uwagi zgłoszone do oferty (art. 19a ust. 5).")
    award = getattr(offer, "award", None)
    if award is not None and award.status != Award.Status.PROPOSED:
        raise ValidationError("W sprawie tej oferty już rozstrzygnięto.")
    return publication


def _record_decision(offer: Offer, publication, status: str, amount, reasons: str, *, actor, now: datetime) -> Award:
    """The decision on the requested grant, published at once with the offer (S4 § 16 ust. 3 pkt 6)."""
    award, _ = Award.objects.update_or_create(
        offer=offer,
        defaults={
            "call": None,
            "status": status,
            "requested_amount": offer.current_version.grant_amount,
            "amount": amount,
            "reasons": reasons,
            "decided_at": now,
            "decided_by": actor,
        },
    )
    publication.decision_published_at = now
    publication.save(update_fields=["decision_published_at"])
    return award


@transaction.atomic
def small_grant_award(*, offer: Offer, amount: Decimal, actor, now: datetime | None = None) -> Award:
    """Grant the small grant after the comment period; all four limits are checked again under the year's lock."""
    now = now or timezone.now()
    offer = _locked_offer(offer, Offer.Kind.SMALL_GRANT)
    publication = _award_check(offer, amount, actor, now, lock=True)
    start = offer.current_version.start_date
    with acting_as(actor):
        DirectOffer.objects.filter(offer=offer).update(year=start.year)
        award = _record_decision(offer, publication, Award.Status.GRANTED, amount, "", actor=actor, now=now)
    notices.tell_organisation(
        organisation=offer.organisation,
        kind=notices.K.SMALL_GRANT,
        template="grants/small_grants/email/decision",
        context={"offer": offer, "award": award},
        url=notices.offer_ngo_url(offer),
        emails=offer.recipients,
    )
    return award


def small_grant_award_check(*, offer: Offer, amount: Decimal, actor, now: datetime | None = None) -> None:
    """What ``small_grant_award`` would refuse, raised before the decider confirms; changes nothing (the award
    checks again under the year's lock)."""
    _award_check(_decision_offer(offer), amount, actor, now or timezone.now(), lock=False)


def _decision_offer(offer: Offer) -> Offer:
    offer = Offer.objects.select_related("direct__authority", "current_version", "organisation").get(pk=offer.pk)
    if offer.kind != Offer.Kind.SMALL_GRANT:
        raise ValidationError("To nie jest oferta małej dotacji.")
    return offer


def _award_check(offer: Offer, amount, actor, now: datetime, *, lock: bool) -> SmallGrantPublication:
    publication = _ready_for_decision(offer, actor, now)
    version = offer.current_version
    start, end = version.start_date, version.end_date
    authority_id = offer.direct.authority_id
    programme = programme_for(authority_id, start.year)
    if lock and programme is not None:
        # Every small-grant award of this authority and year takes this lock first: the sums below cannot move.
        Programme.objects.select_for_update().get(pk=programme.pk)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "Podaj przyznaną kwotę."})
    if amount > version.grant_amount:
        raise ValidationError({"amount": "Przyznana kwota nie może być wyższa od wnioskowanej."})
    if problems := limit_problems(
        authority_id=authority_id,
        organisation_id=offer.organisation_id,
        amount=amount,
        start=start,
        end=end,
        on=timezone.localdate(now),
        exclude_offer_id=offer.pk,
    ):
        raise ValidationError({"amount" if key == "grant_amount" else key: v for key, v in problems.items()})
    return publication


@transaction.atomic
def small_grant_refuse(*, offer: Offer, reasons: str, actor, now: datetime | None = None) -> Award:
    """Refuse with reasons (S4 § 16 ust. 3 pkt 5); the decision is published and may be appealed (programme)."""
    now = now or timezone.now()
    offer = _locked_offer(offer, Offer.Kind.SMALL_GRANT)
    publication = _refusal_check(offer, reasons, actor, now)
    with acting_as(actor):
        award = _record_decision(offer, publication, Award.Status.REFUSED, None, reasons.strip(), actor=actor, now=now)
    notices.tell_organisation(
        organisation=offer.organisation,
        kind=notices.K.SMALL_GRANT,
        template="grants/small_grants/email/decision",
        context={"offer": offer, "award": award, "appeal_until": appeal_deadline(offer, award)},
        url=notices.offer_ngo_url(offer),
        emails=offer.recipients,
    )
    return award


def small_grant_refuse_check(*, offer: Offer, reasons: str, actor, now: datetime | None = None) -> None:
    """What ``small_grant_refuse`` would refuse, raised before the decider confirms; changes nothing."""
    _refusal_check(_decision_offer(offer), reasons, actor, now or timezone.now())


def _refusal_check(offer: Offer, reasons: str, actor, now: datetime) -> SmallGrantPublication:
    publication = _ready_for_decision(offer, actor, now)
    if not reasons.strip():
        raise ValidationError({"reasons": "Podaj uzasadnienie odmowy."})
    return publication


def appeal_days(offer: Offer) -> int | None:
    """How many days the programme of the task's year gives to appeal a refusal (``None``: no appeal)."""
    version = offer.current_version
    if version is None:
        return None
    year = version.start_date.year
    programme = programme_for(offer.direct.authority_id, year)
    return programme.appeal_days if programme else None


def appeal_deadline(offer: Offer, award: Award) -> datetime | None:
    """The last second to appeal: ``appeal_days`` calendar days after the decision was published."""
    days = appeal_days(offer)
    if days is None or award.status != Award.Status.REFUSED or award.decided_at is None:
        return None
    return last_second_of(timezone.localdate(award.decided_at) + timedelta(days=days))


@transaction.atomic
def small_grant_appeal(*, offer: Offer, grounds: str, actor, now: datetime | None = None) -> Appeal:
    """S4 § 16 ust. 3 pkt 7: the NGO may appeal a refusal within the programme's days of its publication."""
    now = now or timezone.now()
    offer = _locked_offer(offer, Offer.Kind.SMALL_GRANT)
    if not _member(offer, actor):
        raise ValidationError("Odwołanie składa oferent.")
    award = getattr(offer, "award", None)
    if award is None or award.status != Award.Status.REFUSED:
        raise ValidationError("Odwołać się można tylko od odmowy przyznania dotacji.")
    deadline = appeal_deadline(offer, award)
    if deadline is None:
        raise ValidationError("Program współpracy nie przewiduje odwołań od tej decyzji.")
    if now > deadline:
        raise ValidationError(f"Termin na odwołanie minął {timezone.localtime(deadline):%d.%m.%Y o %H:%M:%S}.")
    if Appeal.objects.filter(offer=offer).exists():
        raise ValidationError("Odwołanie od tej decyzji już złożono.")
    if not grounds.strip():
        raise ValidationError({"grounds": "Uzasadnij odwołanie."})
    with acting_as(actor):
        appeal = Appeal.objects.create(offer=offer, grounds=grounds.strip(), filed_by=actor, filed_at=now)
    notices.tell_office(
        authority_id=offer.direct.authority_id,
        kind=notices.K.APPEAL,
        subject=f"Odwołanie od odmowy małej dotacji: {offer.organisation.name}",
        body=f"Organizacja {offer.organisation.name} odwołała się od odmowy przyznania dotacji na zadanie "
        f"„{offer.title}”.",
        url=notices.offer_staff_url(offer),
        deciders=True,
    )
    return appeal


@transaction.atomic
def small_grant_appeal_decide(*, appeal: Appeal, upheld: bool, decision: str, actor) -> Appeal:
    """S4 § 16 ust. 3 pkt 8: the executive reconsiders; if upheld, the refusal is set aside for a new decision."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",)).select_related("offer__direct", "offer__award").get(pk=appeal.pk)
    )
    offer = appeal.offer
    _small_grant_appeal_check(appeal, decision, actor)
    with acting_as(actor):
        appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.DISMISSED
        appeal.decision, appeal.decided_at, appeal.decided_by = decision.strip(), timezone.now(), actor
        appeal.save(update_fields=["status", "decision", "decided_at", "decided_by"])
        if upheld:
            award = offer.award
            award.status, award.amount, award.decided_at, award.decided_by = Award.Status.PROPOSED, None, None, None
            award.save(update_fields=["status", "amount", "decided_at", "decided_by"])
    notices.tell_organisation(
        organisation=offer.organisation,
        kind=notices.K.SMALL_GRANT,
        template="grants/small_grants/email/appeal_decided",
        context={"offer": offer, "appeal": appeal},
        url=notices.offer_ngo_url(offer),
        emails=offer.recipients,
    )
    return appeal


def small_grant_appeal_decide_check(*, appeal: Appeal, upheld: bool, decision: str, actor) -> None:
    """What ``small_grant_appeal_decide`` would refuse, raised before the decider confirms; changes nothing."""
    _small_grant_appeal_check(Appeal.objects.select_related("offer__direct").get(pk=appeal.pk), decision, actor)


def _small_grant_appeal_check(appeal: Appeal, decision: str, actor) -> None:
    if not is_decider(actor, appeal.offer.direct.authority_id):
        raise ValidationError("Odwołanie rozpatruje osoba upoważniona do podejmowania decyzji.")
    if appeal.status != Appeal.Status.FILED:
        raise ValidationError("To odwołanie już rozpatrzono.")
    if not decision.strip():
        raise ValidationError({"decision": "Podaj stanowisko w sprawie odwołania."})


@transaction.atomic
def own_initiative_assess(
    *,
    offer: Offer,
    actor,
    outcome: str,
    reasons: str,
    commissioning_mode: str = "",
    planned_call_date: date | None = None,
) -> OwnInitiativeAssessment:
    """Art. 12 ust. 2: within a month, say whether the task is worthwhile and how it will be commissioned."""
    offer = _locked_offer(offer, Offer.Kind.OWN_INITIATIVE)
    _assessment_check(offer, actor, outcome, reasons, commissioning_mode, planned_call_date)
    worthwhile = outcome == OwnInitiativeAssessment.Outcome.WORTHWHILE
    now = timezone.now()
    with acting_as(actor):
        assessment = OwnInitiativeAssessment.objects.create(
            offer=offer,
            outcome=outcome,
            commissioning_mode=commissioning_mode if worthwhile else "",
            planned_call_date=planned_call_date if worthwhile else None,
            reasons=reasons.strip(),
            decided_by=actor,
            decided_at=now,
            informed_at=now,  # the e-mail below goes out when this commits
        )
        offer.status = O.FORMALLY_ACCEPTED
        offer.save(update_fields=["status"])
    notices.tell_organisation(
        organisation=offer.organisation,
        kind=notices.K.SMALL_GRANT,
        template="grants/small_grants/email/assessed",
        context={"offer": offer, "assessment": assessment},
        url=notices.offer_ngo_url(offer),
        emails=offer.recipients,
    )
    return assessment


def own_initiative_assess_check(
    *, offer: Offer, actor, outcome: str, reasons: str, commissioning_mode: str = "", planned_call_date=None
) -> None:
    """What ``own_initiative_assess`` would refuse, without recording anything (asked before the confirmation)."""
    offer = Offer.objects.select_related("direct", "current_version").get(pk=offer.pk)
    if offer.kind != Offer.Kind.OWN_INITIATIVE:
        raise ValidationError("To nie jest oferta złożona poza konkursem.")
    _assessment_check(offer, actor, outcome, reasons, commissioning_mode, planned_call_date)


def _assessment_check(offer: Offer, actor, outcome, reasons, commissioning_mode, planned_call_date) -> None:
    if not _staff_of(offer.direct.authority_id, actor):
        raise ValidationError("Ofertę rozpatruje urząd, do którego ją złożono.")
    if offer.current_version is None or offer.status != O.SUBMITTED:
        raise ValidationError("Rozpatruje się złożoną ofertę, jeszcze nierozpatrzoną.")
    errors = {}
    if not reasons.strip():
        errors["reasons"] = "Uzasadnij ocenę celowości."
    worthwhile = outcome == OwnInitiativeAssessment.Outcome.WORTHWHILE
    if worthwhile and not commissioning_mode:
        errors["commissioning_mode"] = "Wskaż, w jakim trybie zadanie zostanie zlecone."
    if (
        worthwhile
        and commissioning_mode == OwnInitiativeAssessment.CommissioningMode.OPEN_CALL
        and not planned_call_date
    ):
        errors["planned_call_date"] = "Podaj planowany termin ogłoszenia otwartego konkursu ofert (art. 12 ust. 2)."
    if errors:
        raise ValidationError(errors)
