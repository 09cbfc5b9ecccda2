"""State changes of cooperation programmes. Each is atomic and audited; status moves only through ``advance``."""

import re
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


@transaction.atomic
def programme_copy(*, source: Programme, year_from: int, actor) -> Programme:
    """A new draft programme from an earlier one: its texts, forms of cooperation, small-grant rules, priority areas
    (with their art. 4 areas), budget lines and indicators, for the period starting in ``year_from`` (as long as
    the source's). The copy is a draft: not adopted, never consulted, no resolution – it goes through consultation
    and adoption (``rules``) like any programme. Years in the title move with the period ("2026" → "2027").
    """
    from .models import BudgetLine, Indicator, PriorityArea

    span = source.year_to - source.year_from
    copy = Programme(
        authority=source.authority,
        title=_shift_years(source.title, year_from - source.year_from),
        year_from=year_from,
        year_to=year_from + span,
        cooperation_forms=list(source.cooperation_forms),
        small_grants_reserve=source.small_grants_reserve,
        small_grants_cap_pct=source.small_grants_cap_pct,
        appeal_days=source.appeal_days,
        appeal_decision_days=source.appeal_decision_days,
        **{field: getattr(source, field) for field, _title in Programme.SECTIONS},
    )
    if other := rules.overlapping_programmes(copy).first():
        raise ValidationError({"year_from": _overlap(other)})
    with acting_as(actor):
        copy.full_clean()
        copy.save()
        areas = {}
        for area in source.priority_areas.prefetch_related("task_areas"):
            new = PriorityArea.objects.create(programme=copy, number=area.number, name=area.name, tasks=area.tasks)
            new.task_areas.set(area.task_areas.all())
            areas[area.pk] = new
        for line in source.budget_lines.all():
            BudgetLine.objects.create(
                programme=copy,
                priority_area=areas[line.priority_area_id],
                number=line.number,
                name=line.name,
                planned_amount=line.planned_amount,
            )
        for indicator in source.indicators.all():
            Indicator.objects.create(
                programme=copy, code=indicator.code, order=indicator.order, target=indicator.target
            )
    return copy


def _shift_years(text: str, by: int) -> str:
    return re.sub(r"\b(19|20)(\d\d)\b", lambda m: str(int(m.group(0)) + by), text) if by else text


def _overlap(other: Programme) -> str:
    return (
        f"Jednostka ma już program na ten okres: „{other.title}” ({other.period_label}, "
        f"{other.get_status_display()}). Wybierz inny rok albo zmień istniejący program."
    )
