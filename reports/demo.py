"""Demo: the past programme year (2025) fully reported and settled, so the year-end report is complete.

For every signed 2025 agreement: tranches paid, a final report (most accepted; a few overspent a line beyond the
threshold and returned the excess, some left grant unused and returned it, a few still in review, returned for
correction or overdue), refunds, and the agreement performed when nothing is owed. The 2025 small grants awarded by
grants/demo_small_grants.py get their agreements here; then a control plan with controls, non-financial cooperation in
2025 and the stored conclusions – published.
Built in bulk; idempotent (nothing is done when the 2025 report already exists).
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone

from grants.demo_payments import demo_actor, pay_tranches
from grants.models import (
    Agreement,
    Award,
    Control,
    ControlPlan,
    GrantReport,
    GrantReportLine,
    Offer,
)
from grants.services.grant_reports import planned_results
from grants.services.settlement import agreement_settlement, refund_record, settlement_close_if_done
from programmes.models import CooperationActivity, Programme

from .computations import NUMBER, first_number
from .models import AnnualReport
from .publications import publication_publish

YEAR = 2025
# ngo.admin@portal.example.pl's organisation: its 2025 agreements are left for the visitor to report on.
DEMO_ORGANISATION_KRS = "0000271822"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

CONCLUSIONS = (
    "1. Program współpracy na rok 2025 zrealizowano zgodnie z założeniami: zdecydowana większość umów została "
    "wykonana i rozliczona, a kwoty niewykorzystane lub pobrane w nadmiernej wysokości zwrócono w terminach.\n"
    "2. Udział małych grantów (art. 19a) w całkowitej kwocie dotacji mieści się w ustawowym limicie.\n"
    "3. W kolejnym roku należy wcześniej przypominać o terminie sprawozdań końcowych i rozszerzyć szkolenia "
    "z rozliczania dotacji, bo część przesunięć między pozycjami kosztorysu przekroczyła dopuszczalny próg."
)
UNITS = "Biuro Organizacji Pozarządowych\nWydział Oświaty, Kultury i Sportu\nWydział Spraw Społecznych i Zdrowia"
NON_FINANCIAL = (
    "Urząd prowadził bazę organizacji pozarządowych w portalu, informował o konkursach i szkoleniach, udostępniał "
    "lokale na preferencyjnych warunkach i obejmował patronatem wydarzenia organizacji."
)
ACTIVITIES = [
    (date(YEAR, 1, 22), "meeting", "Spotkanie informacyjne o konkursach na 2025 r.", "authority", 46, 71),
    (date(YEAR, 3, 12), "training", "Szkolenie: sprawozdanie z realizacji zadania publicznego", "authority", 28, 39),
    (date(YEAR, 4, 8), "training", "Szkolenie: małe granty i inicjatywa lokalna", "authority", 17, 25),
    (date(YEAR, 5, 6), "premises", "Lokal przy ul. Piastowskiej 17 dla stowarzyszenia seniorów", "authority", 1, 0),
    (date(YEAR, 6, 2), "partnership", "Umowa partnerska: Dni Organizacji Pozarządowych", "joint", 12, 40),
    (date(YEAR, 9, 14), "patronage", "Patronat Prezydenta nad Biegiem Niepodległości", "ngo", 1, 420),
    (date(YEAR, 10, 20), "joint_team", "Zespół ds. programu współpracy na 2026 r.", "joint", 6, 9),
    (date(YEAR, 11, 18), "meeting", "Spotkanie konsultacyjne projektu programu na 2026 r.", "authority", 33, 48),
]


def _aware(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _achieved(target: str, factor: Decimal) -> str:
    """The target's first number scaled by ``factor``: "60 dzieci" × 1,05 → "63 dzieci"."""
    planned = first_number(target)
    if planned is None:
        return "zrealizowano"
    value = str(int((planned * factor).to_integral_value()))
    # The pattern takes the spaces that group thousands, and so the one before the unit: keep that one.
    return NUMBER.sub(lambda match: value + (" " if match.group(0)[-1].isspace() else ""), target, count=1)


def _sign_small_grant_awards(authority) -> int:
    """Agreements for the small grants awarded for 2025 by grants/demo_small_grants.py, made as seed_awards makes
    them for calls (the same helper), so that the closed year's small grants are reported and settled too."""
    from grants.demo_awards import sign_agreements

    awards = list(
        Award.objects.filter(
            status=Award.Status.GRANTED,
            call__isnull=True,
            agreement__isnull=True,
            offer__kind=Offer.Kind.SMALL_GRANT,
            offer__direct__authority=authority,
            offer__start_date__year=YEAR,
        )
        .select_related("offer__current_version", "offer__organisation")
        .order_by("decided_at", "pk")
    )
    counters: dict[int, int] = {}
    return sum(sign_agreements(authority, [award], award.decided_at, counters) for award in awards)


