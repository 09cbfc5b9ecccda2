"""The commission (art. 15 ust. 2a–2f, S2 § 12): composition, impartiality, score cards and proposed amounts.

Rules kept here, under row locks:
- a member signs the impartiality declaration before seeing any offer; the portal adds the conflicts it can see
  itself (the member's organisations, or the nominating organisation, took part in the call); a conflicted member
  is excluded;
- an excluded chair is replaced by the only remaining authority representative, otherwise staff pick one, and
  nobody can score while the commission has no chair;
- ``max_exclusions`` exclusions (S2 § 12 ust. 7: two) close the sitting: the commission needs a new composition;
- a submitted card is locked; only the chair can reopen it; scoring closes when every voting member has
  submitted a card for every offer.
"""

from decimal import Decimal

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.audit import acting_as
from accounts.mail import send_templated_mail_on_commit
from accounts.models import User
from accounts.notifications.models import Notification
from accounts.notifications.services import notify
from config.polish import format_money, polish_plural
from config.workflow import advance
from organisations.models import Organisation

from ..models import (
    Award,
    Commission,
    CommissionMember,
    Criterion,
    ImpartialityDeclaration,
    Offer,
    OpenCall,
    Score,
    ScoreCard,
)
from ..tasks import conflicts_check_enqueue
from .impartiality import (  # noqa: F401 - the reads views and the demo use through this module
    card_conflict_error,
    conflicted_member_ids,
    declaration_opening_error,
    detect_conflicts,
    participating_offers,
    participating_organisation_ids,
    user_conflict_names,
)

S = Commission.Status
# The commission's statuses; nothing else sets them. Re-scoring after an appeal reopens a closed commission.
TRANSITIONS: dict[str, set[str]] = {
    S.COMPOSING: {S.SCORING, S.RECOMPOSE},
    S.SCORING: {S.RECOMPOSE, S.CLOSED},
    S.RECOMPOSE: {S.SCORING},
    S.CLOSED: {S.SCORING},
}
M = CommissionMember.Capacity
C = OpenCall.Status
GROUND_CODES = {code for code, _label in ImpartialityDeclaration.GROUNDS}
# A commission is appointed once the call is announced and works until the decision.
COMMISSION_CALL_STATUSES = {C.PUBLISHED, C.SUBMISSION_CLOSED, C.FORMAL_REVIEW, C.COMMISSION_REVIEW}

# Where the rules of the commission come from, as users are told (art. 5a ust. 4 pkt 11: the programme sets them).
COMMISSION_RULES = "zasady działania komisji w programie współpracy"


# --- reads the services and views share -------------------------------------------------------------------------


def scorable_offers(call: OpenCall):
    """The commission scores offers that passed the formal review (S2 § 12 ust. 10)."""
    return Offer.objects.filter(call=call, status=Offer.Status.FORMALLY_ACCEPTED)


def pending_formal_offers(call: OpenCall):
    """Offers whose formal review is not finished: waiting for it or for the defects to be remedied."""
    return Offer.objects.filter(call=call, status__in=[Offer.Status.SUBMITTED, Offer.Status.DEFECT_NOTICE])


def exclusions_since_recompose(commission: Commission) -> int:
    """Exclusions counted towards ``max_exclusions`` in the current composition.

    Each time the count reaches the limit the sitting is closed and a new composition starts counting from zero, so
    this is the number of exclusions modulo the limit: 0 right after the exclusion that closed a sitting.
    """
    return commission.members.filter(excluded_at__isnull=False).count() % commission.max_exclusions


