"""State changes of cooperation programmes. Each is atomic and audited; status moves only through ``advance``."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.formats import number_format

from accounts.audit import acting_as
from config.workflow import advance

from .models import Programme, ProgrammeAmendment

S = Programme.Status
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.IN_CONSULTATION, S.ADOPTED},
    S.IN_CONSULTATION: {S.CONSULTED},
    S.CONSULTED: {S.ADOPTED, S.IN_CONSULTATION},
    S.ADOPTED: {S.IN_FORCE},
    S.IN_FORCE: {S.REPORTED},
    S.REPORTED: set(),
}

SMALL_GRANTS_CAP = Decimal("0.20")  # art. 19a ust. 7: small grants ≤ 20% of grants planned in the year


def programme_total(programme: Programme) -> Decimal:
    return programme.budget_lines.aggregate(total=Sum("planned_amount", default=Decimal("0")))["total"]


def small_grants_share(programme: Programme, total: Decimal | None = None) -> Decimal | None:
    total = programme_total(programme) if total is None else total
    return (programme.small_grants_reserve / total) if total else None


def adoption_warnings(programme: Programme, resolution_date: date | None = None) -> list[str]:
    """What the law expects before adoption and the portal cannot see satisfied (warnings, not refusals)."""
    warnings = []
    resolution_date = resolution_date or programme.resolution_date
    if resolution_date and resolution_date > programme.adoption_deadline:
        warnings.append(
            f"Uchwała z dnia {resolution_date:%d.%m.%Y} zapada po terminie z art. 5a ust. 1 ustawy "
            f"({programme.adoption_deadline:%d.%m.%Y}): roczny program uchwala się do 30 listopada roku poprzedniego."
        )
    if not programme.consultations.exclude(status="draft").exists():
        warnings.append(
            "Projekt programu nie był konsultowany z organizacjami (art. 5a ust. 1 w związku z art. 5 ust. 5 ustawy)."
        )
    total = programme_total(programme)
    share = small_grants_share(programme, total)
    if share is not None and share > SMALL_GRANTS_CAP:
        warnings.append(
            f"Środki na małe granty stanowią {number_format(share * 100, 1)}% planowanych dotacji – więcej niż 20% "
            "(art. 19a ust. 7)."
        )
    return warnings


def _unanswered_comment_count(programme: Programme) -> int:
    from consultations.models import ConsultationComment

    return ConsultationComment.objects.submitted().filter(consultation__programme=programme, decision="").count()


@transaction.atomic
def programme_adopt(*, programme: Programme, resolution_number: str, resolution_date: date, actor) -> list[str]:
    """Record the council's resolution. Refused while any consultation comment is unanswered."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    errors = {}
    if not resolution_number.strip():
        errors["resolution_number"] = "Podaj numer uchwały."
    if unanswered := _unanswered_comment_count(programme):
        errors["__all__"] = (
            f"Nie można uchwalić programu: {unanswered} uwag(i) z konsultacji czeka na stanowisko. "
            "Odpowiedz na każdą uwagę i opublikuj sprawozdanie z konsultacji."
        )
    if errors:
        raise ValidationError(errors)
    warnings = adoption_warnings(programme, resolution_date)
    with acting_as(actor):
        advance(programme, S.ADOPTED, TRANSITIONS)
        programme.resolution_number, programme.resolution_date = resolution_number.strip(), resolution_date
        programme.save(update_fields=["status", "resolution_number", "resolution_date"])
    return warnings


@transaction.atomic
def programme_set_status(*, programme: Programme, status: str, actor) -> Programme:
    """Plain transitions with no data of their own (in force, reported)."""
    with acting_as(actor):
        advance(programme, status, TRANSITIONS)
        programme.save(update_fields=["status"])
    return programme


@transaction.atomic
def programme_amend(
    *, programme: Programme, resolution_number: str, resolution_date: date, description: str, actor
) -> ProgrammeAmendment:
    """An amendment needs the form of adoption (a resolution) and is kept as the next version."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.status not in (S.ADOPTED, S.IN_FORCE):
        raise ValidationError("Zmienić można tylko program uchwalony lub w realizacji.")
    if programme.resolution_date and resolution_date < programme.resolution_date:
        raise ValidationError({"resolution_date": "Zmiana nie może poprzedzać uchwały przyjmującej program."})
    version = programme.amendments.count() + 2  # version 1 is the adopted text
    with acting_as(actor):
        amendment = ProgrammeAmendment(
            programme=programme,
            version=version,
            resolution_number=resolution_number,
            resolution_date=resolution_date,
            description=description,
        )
        amendment.full_clean()
        amendment.save()
    return amendment


def programme_draft_text(programme: Programme) -> str:
    """The draft as consulted: chapters in the statutory order, each section's text as typed."""
    chapters = []
    for number, (title, text) in enumerate(programme.sections(), start=1):
        chapters.append(f"Rozdział {number}.\n{title}\n{text.strip() or '(treść do uzupełnienia)'}")
    return "\n\n".join(chapters)
