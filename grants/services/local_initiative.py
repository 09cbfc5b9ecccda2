"""Local initiative (art. 19b–19h of the act): the council's rules, requests, assessment, agreements, spending and
the residents' report. Every state change is one function here, run in a transaction, audited, and the money rules
(the agreement's cap, the reserve of the budget line) are checked under row locks.

Legal anchors, read in the consolidated text of the act (Dz.U. 2024 poz. 1491):
- art. 2 pkt 4: local initiative is a form of cooperation of the authority with its residents to carry out a public
  task together for the local community; art. 5 ust. 2 pkt 6 lists „umowy o wykonanie inicjatywy lokalnej” among the
  forms of cooperation;
- art. 19b ust. 1: residents, directly or through an organisation (or an art. 3 ust. 3 entity), file a request with
  the authority where they live or have their seat, only in the spheres listed there (``ALLOWED_AREA_CODES``);
- art. 19c ust. 1: the council sets the procedure and the detailed criteria, which weigh above all the residents'
  social work; ust. 2: the executive assesses the request by those criteria and its purposefulness for the local
  community;
- art. 19d–19h: the executive may conclude, after considering the request, an agreement on the execution of the
  initiative for a fixed term; the applicants' share is social work, money or things in kind; the authority may lend
  things needed for it; the schedule and cost estimate are agreed together; the Civil Code governs the rest.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.audit import acting_as
from config.polish import format_money, format_number
from config.workflow import advance
from organisations.models import PublicTaskArea
from programmes.models import BudgetLine

from ..local_initiative_tasks import notify_after_commit
from ..models.local_initiative import (
    ALLOWED_AREA_CODES,
    LocalInitiativeAgreement,
    LocalInitiativeAnnex,
    LocalInitiativeCriterion,
    LocalInitiativeExpense,
    LocalInitiativeReport,
    LocalInitiativeRequest,
    LocalInitiativeReserve,
    LocalInitiativeRules,
    LocalInitiativeScore,
    LocalInitiativeSupporter,
)
from ..snapshot import checksum
from .awards import is_decider
from .calls import calls_drawn
from .small_grants import _staff_of

R = LocalInitiativeRequest.Status
A = LocalInitiativeAgreement.Status
REQUEST_TRANSITIONS = {
    R.DRAFT: {R.SUBMITTED, R.WITHDRAWN},
    R.SUBMITTED: {R.COMPLETION, R.ACCEPTED, R.REFUSED, R.WITHDRAWN},
    R.COMPLETION: {R.SUBMITTED, R.WITHDRAWN},
}
AGREEMENT_TRANSITIONS = {
    A.DRAFT: {A.SIGNED, A.TERMINATED},
    A.SIGNED: {A.COMPLETED, A.TERMINATED},
}
CENT = Decimal("0.01")

REQUEST_FIELDS = [
    "initiator_name",
    "initiator_address",
    "initiator_email",
    "initiator_phone",
    "title",
    "task_area",
    "description",
    "place",
    "start_date",
    "end_date",
    "schedule",
    "total_cost",
    "social_work_hours",
    "social_work_description",
    "in_kind_value",
    "in_kind_description",
    "financial_contribution",
    "requested_services",
    "requested_materials",
    "requested_equipment",
    "requested_space",
    "requested_amount",
]


# --- council rules (art. 19c ust. 1) ---------------------------------------------------------------------------


def _pct(value: Decimal) -> str:
    return f"{format_number(value, 0 if value == value.to_integral() else 2)}%"


def criteria_problems(criteria: list[dict]) -> dict[str, str]:
    """Why a criteria set cannot stand, by field: the statute's social-work rule and weights summing to 100%."""
    problems = {}
    if not criteria:
        return {"criteria": "Uchwała musi określać szczegółowe kryteria oceny wniosków (art. 19c ust. 1 ustawy)."}
    social = [c for c in criteria if c.get("is_social_work")]
    if not social:
        problems["criteria"] = (
            "Kryteria muszą uwzględniać przede wszystkim wkład pracy społecznej mieszkańców (art. 19c ust. 1 ustawy): "
            "zaznacz kryterium, które go ocenia."
        )
    else:
        heaviest_other = max((Decimal(c["weight"]) for c in criteria if not c.get("is_social_work")), default=None)
        social_weight = sum((Decimal(c["weight"]) for c in social), Decimal("0"))
        if heaviest_other is not None and social_weight < heaviest_other:
            problems["criteria"] = (
                "Wkład pracy społecznej ma być uwzględniony „przede wszystkim” (art. 19c ust. 1 ustawy): jego waga "
                f"({_pct(social_weight)}) nie może być mniejsza niż waga innego kryterium ({_pct(heaviest_other)})."
            )
    total = sum((Decimal(c["weight"]) for c in criteria), Decimal("0"))
    if total != Decimal("100"):
        problems.setdefault("criteria", f"Wagi kryteriów muszą sumować się do 100% (teraz {_pct(total)}).")
    return problems