def composition_errors(commission: Commission, members: list[CommissionMember] | None = None) -> list[str]:
    """Why the commission cannot (re)start scoring; empty when it can."""
    members = list(commission.members.select_related("declaration", "user")) if members is None else members
    active = [m for m in members if not m.is_excluded]
    errors = []
    authority = [m for m in active if m.capacity == M.AUTHORITY]
    if len(authority) < commission.min_authority_members:
        errors.append(
            f"Komisja musi mieć co najmniej {commission.min_authority_members} "
            f"{polish_plural(commission.min_authority_members, 'przedstawiciela', *['przedstawicieli'] * 2)} "
            f"organu (niewyłączonych); ma {len(authority)}."
        )
    ngo = [m for m in active if m.capacity == M.NGO]
    if len(ngo) > commission.max_ngo_members:
        errors.append(
            f"W komisji może zasiadać najwyżej {commission.max_ngo_members} "
            f"{polish_plural(commission.max_ngo_members, 'osoba wskazana', 'osoby wskazane', 'osób wskazanych')} "
            "przez organizacje; "
            f"jest {len(ngo)}."
        )
    conflicts = conflicted_member_ids(commission, active)
    for member in active:
        if member.pk in conflicts:
            errors.append(
                f"{member.user.get_full_name() or member.user.email}: konflikt interesów "
                f"({'; '.join(conflicts[member.pk])}) – wyłącz tę osobę z prac komisji."
            )
    if not any(m.is_chair for m in active):
        errors.append("Wskaż przewodniczącego komisji spośród przedstawicieli organu.")
    undeclared = [m for m in active if not hasattr(m, "declaration")]
    if undeclared:
        names = ", ".join(m.user.get_full_name() or m.user.email for m in undeclared)
        errors.append(f"Oświadczenia o bezstronności nie złożyli jeszcze: {names}.")
    return errors


def missing_cards(commission: Commission) -> list[str]:
    """For closing: which voting members still have to submit which cards, in words."""
    offers = list(scorable_offers(commission.call).values_list("pk", flat=True))
    submitted = set(
        ScoreCard.objects.filter(member__commission=commission, status=ScoreCard.Status.SUBMITTED).values_list(
            "member_id", "offer_id"
        )
    )
    lines = []
    for member in commission.members.voting().select_related("user"):
        missing = sum(1 for offer in offers if (member.pk, offer) not in submitted)
        if missing:
            lines.append(f"{member.user.get_full_name() or member.user.email}: {missing} z {len(offers)}")
    return lines


def _lock(commission: Commission) -> Commission:
    return Commission.objects.select_for_update().select_related("call").get(pk=commission.pk)


def _ensure_cards(commission: Commission) -> int:
    """Draft cards for every declared, non-excluded member and every scorable offer (bulk, idempotent)."""
    members = list(commission.members.active().filter(declaration__isnull=False).values_list("pk", flat=True))
    offers = list(scorable_offers(commission.call).values_list("pk", flat=True))
    existing = set(ScoreCard.objects.filter(member__in=members).values_list("member_id", "offer_id"))
    new = [
        ScoreCard(member_id=member, offer_id=offer)
        for member in members
        for offer in offers
        if (member, offer) not in existing
    ]
    ScoreCard.objects.bulk_create(new)
    return len(new)


# --- composition ---------------------------------------------------------------------------------------------------


RULE_FIELDS = ("min_authority_members", "max_ngo_members", "max_exclusions", "min_score")


def _rule_errors(rules: dict) -> dict:
    errors = {}
    if rules.get("min_authority_members", 3) < 1:
        errors["min_authority_members"] = "Komisja musi mieć co najmniej jednego przedstawiciela organu."
    if rules.get("max_exclusions", 2) < 1:
        errors["max_exclusions"] = "Liczba wyłączeń zamykająca posiedzenie musi wynosić co najmniej 1."
    if rules.get("min_score", Decimal("0")) < 0:
        errors["min_score"] = "Minimalna ocena nie może być ujemna."
    return errors


@transaction.atomic
def commission_create(*, call: OpenCall, actor, **rules) -> Commission:
    """Appoint the commission for ``call`` with the S2 § 12 defaults unless ``rules`` say otherwise."""
    call = OpenCall.objects.select_for_update().get(pk=call.pk)
    if call.status not in COMMISSION_CALL_STATUSES:
        raise ValidationError("Komisję powołuje się dla ogłoszonego konkursu, przed jego rozstrzygnięciem.")
    if Commission.objects.filter(call=call).exists():
        raise ValidationError("Komisja dla tego konkursu została już powołana.")
    rules = {key: value for key, value in rules.items() if key in RULE_FIELDS and value is not None}
    if errors := _rule_errors(rules):
        raise ValidationError(errors)
    with acting_as(actor):
        return Commission.objects.create(call=call, **rules)


