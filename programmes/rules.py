"""What must hold before a council's resolution adopting a programme is recorded (art. 5a ust. 1 of the act).

``adoption_problems`` are refusals: a rule of the act or of the programme itself is broken and nothing may be
recorded until it is put right. ``adoption_warnings`` are what the law leaves to the council (a resolution after
30 November is late but valid): shown once on the confirmation page, and recorded with who confirmed them.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from config.polish import format_money, format_percent

from .models import Programme

HUNDRED = Decimal("100")


def programme_total(programme: Programme) -> Decimal:
    return programme.budget_lines.aggregate(total=Sum("planned_amount", default=Decimal("0")))["total"]


def small_grants_share(programme: Programme, total: Decimal | None = None) -> Decimal | None:
    """The small-grant reserve as a share of the programme's planned funds (an indicator; 0.14 is 14%)."""
    total = programme_total(programme) if total is None else total
    return (programme.small_grants_reserve / total) if total else None


@dataclass(frozen=True)
class ShareCap:
    pct: Decimal
    source: str  # where the cap comes from, as the user reads it


def share_caps(programme: Programme, statutory=None) -> list[ShareCap]:
    """The caps on the share of small grants that bind this programme: its own rule (where it sets one) and the
    statutory one (``statutory``: the dated art. 19a limits; by default those in force when its budget year starts),
    where the dated limits carry one."""
    from grants.models import SmallGrantLimits

    caps = []
    if programme.small_grants_cap_pct is not None:
        caps.append(ShareCap(programme.small_grants_cap_pct, "limit ustalony w programie"))
    statutory = statutory or SmallGrantLimits.objects.on(date(programme.year_from, 1, 1))
    if statutory.max_share_pct is not None:
        caps.append(ShareCap(statutory.max_share_pct, f"limit ustawowy – {statutory.legal_basis}"))
    return caps


def binding_share_cap(programme: Programme, statutory=None) -> ShareCap | None:
    """The strictest of the caps that apply, or ``None`` when neither the act nor the programme sets one."""
    caps = share_caps(programme, statutory)
    return min(caps, key=lambda cap: cap.pct) if caps else None


def _consultation_state(programme: Programme) -> tuple[bool, int]:
    """Whether a consultation report was published, and how many submitted comments still lack a position."""
    from consultations.models import Consultation, ConsultationComment

    reported = programme.consultations.filter(status=Consultation.Status.REPORTED).exists()
    unanswered = ConsultationComment.objects.submitted().filter(consultation__programme=programme, decision="").count()
    return reported, unanswered


def adoption_problems(programme: Programme, resolution_date: date | None, today: date | None = None) -> dict:
    """Why the adoption cannot be recorded, per form field ("__all__" for the programme itself)."""
    today = today or timezone.localdate()
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if programme.status not in (Programme.Status.CONSULTED, Programme.Status.DRAFT, Programme.Status.IN_CONSULTATION):
        add("__all__", "Program jest już uchwalony. Zmiana treści wymaga uchwały zmieniającej.")
        return problems
    reported, unanswered = _consultation_state(programme)
    if unanswered:
        add(
            "__all__",
            f"Uwagi z konsultacji bez stanowiska: {unanswered}. Odpowiedz na każdą uwagę i opublikuj sprawozdanie "
            "z konsultacji.",
        )
    elif not reported:
        add(
            "__all__",
            "Brak opublikowanego sprawozdania z konsultacji projektu. Program uchwala się po konsultacjach "
            "z organizacjami (art. 5a ust. 1 w związku z art. 5 ust. 5 ustawy).",
        )
    if resolution_date and resolution_date > today:
        add(
            "resolution_date",
            f"Data uchwały ({resolution_date:%d.%m.%Y}) jest w przyszłości. Uchwalenie zapisuje się po podjęciu "
            "uchwały przez radę.",
        )
    share = small_grants_share(programme)
    cap = binding_share_cap(programme)
    if share is not None and cap is not None and share * HUNDRED > cap.pct:
        add(
            "__all__",
            f"Środki na małe granty ({format_money(programme.small_grants_reserve)}) stanowią "
            f"{format_percent((share * HUNDRED).quantize(Decimal('0.1')))} planowanych środków programu – więcej "
            f"niż {format_percent(cap.pct)} ({cap.source}). Zmniejsz rezerwę albo popraw budżet programu.",
        )
    return problems


def adoption_warnings(programme: Programme, resolution_date: date | None) -> list[str]:
    """What the law leaves to the council but the office must see and confirm before recording the adoption."""
    warnings = []
    if resolution_date and resolution_date > programme.adoption_deadline:
        warnings.append(
            f"Uchwała z dnia {resolution_date:%d.%m.%Y} zapada po terminie z art. 5a ust. 1 ustawy "
            f"({programme.adoption_deadline:%d.%m.%Y}): roczny program uchwala się do 30 listopada roku "
            "poprzedniego. Uchwała podjęta później jest ważna; portal zapisze, kto potwierdził uchwalenie po terminie."
        )
    return warnings


def overlapping_programmes(programme: Programme):
    """Other programmes of the same authority whose period overlaps this one's (one programme per period)."""
    return Programme.objects.filter(
        authority_id=programme.authority_id, year_from__lte=programme.year_to, year_to__gte=programme.year_from
    ).exclude(pk=programme.pk)