@transaction.atomic
def rules_adopt(
    *,
    authority,
    actor,
    resolution_number: str,
    resolution_date: date,
    valid_from: date,
    procedure: str,
    social_work_hour_rate: Decimal,
    min_residents: int,
    criteria: list[dict],
) -> LocalInitiativeRules:
    """Record the council's resolution and its criteria; refused without the social-work criterion."""
    if not _staff_of(authority.pk, actor):
        raise ValidationError("Zasady inicjatywy lokalnej zapisuje urząd tej jednostki.")
    if problems := criteria_problems(criteria):
        raise ValidationError(problems)
    if valid_from < resolution_date:
        raise ValidationError({"valid_from": "Uchwała nie może obowiązywać przed dniem jej podjęcia."})
    rules = LocalInitiativeRules(
        authority=authority,
        resolution_number=resolution_number,
        resolution_date=resolution_date,
        valid_from=valid_from,
        procedure=procedure,
        social_work_hour_rate=social_work_hour_rate,
        min_residents=min_residents,
        created_by=actor,
    )
    rules.full_clean(validate_constraints=False)
    if LocalInitiativeRules.objects.filter(authority=authority, valid_from=valid_from).exists():
        raise ValidationError({"valid_from": "Od tego dnia obowiązuje już inna uchwała: podaj inną datę."})
    with acting_as(actor):
        rules.save()
        for order, criterion in enumerate(criteria, start=1):
            row = LocalInitiativeCriterion(
                rules=rules,
                order=order,
                name=criterion["name"],
                description=criterion.get("description", ""),
                max_points=criterion["max_points"],
                weight=criterion["weight"],
                is_social_work=bool(criterion.get("is_social_work")),
            )
            row.full_clean(exclude=["rules"], validate_constraints=False)
            row.save()
    return rules


