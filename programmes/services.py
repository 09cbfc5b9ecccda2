"""State changes of cooperation programmes. Each is atomic and audited; status moves only through ``advance``."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import acting_as
from config.workflow import advance

from . import rules
from .models import Programme, ProgrammeAmendment

S = Programme.Status
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.IN_CONSULTATION},  # adoption needs a consultation report (art. 5a ust. 1)
    S.IN_CONSULTATION: {S.CONSULTED},
    S.CONSULTED: {S.ADOPTED, S.IN_CONSULTATION},
    S.ADOPTED: {S.IN_FORCE},
    S.IN_FORCE: {S.REPORTED},
    S.REPORTED: set(),
}


@transaction.atomic
def programme_adopt(
    *, programme: Programme, resolution_number: str, resolution_date: date, actor, confirm_warnings: bool = False
) -> Programme:
    """Record the council's resolution and freeze the adopted programme (its public page and PDF).

    Refused, with the reasons, while a rule is broken (``rules.adoption_problems``). What the law leaves to the
    council (``rules.adoption_warnings``: a late resolution) needs ``confirm_warnings``: the confirmation page
    shows each warning once, and the programme records what was confirmed and by whom.
    """
    from reports.publications import publication_publish

    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    problems = rules.adoption_problems(programme, resolution_date)
    if not resolution_number.strip():
        problems.setdefault("resolution_number", []).append("Podaj numer uchwały.")
    if problems:
        raise ValidationError(problems)
    warnings = rules.adoption_warnings(programme, resolution_date)
    if warnings and not confirm_warnings:
        raise ValidationError("Potwierdź uchwalenie mimo ostrzeżeń: " + " ".join(warnings), code="unconfirmed")
    with acting_as(actor):
        advance(programme, S.ADOPTED, TRANSITIONS)
        programme.resolution_number, programme.resolution_date = resolution_number.strip(), resolution_date
        programme.adopted_by, programme.adopted_recorded_at = actor, timezone.now()
        programme.adoption_confirmed_warnings = warnings
        programme.save(
            update_fields=[
                "status",
                "resolution_number",
                "resolution_date",
                "adopted_by",
                "adopted_recorded_at",
                "adoption_confirmed_warnings",
            ]
        )
    publication_publish(actor=actor, document=programme)
    return programme


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
    _publish_amended(programme, amendment, actor)
    return amendment


def _publish_amended(programme: Programme, amendment: ProgrammeAmendment, actor) -> None:
    """The programme as amended becomes the next version of its frozen publication (if it was frozen)."""
    from reports.publications import publication_correct_if_published

    publication_correct_if_published(
        actor=actor,
        document=programme,
        reason=f"Zmiana programu uchwałą nr {amendment.resolution_number} z dnia "
        f"{amendment.resolution_date:%d.%m.%Y}: {amendment.description}",
    )


def programme_draft_text(programme: Programme) -> str:
    """The draft as consulted: chapters in the statutory order, each section's text as typed."""
    chapters = []
    for number, (title, text) in enumerate(programme.sections(), start=1):
        chapters.append(f"Rozdział {number}.\n{title}\n{text.strip() or '(treść do uzupełnienia)'}")
    return "\n\n".join(chapters)