def _report_for(agreement: Agreement, lines, rng: random.Random, outcome: str):
    """A final report (not saved) with its lines, for the outcome: exact, unused, overspent."""
    planned = [(line.total, line.from_grant) for line in lines]
    actual = list(planned)
    if outcome == "unused" and lines:
        total, grant = planned[0]
        cut = (grant * Decimal(rng.choice(["0.05", "0.08", "0.12"]))).quantize(CENT, rounding=ROUND_DOWN)
        actual[0] = (total - cut, grant - cut)
    elif outcome == "overspent" and len(lines) >= 2:
        # line 1 takes 15% more from the grant (threshold 10%), line 2 gives the same amount back.
        (t1, g1), (t2, g2) = planned[0], planned[1]
        shift = min((g1 * Decimal("0.15")).quantize(CENT), g2)
        actual[0], actual[1] = (t1 + shift, g1 + shift), (t2 - shift, g2 - shift)
    factor = Decimal(rng.choice(["0.9", "1", "1", "1.05", "1.1"]))
    results = [{**r, "achieved": _achieved(r["target"], factor)} for r in planned_results(agreement)]
    beneficiaries = sum(int(first_number(r["achieved"]) or 0) for r in results) or rng.randint(20, 150)
    report = GrantReport(
        agreement=agreement,
        kind=GrantReport.Kind.FINAL,
        period_from=agreement.start_date,
        period_to=agreement.end_date,
        due_date=agreement.report_due,
        results_description=f"Zadanie zrealizowano; z działań skorzystało {beneficiaries} osób.",
        activities_description="Działania przeprowadzono zgodnie z harmonogramem; drobne zmiany terminów "
        "uzgodniono z urzędem.",
        results=results,
        beneficiaries=beneficiaries,
        volunteers=rng.randint(0, 12),
        own_financial=agreement.own_financial,
        personal_contribution=agreement.own_non_financial,
        recipient_payments=agreement.recipient_payments,
        eu_funds=Decimal(rng.choice([0, 0, 0, 0, 0, 0, 0, 0, 15000])),
        declarations_confirmed=True,
        submitted_at=_aware(agreement.end_date + timedelta(days=rng.randint(5, 29))),
        submitted_by_id=agreement.created_by_id,
    )
    return report, actual