@transaction.atomic
def commission_update_rules(*, commission: Commission, actor, **rules) -> Commission:
    commission = _lock(commission)
    if commission.status == S.CLOSED:
        raise ValidationError("Ocena została zakończona – zasad pracy komisji nie można już zmienić.")
    rules = {key: value for key, value in rules.items() if key in RULE_FIELDS and value is not None}
    if errors := _rule_errors(rules):
        raise ValidationError(errors)
    if commission.status == S.SCORING and "min_score" in rules and rules["min_score"] != commission.min_score:
        raise ValidationError({"min_score": "Progu punktowego nie zmienia się w trakcie oceny ofert."})
    with acting_as(actor):
        for key, value in rules.items():
            setattr(commission, key, value)
        commission.save(update_fields=list(rules) or None)
    return commission


def _invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password-reset-confirm", args=[uid, default_token_generator.make_token(user)])


@transaction.atomic
def member_appoint(
    *,
    commission: Commission,
    actor,
    email: str,
    capacity: str,
    first_name: str = "",
    last_name: str = "",
    nominated_by: Organisation | None = None,
    is_chair: bool = False,
    site_url: str = "",
) -> CommissionMember:
    """Appoint a person by e-mail; a new person gets an account without a password and a link to set one."""
    commission = _lock(commission)
    errors: dict[str, str] = {}
    if commission.status == S.CLOSED:
        raise ValidationError("Ocena została zakończona – składu komisji nie można już zmienić.")
    email = User.objects.normalize_email(email or "").strip().lower()
    if not email:
        errors["email"] = "Podaj adres e-mail osoby powoływanej do komisji."
    if capacity not in M.values:
        errors["capacity"] = "Wybierz funkcję w komisji."
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is not None and commission.members.filter(user=user).exists():
        errors["email"] = "Ta osoba jest już członkiem komisji."
    elif user is not None and (conflicted := user_conflict_names(user, commission.call)):
        errors["email"] = (
            f"Ta osoba działa w organizacji „{conflicted[0]}”, która bierze udział w konkursie – nie może zasiadać "
            "w komisji (art. 15 ust. 2d ustawy)."
        )
    if user is None and email and not (first_name.strip() and last_name.strip()):
        errors["first_name"] = "Ta osoba nie ma jeszcze konta – podaj imię i nazwisko, a wyślemy jej zaproszenie."
    if capacity == M.NGO:
        if nominated_by is None:
            errors["nominated_by"] = "Wskaż organizację, która zgłosiła tę osobę (art. 15 ust. 2d)."
        elif nominated_by.pk in participating_organisation_ids(commission.call):
            errors["nominated_by"] = (
                f"Organizacja „{nominated_by.name}” bierze udział w konkursie – osoba przez nią wskazana nie może "
                "zasiadać w komisji (art. 15 ust. 2d)."
            )
        if commission.members.active().filter(capacity=M.NGO).count() >= commission.max_ngo_members:
            errors["capacity"] = (
                f"Osób wskazanych przez organizacje jest już w komisji {commission.max_ngo_members} – tyle, "
                "ile dopuszczają zasady."
            )
    elif nominated_by is not None and capacity in (M.AUTHORITY, M.EXPERT):
        errors["nominated_by"] = "Organizację wskazującą podaje się tylko dla osób zgłoszonych przez organizacje."
    if is_chair and capacity != M.AUTHORITY:
        errors["is_chair"] = f"Przewodniczącym jest jeden z przedstawicieli organu ({COMMISSION_RULES})."
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=None,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                is_active=True,
                email_confirmed_at=timezone.now(),
            )
            template, extra = "invitation", {"set_password_path": _invitation_path(user)}
        elif user.awaits_confirmation:
            # Signed up (perhaps by someone else) but never confirmed: the set-password link confirms the address.
            template, extra = "invitation", {"set_password_path": _invitation_path(user)}
        else:
            template, extra = "appointed", {"home_path": reverse("grants:commission-home")}
        context = {"user": user, "call": commission.call, "capacity": M(capacity).label, "site_url": site_url, **extra}
        if template == "appointed":
            notify(
                kind=Notification.Kind.COMMISSION,
                recipients=[user],
                template="grants/commission/email/appointed",
                context=context,
                url=reverse("grants:commission-home"),
            )
        else:  # the set-password link goes only to the mailbox
            send_templated_mail_on_commit(
                template=f"grants/commission/email/{template}", to=[user.email], context=context
            )
        if is_chair:
            _unset_chair(commission)
        member = CommissionMember.objects.create(
            commission=commission,
            user=user,
            capacity=capacity,
            nominated_by=nominated_by if capacity in (M.NGO, M.COUNCIL) else None,
            is_chair=is_chair,
            appointed_by=actor,
        )
    conflicts_check_enqueue(commission.call_id)  # e.g. a council member nominated by an offeror
    return member