def rules_in_force(authority_id: int, day: date | None = None) -> LocalInitiativeRules | None:
    day = day or timezone.localdate()
    return (
        LocalInitiativeRules.objects.filter(authority_id=authority_id, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


@transaction.atomic
def reserve_set(*, budget_line, amount: Decimal, actor) -> LocalInitiativeReserve:
    """Set aside part of a budget line for local initiative; never below what agreements already committed, nor
    above what the line's open calls leave (the line is locked as ``calls.call_allocate`` locks it)."""
    if not _staff_of(budget_line.programme.authority_id, actor):
        raise ValidationError("Rezerwę ustala urząd jednostki, której jest program.")
    budget_line = BudgetLine.objects.select_for_update().get(pk=budget_line.pk)
    if amount > budget_line.planned_amount:
        raise ValidationError({"amount": "Rezerwa nie może przekraczać kwoty planowanej w tej pozycji budżetu."})
    drawn = calls_drawn(budget_line)
    if amount > budget_line.planned_amount - drawn:
        raise ValidationError(
            {
                "amount": f"Otwarte konkursy pobierają z tej pozycji {format_money(drawn)}: na rezerwę na inicjatywę "
                f"lokalną zostało najwyżej {format_money(budget_line.planned_amount - drawn)}."
            }
        )
    committed = committed_on_line(budget_line.pk)
    if amount < committed:
        raise ValidationError(
            {"amount": f"Umowy o wykonanie inicjatyw lokalnych z tej pozycji mają już limit {format_money(committed)}."}
        )
    with acting_as(actor):
        reserve, _created = LocalInitiativeReserve.objects.select_for_update(of=("self",)).update_or_create(
            budget_line=budget_line, defaults={"amount": amount}
        )
    return reserve


def committed_on_line(budget_line_id: int, exclude_agreement_id: int | None = None) -> Decimal:
    """The spending caps of the line's live agreements (a completed one counts what it spent)."""
    live = LocalInitiativeAgreement.objects.filter(
        budget_line_id=budget_line_id, status__in=[A.DRAFT, A.SIGNED]
    ).exclude(pk=exclude_agreement_id)
    caps = live.aggregate(total=Sum("spending_cap", default=Decimal("0")))["total"]
    spent_completed = LocalInitiativeExpense.objects.filter(
        agreement__budget_line_id=budget_line_id, agreement__status__in=[A.COMPLETED, A.TERMINATED]
    ).aggregate(total=Sum("amount", default=Decimal("0")))["total"]
    return caps + spent_completed


# --- requests (art. 19b) ----------------------------------------------------------------------------------------


def allowed_task_areas():
    """The spheres of art. 4 ust. 1 in which art. 19b ust. 1 allows a local initiative."""
    return PublicTaskArea.objects.filter(code__in=ALLOWED_AREA_CODES)


def _area_error(area) -> str | None:
    if area is not None and area.code not in ALLOWED_AREA_CODES:
        return (
            f"Inicjatywa lokalna może dotyczyć tylko sfer wymienionych w art. 19b ust. 1 ustawy; "
            f"sfera „{area.short_text}” (art. 4 ust. 1 pkt {area.code}) do nich nie należy."
        )
    return None


def is_applicant(li_request: LocalInitiativeRequest, actor) -> bool:
    if li_request.created_by_id == actor.pk:
        return True
    return (
        bool(li_request.organisation_id)
        and actor.memberships.filter(organisation_id=li_request.organisation_id).exists()
    )


@transaction.atomic
def request_create(*, authority, actor, applicant_kind: str, organisation=None) -> LocalInitiativeRequest:
    """Start a draft: a resident needs no organisation, an organisation's member applies in its name."""
    if applicant_kind == LocalInitiativeRequest.ApplicantKind.ORGANISATION:
        if organisation is None or not actor.memberships.filter(organisation=organisation).exists():
            raise ValidationError({"organisation": "Wybierz organizację, do której należysz."})
    else:
        organisation = None
    li_request = LocalInitiativeRequest(
        authority=authority,
        applicant_kind=applicant_kind,
        organisation=organisation,
        initiator_name=actor.get_full_name(),
        initiator_address="",
        initiator_email=actor.email,
        title="",
        description="",
        place="",
        schedule="",
        total_cost=Decimal("0"),
        created_by=actor,
    )
    with acting_as(actor):
        li_request.save()
    return li_request


@transaction.atomic
def request_save(*, li_request: LocalInitiativeRequest, actor, data: dict, supporters: list[dict]) -> None:
    """Save the draft (everything typed is kept); the area of art. 19b ust. 1 is checked at once."""
    li_request = LocalInitiativeRequest.objects.select_for_update(of=("self",)).get(pk=li_request.pk)
    if not is_applicant(li_request, actor):
        raise ValidationError("Nie możesz zmieniać tego wniosku.")
    if li_request.status not in (R.DRAFT, R.COMPLETION):
        raise ValidationError("Złożonego wniosku nie można już zmieniać (chyba że urząd poprosi o uzupełnienie).")
    if error := _area_error(data.get("task_area")):
        raise ValidationError({"task_area": error})
    for name in REQUEST_FIELDS:
        if name in data:
            setattr(li_request, name, data[name])
    li_request.revision += 1
    with acting_as(actor):
        li_request.save()
        li_request.supporters.all().delete()
        LocalInitiativeSupporter.objects.bulk_create(
            LocalInitiativeSupporter(request=li_request, order=order, **row)
            for order, row in enumerate(supporters, start=1)
        )


def request_problems(li_request: LocalInitiativeRequest, rules: LocalInitiativeRules | None) -> dict[str, str]:
    """What stops a submission, by field (Polish, as shown on the form)."""
    problems = {}
    if rules is None:
        problems["__all__"] = (
            "Rada nie określiła jeszcze trybu i kryteriów oceny wniosków (art. 19c ust. 1 ustawy): wniosku nie "
            "można złożyć."
        )
    required = {
        "title": "Podaj nazwę inicjatywy.",
        "description": "Opisz zadanie i to, czemu służy społeczności lokalnej.",
        "place": "Podaj miejsce realizacji.",
        "schedule": "Podaj harmonogram.",
        "initiator_address": "Podaj adres zamieszkania inicjatora.",
    }
    for name, message in required.items():
        if not str(getattr(li_request, name) or "").strip():
            problems[name] = message
    if li_request.task_area_id is None:
        problems["task_area"] = "Wybierz sferę zadań publicznych z art. 19b ust. 1 ustawy."
    elif error := _area_error(li_request.task_area):
        problems["task_area"] = error
    if li_request.start_date is None:
        problems["start_date"] = "Podaj początek realizacji."
    if li_request.end_date is None:
        problems["end_date"] = "Podaj koniec realizacji."
    if li_request.total_cost <= 0:
        problems["total_cost"] = "Podaj szacunkowy koszt zadania."
    if li_request.social_work_hours <= 0 and li_request.in_kind_value <= 0 and li_request.financial_contribution <= 0:
        problems["social_work_hours"] = (
            "Wnioskodawcy wnoszą wkład własny: pracę społeczną, świadczenia rzeczowe lub pieniężne."
        )
    if li_request.requested_amount > li_request.total_cost:
        problems["requested_amount"] = "Koszt po stronie urzędu nie może przekraczać kosztu całego zadania."
    if rules is not None and li_request.applicant_kind == LocalInitiativeRequest.ApplicantKind.RESIDENTS:
        supporters = li_request.supporters.filter(consent=True).count()
        if supporters < rules.min_residents:
            problems["supporters"] = (
                f"Wniosek grupy mieszkańców popiera co najmniej {rules.min_residents} osób (uchwała rady); "
                f"na liście jest {supporters}."
            )
    return problems


def request_snapshot(li_request: LocalInitiativeRequest) -> dict:
    data = {
        name: str(getattr(li_request, name) if name != "task_area" else li_request.task_area.code)
        for name in REQUEST_FIELDS
    }
    data["applicant_kind"] = li_request.applicant_kind
    data["organisation"] = li_request.organisation.name if li_request.organisation_id else ""
    data["supporters"] = [
        {"full_name": s.full_name, "address": s.address, "consent": s.consent} for s in li_request.supporters.all()
    ]
    data["rules"] = str(li_request.rules) if li_request.rules_id else ""
    data["social_work_rate"] = str(li_request.social_work_rate)
    return data


@transaction.atomic
def request_submit(*, li_request: LocalInitiativeRequest, actor, revision: int) -> LocalInitiativeRequest:
    """Freeze the request with its checksum and issue the receipt; idempotent for the same revision."""
    li_request = (
        LocalInitiativeRequest.objects.select_for_update(of=("self",))
        .select_related("task_area", "organisation")
        .get(pk=li_request.pk)
    )
    if not is_applicant(li_request, actor):
        raise ValidationError("Nie możesz składać tego wniosku.")
    if li_request.status == R.SUBMITTED and li_request.submitted_data.get("revision") == revision:
        return li_request  # a double click: the first click submitted it
    if li_request.revision != revision:
        raise ValidationError("Wniosek zmienił się od chwili otwarcia strony. Sprawdź go i złóż ponownie.")
    rules = rules_in_force(li_request.authority_id)
    if problems := request_problems(li_request, rules):
        raise ValidationError(problems)
    now = timezone.now()
    advance(li_request, R.SUBMITTED, REQUEST_TRANSITIONS)
    li_request.rules = rules
    li_request.submission_count += 1
    data = request_snapshot(li_request)
    data["revision"] = revision
    li_request.submitted_data = data
    li_request.sha256 = checksum(data)
    li_request.submitted_at = now
    li_request.receipt_number = f"IL/{timezone.localdate(now).year}/{li_request.pk:06d}/{li_request.submission_count}"
    li_request.completion_note = ""
    with acting_as(actor):
        li_request.save()
    notify_after_commit(li_request.pk, "submitted")
    return li_request


@transaction.atomic
def request_withdraw(*, li_request: LocalInitiativeRequest, actor) -> None:
    li_request = LocalInitiativeRequest.objects.select_for_update(of=("self",)).get(pk=li_request.pk)
    if not is_applicant(li_request, actor):
        raise ValidationError("Nie możesz wycofać tego wniosku.")
    advance(li_request, R.WITHDRAWN, REQUEST_TRANSITIONS)
    with acting_as(actor):
        li_request.save(update_fields=["status", "updated_at"])


@transaction.atomic
def request_ask_completion(*, li_request: LocalInitiativeRequest, actor, note: str) -> None:
    """The office asks the applicants to complete the request; they edit and submit it again."""
    li_request = LocalInitiativeRequest.objects.select_for_update(of=("self",)).get(pk=li_request.pk)
    if not _staff_of(li_request.authority_id, actor):
        raise ValidationError("O uzupełnienie prosi urząd, do którego złożono wniosek.")
    if not note.strip():
        raise ValidationError({"note": "Napisz, co trzeba uzupełnić."})
    advance(li_request, R.COMPLETION, REQUEST_TRANSITIONS)
    li_request.completion_note = note
    li_request.completion_requested_at = timezone.now()
    with acting_as(actor):
        li_request.save(update_fields=["status", "completion_note", "completion_requested_at", "updated_at"])
    notify_after_commit(li_request.pk, "completion")


# --- assessment (art. 19c ust. 2) --------------------------------------------------------------------------------


def weighted_total(scores: list[LocalInitiativeScore]) -> Decimal:
    """Points on each criterion as a share of its scale, times its weight: a result out of 100."""
    total = sum(
        (Decimal(s.points) / s.criterion.max_points * s.criterion.weight for s in scores),
        Decimal("0"),
    )
    return total.quantize(CENT)


@transaction.atomic
def request_score(*, li_request: LocalInitiativeRequest, actor, scores: dict[int, tuple[Decimal, str]]) -> Decimal:
    """Record the office's points on every criterion of the rules the request was filed under."""
    li_request = (
        LocalInitiativeRequest.objects.select_for_update(of=("self",)).select_related("rules").get(pk=li_request.pk)
    )
    if not _staff_of(li_request.authority_id, actor):
        raise ValidationError("Wnioski ocenia urząd, do którego je złożono.")
    if li_request.status != R.SUBMITTED:
        raise ValidationError("Ocenia się wniosek złożony, przed rozstrzygnięciem.")
    criteria = list(li_request.rules.criteria.all())
    errors = {}
    for criterion in criteria:
        points, justification = scores.get(criterion.pk, (None, ""))
        field = f"points_{criterion.pk}"
        if points is None:
            errors[field] = "Wpisz punkty."
        elif points < 0 or points > criterion.max_points:
            errors[field] = f"Punkty w tym kryterium: od 0 do {criterion.max_points}."
        if not (justification or "").strip():
            errors[f"justification_{criterion.pk}"] = "Uzasadnij ocenę."
    if errors:
        raise ValidationError(errors)
    rows = []
    with acting_as(actor):
        for criterion in criteria:
            points, justification = scores[criterion.pk]
            row, _created = LocalInitiativeScore.objects.update_or_create(
                request=li_request,
                criterion=criterion,
                defaults={
                    "points": points,
                    "justification": justification,
                    "scored_by": actor,
                    "scored_at": timezone.now(),
                },
            )
            row.criterion = criterion
            rows.append(row)
        li_request.weighted_score = weighted_total(rows)
        li_request.save(update_fields=["weighted_score", "updated_at"])
    return li_request.weighted_score


def reserve_position(budget_line) -> dict:
    """The reserve of a budget line against what agreements committed: shown beside every request."""
    reserve = getattr(budget_line, "local_initiative_reserve", None)
    amount = reserve.amount if reserve else Decimal("0")
    committed = committed_on_line(budget_line.pk)
    return {"line": budget_line, "reserve": amount, "committed": committed, "free": amount - committed}


@transaction.atomic
def request_decide(*, li_request: LocalInitiativeRequest, actor, accept: bool, reasons: str) -> None:
    """The executive (or staff it authorised) accepts or refuses the request, with reasons (art. 19c ust. 2)."""
    li_request = (
        LocalInitiativeRequest.objects.select_for_update(of=("self",)).select_related("rules").get(pk=li_request.pk)
    )
    if not is_decider(actor, li_request.authority_id):
        raise ValidationError("Rozstrzyga organ wykonawczy albo osoba przez niego upoważniona.")
    if not reasons.strip():
        raise ValidationError({"reasons": "Podaj uzasadnienie rozstrzygnięcia."})
    if li_request.scores.count() < li_request.rules.criteria.count():
        raise ValidationError("Najpierw oceń wniosek we wszystkich kryteriach uchwały rady.")
    advance(li_request, R.ACCEPTED if accept else R.REFUSED, REQUEST_TRANSITIONS)
    li_request.decision_reasons = reasons
    li_request.decided_at = timezone.now()
    li_request.decided_by = actor
    with acting_as(actor):
        li_request.save(update_fields=["status", "decision_reasons", "decided_at", "decided_by", "updated_at"])
    notify_after_commit(li_request.pk, "accepted" if accept else "refused")


# --- agreement on execution (art. 19d–19h) ----------------------------------------------------------------------


def _check_cap_within_reserve(budget_line_id: int, cap: Decimal, exclude_agreement_id: int | None = None) -> None:
    reserve = (
        LocalInitiativeReserve.objects.select_for_update(of=("self",)).filter(budget_line_id=budget_line_id).first()
    )
    if reserve is None:
        raise ValidationError({"budget_line": "Ta pozycja budżetu nie ma rezerwy na inicjatywę lokalną."})
    free = reserve.amount - committed_on_line(budget_line_id, exclude_agreement_id)
    if cap > free:
        raise ValidationError(
            {
                "spending_cap": (
                    f"W rezerwie tej pozycji budżetu zostało {format_money(free)}; "
                    "limit wydatków umowy nie może tego przekroczyć."
                )
            }
        )


@transaction.atomic
def agreement_create(*, li_request: LocalInitiativeRequest, actor, budget_line, data: dict) -> LocalInitiativeAgreement:
    """Prepare the agreement from an accepted request; its cap is committed against the line's reserve."""
    li_request = LocalInitiativeRequest.objects.select_for_update(of=("self",)).get(pk=li_request.pk)
    if not _staff_of(li_request.authority_id, actor):
        raise ValidationError("Umowę przygotowuje urząd, do którego złożono wniosek.")
    if li_request.status != R.ACCEPTED:
        raise ValidationError("Umowę zawiera się po przyjęciu wniosku do realizacji.")
    if LocalInitiativeAgreement.objects.filter(request=li_request).exists():
        raise ValidationError("Umowa do tego wniosku już jest.")
    if budget_line.programme.authority_id != li_request.authority_id:
        raise ValidationError({"budget_line": "Wybierz pozycję budżetu programu tej jednostki."})
    _check_cap_within_reserve(budget_line.pk, data["spending_cap"])
    agreement = LocalInitiativeAgreement(
        request=li_request, authority_id=li_request.authority_id, budget_line=budget_line, created_by=actor, **data
    )
    agreement.full_clean(exclude=["request", "authority", "budget_line", "created_by"], validate_constraints=False)
    if agreement.end_date < agreement.start_date:
        raise ValidationError(
            {"end_date": "Umowę zawiera się na czas określony: koniec nie może być przed początkiem."}
        )
    if LocalInitiativeAgreement.objects.filter(authority_id=li_request.authority_id, number=agreement.number).exists():
        raise ValidationError({"number": "Umowa o tym numerze już jest."})
    with acting_as(actor):
        agreement.save()
    return agreement


def _locked_agreement(agreement) -> LocalInitiativeAgreement:
    return LocalInitiativeAgreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)


@transaction.atomic
def agreement_sign(*, agreement, actor, signed_on: date) -> None:
    agreement = _locked_agreement(agreement)
    if not is_decider(actor, agreement.authority_id):
        raise ValidationError("Umowę zawiera organ wykonawczy albo osoba przez niego upoważniona.")
    advance(agreement, A.SIGNED, AGREEMENT_TRANSITIONS)
    agreement.signed_on = signed_on
    with acting_as(actor):
        agreement.save(update_fields=["status", "signed_on"])


@transaction.atomic
def agreement_terminate(*, agreement, actor, terminated_on: date, reason: str) -> None:
    agreement = _locked_agreement(agreement)
    if not is_decider(actor, agreement.authority_id):
        raise ValidationError("Umowę rozwiązuje organ wykonawczy albo osoba przez niego upoważniona.")
    if not reason.strip():
        raise ValidationError({"reason": "Podaj przyczynę rozwiązania umowy."})
    advance(agreement, A.TERMINATED, AGREEMENT_TRANSITIONS)
    agreement.terminated_on, agreement.termination_reason = terminated_on, reason
    with acting_as(actor):
        agreement.save(update_fields=["status", "terminated_on", "termination_reason"])


@transaction.atomic
def agreement_annex(
    *, agreement, actor, signed_on: date, description: str, new_end_date=None, new_spending_cap=None
) -> LocalInitiativeAnnex:
    """A written change of a signed agreement; a new cap stays within the reserve and above what was spent."""
    agreement = _locked_agreement(agreement)
    if not is_decider(actor, agreement.authority_id):
        raise ValidationError("Aneks podpisuje organ wykonawczy albo osoba przez niego upoważniona.")
    if agreement.status != A.SIGNED:
        raise ValidationError("Aneks zawiera się do umowy zawartej, przed jej rozliczeniem.")
    if not description.strip():
        raise ValidationError({"description": "Opisz zakres zmian."})
    if new_spending_cap is not None:
        spent = spent_on(agreement)
        if new_spending_cap < spent:
            raise ValidationError(
                {"new_spending_cap": f"Urząd wydał już {format_money(spent)}: limit nie może być niższy."}
            )
        _check_cap_within_reserve(agreement.budget_line_id, new_spending_cap, exclude_agreement_id=agreement.pk)
        agreement.spending_cap = new_spending_cap
    if new_end_date is not None:
        if new_end_date < agreement.start_date:
            raise ValidationError({"new_end_date": "Koniec nie może być przed początkiem realizacji."})
        agreement.end_date = new_end_date
    number = agreement.annexes.count() + 1
    with acting_as(actor):
        annex = LocalInitiativeAnnex.objects.create(
            agreement=agreement,
            number=number,
            signed_on=signed_on,
            description=description,
            new_end_date=new_end_date,
            new_spending_cap=new_spending_cap,
            created_by=actor,
        )
        agreement.save(update_fields=["spending_cap", "end_date"])
    return annex


# --- execution and settlement ------------------------------------------------------------------------------------


def spent_on(agreement) -> Decimal:
    return agreement.expenses.aggregate(total=Sum("amount", default=Decimal("0")))["total"]


@transaction.atomic
def expense_record(
    *, agreement, actor, spent_on_day: date, document: str, supplier: str, description: str, amount: Decimal
) -> LocalInitiativeExpense:
    """Record the authority's spending on the initiative; refused above the agreement's cap.

    The agreement row is locked first, so two clerks recording invoices at once are serialised: the second sees
    the first one's expense and is refused if both together would pass the cap. The cap itself sits within the
    reserve of the budget line (checked when the agreement or an annex set it), so the line's reserve holds too.
    """
    agreement = _locked_agreement(agreement)
    if not _staff_of(agreement.authority_id, actor):
        raise ValidationError("Wydatki zapisuje urząd strony umowy.")
    if agreement.status != A.SIGNED:
        raise ValidationError("Wydatki zapisuje się do umowy zawartej, przed jej rozliczeniem.")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "Kwota wydatku musi być większa od zera."})
    spent = spent_on(agreement)
    if spent + amount > agreement.spending_cap:
        raise ValidationError(
            {
                "amount": (
                    f"Wydatek przekracza limit umowy: limit {format_money(agreement.spending_cap)}, "
                    f"wydano {format_money(spent)}, "
                    f"zostało {format_money(agreement.spending_cap - spent)}."
                )
            }
        )
    expense = LocalInitiativeExpense(
        agreement=agreement,
        spent_on=spent_on_day,
        document=document,
        supplier=supplier,
        description=description,
        amount=amount,
        recorded_by=actor,
    )
    expense.full_clean(exclude=["agreement", "recorded_by"], validate_constraints=False)
    with acting_as(actor):
        expense.save()
    return expense