@transaction.atomic
def seed_reports(authority, scale: str, site=None) -> int:
    """The 2025 year reported and settled; returns the number of final reports made."""
    programme = Programme.objects.filter(authority=authority, year_from=YEAR).first()
    if programme is None or AnnualReport.objects.filter(programme=programme).exists():
        return 0
    rng = random.Random(2025)
    _sign_small_grant_awards(authority)
    agreements = list(
        Agreement.objects.filter(authority=authority, start_date__year=YEAR, status=Agreement.Status.SIGNED)
        .exclude(grant_reports__kind=GrantReport.Kind.FINAL)
        .select_related("version", "organisation")
        .prefetch_related("cost_lines", "tranches")
        .order_by("number")
    )
    actor = demo_actor(authority)
    # The transfers go through the payment service, as the office records them (small grants signed just now too).
    pay_tranches(agreements, actor)
    staff_id = actor.pk if actor else None
    reports, report_lines, settled = [], [], []
    for index, agreement in enumerate(agreements):
        # Outcomes in a fixed pattern: most exact, some unused, some overspent, a few not yet accepted or missing.
        roll = index % 40
        if roll == 39 or agreement.organisation.krs == DEMO_ORGANISATION_KRS:
            continue  # no report: on the overdue list (and ngo.admin can try reporting in the demo)
        outcome = "unused" if roll % 7 == 3 else "overspent" if roll % 11 == 5 else "exact"
        status = GrantReport.Status.ACCEPTED
        if roll == 17:
            status = GrantReport.Status.SUBMITTED
        elif roll == 29:
            status = GrantReport.Status.RETURNED
        lines = list(agreement.cost_lines.all())
        report, actual = _report_for(agreement, lines, rng, outcome)
        report.status = status
        if status != GrantReport.Status.SUBMITTED:
            report.decided_at = report.submitted_at + timedelta(days=10)
            report.decided_by_id = staff_id
        if status == GrantReport.Status.RETURNED:
            report.return_reasons = "Proszę uzupełnić opis rezultatów o liczbę uczestników poszczególnych zajęć."
        reports.append(report)
        for line, (total, grant) in zip(lines, actual, strict=True):
            report_lines.append(
                GrantReportLine(report=report, cost_line=line, actual_total=total, actual_from_grant=grant)
            )
        if status == GrantReport.Status.ACCEPTED:
            settled.append((agreement, roll))
    GrantReport.objects.bulk_create(reports)
    GrantReportLine.objects.bulk_create(report_lines)
    # Refunds are recorded through the settlement service, which makes the agreement performed once nothing is
    # owed; one settlement (roll 25) still owes its refund.
    for agreement, roll in settled:
        settlement = agreement_settlement(Agreement.objects.get(pk=agreement.pk))  # tranches paid above
        if roll == 25 or not settlement.dues:
            settlement_close_if_done(agreement, actor)
            continue
        for due in settlement.dues:
            refund_record(
                agreement=agreement,
                actor=actor,
                kind=due.kind,
                amount=due.amount,
                paid_on=min(due.deadline, timezone.localdate()) - timedelta(days=rng.randint(0, 5)),
                note="przelew na rachunek urzędu",
            )

    plan, _ = ControlPlan.objects.get_or_create(
        authority=authority, year=YEAR, defaults={"adopted_on": date(YEAR, 1, 31), "notes": "Kontrole wybrane losowo."}
    )
    controlled = agreements[:: max(1, len(agreements) // (4 if scale == "small" else 30))]
    controls = []
    for n, agreement in enumerate(controlled):
        done = n % 5 != 4
        controls.append(
            Control(
                plan=plan,
                authority=authority,
                agreement=agreement,
                type=[Control.Type.DOCUMENTS, Control.Type.ON_SITE, Control.Type.PREMISES][n % 3],
                status=Control.Status.DONE if done else Control.Status.PLANNED,
                planned_for=date(YEAR, 9, 1) + timedelta(days=3 * n),
                started_on=date(YEAR, 9, 1) + timedelta(days=3 * n) if done else None,
                ended_on=date(YEAR, 9, 2) + timedelta(days=3 * n) if done else None,
                controller="Biuro Organizacji Pozarządowych",
                scope="Stopień realizacji zadania, prawidłowość wykorzystania dotacji i prowadzenia dokumentacji.",
                findings="Zadanie realizowane zgodnie z umową." if n % 3 else "Braki w opisie faktur.",
                recommendations="" if n % 3 else "Uzupełnić opisy faktur o numer umowy.",
                recommendations_deadline=None if n % 3 else date(YEAR, 10, 15),
                follow_up="" if n % 3 else "Opisy uzupełniono.",
                follow_up_done_on=None if n % 3 else date(YEAR, 10, 10),
            )
        )
    Control.objects.bulk_create(controls)

    if not CooperationActivity.objects.filter(authority=authority, date__year=YEAR).exists():
        CooperationActivity.objects.bulk_create(
            CooperationActivity(
                authority=authority,
                date=day,
                kind=kind,
                title=title,
                initiator=initiator,
                organisation_count=orgs,
                participant_count=people,
            )
            for day, kind, title, initiator, orgs, people in ACTIVITIES
        )
    # Written by the clerk, published (frozen, as a user would on the report's page) by the director.
    writer, publisher = _demo_staff(site)
    report = AnnualReport.objects.create(
        programme=programme,
        implementing_units=UNITS,
        non_financial_summary=NON_FINANCIAL,
        conclusions=CONCLUSIONS,
        updated_by=writer,
    )
    publication_publish(actor=publisher, document=report)
    earlier = Programme.objects.filter(authority=authority, year_from=YEAR - 1).first()
    if earlier and not AnnualReport.objects.filter(programme=earlier).exists():
        earlier_report = AnnualReport.objects.create(
            programme=earlier,
            implementing_units=UNITS,
            conclusions="Program na rok 2024 zrealizowano w zakresie planowanych środków.",
            updated_by=writer,
        )
        publication_publish(actor=publisher, document=earlier_report)
    return len(reports)


def _demo_staff(site=None):
    from accounts.demo import demo_email
    from accounts.models import User

    clerk, director = demo_email(CLERK, site), demo_email(DIRECTOR, site)
    users = {u.email: u for u in User.objects.filter(email__in=[clerk, director])}
    return users.get(clerk), users.get(director) or users.get(clerk)


CLERK, DIRECTOR = "urzednik@portal.example.pl", "dyrektor@portal.example.pl"