@transaction.atomic
def member_remove(*, member: CommissionMember, actor) -> None:
    """Undo an appointment made by mistake: only before the member has submitted any card or been excluded."""
    commission = _lock(member.commission)
    member = CommissionMember.objects.get(pk=member.pk)
    if commission.status == S.CLOSED:
        raise ValidationError("Ocena została zakończona – składu komisji nie można już zmienić.")
    if member.is_excluded:
        raise ValidationError("Wyłączenie członka pozostaje w protokole – takiej osoby nie usuwa się ze składu.")
    if member.cards.filter(status=ScoreCard.Status.SUBMITTED).exists():
        raise ValidationError("Ta osoba złożyła już karty oceny – nie można jej usunąć ze składu.")
    if member.is_chair and commission.status == S.SCORING:
        raise ValidationError("Najpierw wskaż innego przewodniczącego – komisja nie może oceniać bez niego.")
    with acting_as(actor):
        member.delete()


def _unset_chair(commission: Commission, keep: CommissionMember | None = None) -> None:
    """Clear the chair flag (one chair per commission) before another member takes it; saved one by one for audit."""
    for previous in commission.members.filter(is_chair=True).exclude(pk=getattr(keep, "pk", None)):
        previous.is_chair = False
        previous.save(update_fields=["is_chair"])


@transaction.atomic
def chair_set(*, commission: Commission, member: CommissionMember, actor) -> CommissionMember:
    commission = _lock(commission)
    member = CommissionMember.objects.select_for_update().get(pk=member.pk)
    if member.commission_id != commission.pk:
        raise ValidationError({"member": "Ta osoba nie należy do tej komisji."})
    if member.capacity != M.AUTHORITY:
        raise ValidationError({"member": f"Przewodniczącym jest jeden z przedstawicieli organu ({COMMISSION_RULES})."})
    if member.is_excluded:
        raise ValidationError({"member": "Osoba wyłączona z prac komisji nie może jej przewodniczyć."})
    if commission.status == S.CLOSED:
        raise ValidationError("Ocena została zakończona.")
    with acting_as(actor):
        _unset_chair(commission, keep=member)
        member.is_chair = True
        member.save(update_fields=["is_chair"])
    return member


def _exclude(commission: Commission, member: CommissionMember, reason: str) -> None:
    """Exclude under the caller's lock; replace the chair; close the sitting after ``max_exclusions`` exclusions."""
    was_chair = member.is_chair
    member.excluded_at = timezone.now()
    member.exclusion_reason = reason
    member.is_chair = False
    member.save(update_fields=["excluded_at", "exclusion_reason", "is_chair"])
    if was_chair:
        candidates = list(commission.members.active().filter(capacity=M.AUTHORITY))
        if len(candidates) == 1:
            candidates[0].is_chair = True
            candidates[0].save(update_fields=["is_chair"])
    if exclusions_since_recompose(commission) == 0 and commission.status in (S.COMPOSING, S.SCORING):
        advance(commission, S.RECOMPOSE, TRANSITIONS)
        commission.save(update_fields=["status"])


def exclusion_reason_text(declaration: ImpartialityDeclaration) -> str:
    parts = declaration.ground_labels() + [item["text"] for item in declaration.detected]
    text = "; ".join(parts)
    if declaration.explanation.strip():
        text += f". Wyjaśnienie: {declaration.explanation.strip()}"
    return text