@transaction.atomic
def report_submit(*, agreement, actor, data: dict) -> LocalInitiativeReport:
    """The applicants report the contribution actually given and the results (again after a return)."""
    agreement = _locked_agreement(agreement)
    if not is_applicant(agreement.request, actor):
        raise ValidationError("Sprawozdanie składają wnioskodawcy.")
    if agreement.status != A.SIGNED:
        raise ValidationError("Sprawozdanie składa się z umowy zawartej, przed jej rozliczeniem.")
    report = LocalInitiativeReport.objects.filter(agreement=agreement).first()
    if report is not None and report.status != LocalInitiativeReport.Status.RETURNED:
        raise ValidationError("Sprawozdanie już złożono.")
    report = report or LocalInitiativeReport(agreement=agreement, submitted_by=actor)
    for name, value in data.items():
        setattr(report, name, value)
    report.status = LocalInitiativeReport.Status.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), actor
    report.full_clean(exclude=["agreement", "submitted_by", "accepted_by"], validate_constraints=False)
    with acting_as(actor):
        report.save()
    return report


@transaction.atomic
def report_review(*, report: LocalInitiativeReport, actor, accept: bool, note: str = "") -> None:
    """The office accepts the report (the initiative is completed) or returns it with what to correct."""
    report = LocalInitiativeReport.objects.select_for_update(of=("self",)).select_related("agreement").get(pk=report.pk)
    agreement = _locked_agreement(report.agreement)
    if not _staff_of(agreement.authority_id, actor):
        raise ValidationError("Sprawozdanie przyjmuje urząd strony umowy.")
    if report.status != LocalInitiativeReport.Status.SUBMITTED:
        raise ValidationError("To sprawozdanie nie czeka na przyjęcie.")
    with acting_as(actor):
        if accept:
            report.status = LocalInitiativeReport.Status.ACCEPTED
            report.accepted_at, report.accepted_by = timezone.now(), actor
            report.save(update_fields=["status", "accepted_at", "accepted_by"])
            advance(agreement, A.COMPLETED, AGREEMENT_TRANSITIONS)
            agreement.completed_at = timezone.now()
            agreement.save(update_fields=["status", "completed_at"])
        else:
            if not note.strip():
                raise ValidationError({"note": "Napisz, co poprawić."})
            report.status, report.return_note = LocalInitiativeReport.Status.RETURNED, note
            report.save(update_fields=["status", "return_note"])
    if accept:
        notify_after_commit(agreement.request_id, "report_accepted")