@transaction.atomic
def declaration_sign(
    *, member: CommissionMember, actor, grounds: list[str], explanation: str = ""
) -> ImpartialityDeclaration:
    """The member's own declaration, with what the portal detects; a conflict excludes the member."""
    commission = _lock(member.commission)
    member = CommissionMember.objects.select_for_update().select_related("commission__call").get(pk=member.pk)
    if actor.pk != member.user_id:
        raise ValidationError("Oświadczenie składa osobiście członek komisji.")
    if member.is_excluded:
        raise ValidationError("Zostałeś(-aś) wyłączony(-a) z prac komisji w tym konkursie.")
    if hasattr(member, "declaration"):
        raise ValidationError("Oświadczenie zostało już złożone.")
    if commission.status == S.CLOSED:
        raise ValidationError("Ocena została zakończona.")
    if error := declaration_opening_error(commission.call):
        raise ValidationError(error)
    unknown = set(grounds) - GROUND_CODES
    if unknown:
        raise ValidationError({"grounds": "Nieznana przesłanka wyłączenia."})
    if "other_doubt" in grounds and not explanation.strip():
        raise ValidationError({"explanation": "Opisz okoliczności, które mogą wywołać wątpliwość co do bezstronności."})
    with acting_as(actor):
        declaration = ImpartialityDeclaration.objects.create(
            member=member,
            grounds=[code for code, _label in ImpartialityDeclaration.GROUNDS if code in grounds],
            detected=detect_conflicts(member),
            explanation=explanation.strip(),
        )
        if declaration.conflicted:
            _exclude(commission, member, exclusion_reason_text(declaration))
        elif commission.status == S.SCORING:
            _ensure_cards(commission)
    return declaration


@transaction.atomic
def member_exclude(*, member: CommissionMember, actor, reason: str) -> CommissionMember:
    """Staff exclude a member on grounds learnt otherwise (art. 24 § 3 KPA); recorded with the reason."""
    commission = _lock(member.commission)
    member = CommissionMember.objects.select_for_update().get(pk=member.pk)
    if not reason.strip():
        raise ValidationError({"reason": "Podaj przyczynę wyłączenia – trafi do protokołu."})
    if member.is_excluded:
        raise ValidationError("Ta osoba jest już wyłączona.")
    if commission.status == S.CLOSED:
        raise ValidationError("Ocena została zakończona.")
    with acting_as(actor):
        _exclude(commission, member, reason.strip())
    return member


# --- scoring -----------------------------------------------------------------------------------------------------


@transaction.atomic
def call_to_commission(*, call: OpenCall, actor) -> OpenCall:
    """Formal review done: hand the offers to the commission (call status ``commission_review``)."""
    from .calls import call_set_status

    pending = pending_formal_offers(call).count()
    if pending:
        raise ValidationError(
            f"Ocena formalna nie jest zakończona: {pending} "
            f"{polish_plural(pending, 'oferta czeka', 'oferty czekają', 'ofert czeka')} "
            "na rozstrzygnięcie lub uzupełnienie braków."
        )
    return call_set_status(call=call, status=C.COMMISSION_REVIEW, actor=actor)


@transaction.atomic
def scoring_start(*, commission: Commission, actor) -> Commission:
    """Start (or, after a new composition, resume) scoring: rules met, everybody declared, cards prepared."""
    commission = _lock(commission)
    if commission.call.status != C.COMMISSION_REVIEW:
        raise ValidationError("Ocenę merytoryczną rozpoczyna się po przekazaniu ofert komisji (po ocenie formalnej).")
    if commission.status not in (S.COMPOSING, S.RECOMPOSE):
        raise ValidationError(f"Komisja jest w stanie „{commission.get_status_display()}”.")
    errors = composition_errors(commission)
    if commission.status == S.RECOMPOSE and not commission.members.active().filter(
        appointed_at__gt=_last_exclusion(commission)
    ):
        errors.append(f"Po wyłączeniu członków komisja wymaga nowego składu – powołaj nowe osoby ({COMMISSION_RULES}).")
    if not scorable_offers(commission.call).exists():
        errors.append("W konkursie nie ma ofert poprawnych formalnie do oceny.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        advance(commission, S.SCORING, TRANSITIONS)
        commission.scoring_started_at = commission.scoring_started_at or timezone.now()
        commission.save(update_fields=["status", "scoring_started_at"])
        _ensure_cards(commission)
    return commission


def _last_exclusion(commission: Commission):
    last = commission.members.filter(excluded_at__isnull=False).order_by("-excluded_at").first()
    return last.excluded_at if last else commission.created_at


def card_scoring_errors(card: ScoreCard) -> str | None:
    member, commission = card.member, card.member.commission
    if member.is_excluded:
        return "Zostałeś(-aś) wyłączony(-a) z prac komisji w tym konkursie."
    if commission.status != S.SCORING:
        return {
            S.COMPOSING: "Ocena jeszcze się nie rozpoczęła.",
            S.RECOMPOSE: (
                f"Posiedzenie zamknięte: komisja wymaga nowego składu ({COMMISSION_RULES}). Ocena jest wstrzymana."
            ),
            S.CLOSED: "Ocena została zakończona – karty są zamknięte.",
        }[commission.status]
    if not commission.members.filter(is_chair=True).exists():
        return "Komisja nie ma przewodniczącego – urząd musi go wskazać, zanim ocena będzie kontynuowana."
    return None


def card_validate(
    *,
    card: ScoreCard,
    points: dict[int, Decimal | None],
    remarks: str = "",
    proposed_amount: Decimal | None = None,
    submit: bool = False,
    criteria: list[Criterion] | None = None,
) -> None:
    """The card's own rules (points within each criterion's range, a justification to submit), before saving or
    before asking the member to confirm the submission."""
    if criteria is None:
        criteria = list(Criterion.objects.filter(call=card.offer.call_id))
    errors: dict[str, str] = {}
    for criterion in criteria:
        value = points.get(criterion.pk)
        key = f"points_{criterion.pk}"
        if value is None:
            if submit:
                errors[key] = "Przyznaj punkty w tym kryterium."
        elif value < 0 or value > criterion.max_points:
            errors[key] = f"Liczba punktów od 0 do {criterion.max_points}."
    requested = card.offer.current_version.grant_amount
    if proposed_amount is not None:
        if proposed_amount < 0:
            errors["proposed_amount"] = "Kwota nie może być ujemna."
        elif proposed_amount > requested:
            errors["proposed_amount"] = (
                f"Proponowana kwota nie może przekraczać wnioskowanej ({format_money(requested)})."
            )
    if submit and not remarks.strip():
        errors["remarks"] = "Uzasadnij ocenę – uzasadnienie trafia do protokołu."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def card_save(
    *,
    card: ScoreCard,
    actor,
    points: dict[int, Decimal | None],
    justifications: dict[int, str],
    remarks: str = "",
    proposed_amount: Decimal | None = None,
    submit: bool = False,
) -> ScoreCard:
    """Save the member's own card as a draft, or submit it (then it is locked and its total stored)."""
    card = (
        ScoreCard.objects.select_for_update(of=("self",))
        .select_related("member__commission__call", "offer__current_version")
        .get(pk=card.pk)
    )
    if actor.pk != card.member.user_id:
        raise ValidationError("Kartę oceny wypełnia członek komisji, do którego należy.")
    if error := card_scoring_errors(card):
        raise ValidationError(error)
    if error := card_conflict_error(card.member):
        raise ValidationError(error)
    if card.status == ScoreCard.Status.SUBMITTED:
        raise ValidationError(
            "Karta została złożona i jest zamknięta. Zmienić ją można po otwarciu przez przewodniczącego."
        )
    criteria = list(Criterion.objects.filter(call=card.offer.call_id))
    card_validate(
        card=card, criteria=criteria, points=points, remarks=remarks, proposed_amount=proposed_amount, submit=submit
    )
    with acting_as(actor):
        existing = {score.criterion_id: score for score in card.scores.all()}
        for criterion in criteria:
            value = points.get(criterion.pk)
            justification = (justifications.get(criterion.pk) or "").strip()
            score = existing.get(criterion.pk)
            if value is None:
                if score is not None:
                    score.delete()
                continue
            if score is None:
                Score.objects.create(card=card, criterion=criterion, points=value, justification=justification)
            elif (score.points, score.justification) != (value, justification):
                score.points, score.justification = value, justification
                score.save(update_fields=["points", "justification"])
        card.remarks = remarks.strip()
        card.proposed_amount = proposed_amount
        card.total = sum((v for v in points.values() if v is not None), start=Decimal("0"))
        card.updated_at = timezone.now()
        if submit:
            card.status = ScoreCard.Status.SUBMITTED
            card.submitted_at = card.updated_at
        card.save()
    return card


def _chair_of(commission: Commission, actor) -> CommissionMember | None:
    return commission.members.active().filter(is_chair=True, user=actor).first()


@transaction.atomic
def card_reopen(*, card: ScoreCard, actor) -> ScoreCard:
    """The chair reopens a submitted card for correction; counted and recorded."""
    card = ScoreCard.objects.select_for_update(of=("self",)).select_related("member__commission").get(pk=card.pk)
    commission = card.member.commission
    if _chair_of(commission, actor) is None:
        raise ValidationError("Kartę otworzyć może tylko przewodniczący komisji.")
    if commission.status != S.SCORING:
        raise ValidationError("Karty można otwierać tylko w trakcie oceny.")
    if card.status != ScoreCard.Status.SUBMITTED:
        raise ValidationError("Ta karta nie jest złożona.")
    with acting_as(actor):
        card.status = ScoreCard.Status.DRAFT
        card.submitted_at = None
        card.reopened_count += 1
        card.updated_at = timezone.now()
        card.save(update_fields=["status", "submitted_at", "reopened_count", "updated_at"])
    return card


@transaction.atomic
def scoring_close(*, commission: Commission, actor) -> Commission:
    """The chair closes scoring once every voting member has submitted every card."""
    commission = _lock(commission)
    if _chair_of(commission, actor) is None:
        raise ValidationError("Ocenę zamyka przewodniczący komisji.")
    if commission.status != S.SCORING:
        raise ValidationError("Komisja nie prowadzi teraz oceny.")
    missing = missing_cards(commission)
    if missing:
        raise ValidationError("Nie wszystkie karty zostały złożone. Brakuje kart: " + "; ".join(missing) + ".")
    with acting_as(actor):
        advance(commission, S.CLOSED, TRANSITIONS)
        commission.closed_at = timezone.now()
        commission.save(update_fields=["status", "closed_at"])
    return commission


# --- proposed amounts -------------------------------------------------------------------------------------------


@transaction.atomic
def award_propose(*, call: OpenCall, amounts: dict[int, Decimal], actor) -> list[Award]:
    """Record the proposed amount per offer (Award rows in status ``proposed``), never above the request.

    ``amounts`` maps offer ids to amounts; errors are keyed ``amount_<offer id>``.
    """
    call = OpenCall.objects.select_for_update().get(pk=call.pk)
    commission = Commission.objects.filter(call=call).first()
    if call.status != C.COMMISSION_REVIEW:
        raise ValidationError("Kwoty proponuje się po ocenie komisji, przed rozstrzygnięciem konkursu.")
    if commission is None or commission.status != S.CLOSED:
        raise ValidationError("Komisja nie zakończyła jeszcze oceny ofert.")
    offers = {
        offer.pk: offer
        for offer in scorable_offers(call).filter(pk__in=amounts).select_related("current_version", "award")
    }
    errors: dict[str, str] = {}
    for pk, amount in amounts.items():
        offer = offers.get(pk)
        key = f"amount_{pk}"
        if offer is None:
            errors[key] = "Ta oferta nie jest oceniana w tym konkursie."
            continue
        award = getattr(offer, "award", None)
        if award is not None and award.status != Award.Status.PROPOSED:
            errors[key] = "O tej ofercie już rozstrzygnięto – propozycji się nie zmienia."
        elif amount is not None and amount < 0:
            errors[key] = "Kwota nie może być ujemna."
        elif amount is not None and amount > offer.current_version.grant_amount:
            errors[key] = (
                "Proponowana kwota nie może przekraczać wnioskowanej "
                f"({format_money(offer.current_version.grant_amount)})."
            )
    if errors:
        raise ValidationError(errors)
    saved = []
    with acting_as(actor):
        for pk, amount in amounts.items():
            offer = offers[pk]
            award = getattr(offer, "award", None) or Award(offer=offer, call=call)
            award.requested_amount = offer.current_version.grant_amount
            award.proposed_amount = amount
            award.status = Award.Status.PROPOSED
            award.save()
            saved.append(award)
    return saved
