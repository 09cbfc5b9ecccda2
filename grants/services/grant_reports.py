"""Sprawozdania z wykonania zadania (art. 18): drafts, submission, acceptance or return, partial-report requests.

A report belongs to one agreement; its lines are the agreement's cost lines (II.1) and its results the results
the offer planned (III.6 of the agreement's offer version). Only members of the agreement's organisation write it;
only office staff assess it.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import acting_as
from config.workflow import advance
from grants.signatures.models import IssuedDocument
from grants.signatures.tasks import issue_enqueue

from ..limits import REPORT_DAYS
from ..models import Agreement, GrantReport, GrantReportLine
from . import notices
from .settlement import settlement_close_if_done

R = GrantReport.Status
TRANSITIONS = {
    R.DRAFT: {R.SUBMITTED},
    R.SUBMITTED: {R.ACCEPTED, R.RETURNED},
    R.RETURNED: {R.SUBMITTED},
}
REPORTABLE = {Agreement.Status.SIGNED, Agreement.Status.PERFORMED}

FIELDS = [
    "results_description",
    "activities_description",
    "beneficiaries",
    "volunteers",
    "own_financial",
    "personal_contribution",
    "in_kind_contribution",
    "recipient_payments",
    "other_revenue",
    "eu_funds",
    "additional_info",
    "declarations_confirmed",
]


def _member(agreement: Agreement, actor) -> bool:
    return agreement.organisation.memberships.filter(user=actor).exists()


def planned_results(agreement: Agreement) -> list[dict]:
    """III.6 of the offer version the agreement was made from: the results the organisation promised."""
    rows = ((agreement.version.data if agreement.version_id else None) or {}).get("III", {}).get("results", [])
    return [
        {"number": r.get("number"), "name": r.get("name", ""), "target": r.get("target", ""), "achieved": ""}
        for r in rows
    ]


def _new_report(agreement: Agreement, *, kind: str, period_from: date, period_to: date, due: date) -> GrantReport:
    report = GrantReport.objects.create(
        agreement=agreement,
        kind=kind,
        period_from=period_from,
        period_to=period_to,
        due_date=due,
        results=planned_results(agreement),
    )
    GrantReportLine.objects.bulk_create(
        GrantReportLine(report=report, cost_line=line) for line in agreement.cost_lines.all()
    )
    return report


@transaction.atomic
def report_start(*, agreement: Agreement, actor) -> GrantReport:
    """Open (or return) the final report's working copy; due 30 days after the task ends (art. 18 ust. 1)."""
    agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    if not _member(agreement, actor):
        raise ValidationError("Sprawozdanie składa organizacja, która zawarła umowę.")
    existing = agreement.grant_reports.filter(kind=GrantReport.Kind.FINAL).first()
    if existing:
        return existing
    if agreement.status not in REPORTABLE:
        raise ValidationError("Sprawozdanie składa się z umowy zawartej.")
    # A multi-year agreement reports each earlier year in a partial report: the final one covers the last year.
    last_year_start = max(agreement.start_date, date(agreement.end_date.year, 1, 1))
    with acting_as(actor):
        return _new_report(
            agreement,
            kind=GrantReport.Kind.FINAL,
            period_from=last_year_start,
            period_to=agreement.end_date,
            due=agreement.report_due,
        )


@transaction.atomic
def report_request_partial(*, agreement: Agreement, actor, period_to: date, days: int = REPORT_DAYS, site: str = ""):
    """Art. 18 ust. 2: a partial report on demand, due no sooner than 30 days after the request is delivered."""
    if days < REPORT_DAYS:
        raise ValidationError({"days": f"Termin nie może być krótszy niż {REPORT_DAYS} dni od doręczenia wezwania."})
    if agreement.status != Agreement.Status.SIGNED:
        raise ValidationError("Sprawozdania częściowego można żądać tylko w trakcie realizacji umowy.")
    if not (agreement.start_date <= period_to <= agreement.end_date):
        raise ValidationError({"period_to": "Okres sprawozdawczy musi mieścić się w okresie realizacji zadania."})
    now = timezone.now()
    with acting_as(actor):
        report = _new_report(
            agreement,
            kind=GrantReport.Kind.PARTIAL,
            period_from=agreement.start_date,
            period_to=period_to,
            due=timezone.localdate(now) + timedelta(days=days),
        )
        report.requested_at = now
        report.save(update_fields=["requested_at"])
    notices.tell_organisation(
        organisation=agreement.organisation,
        kind=notices.K.REPORT,
        template="grants/grant_reports/email/request",
        context={"report": report, "agreement": agreement, "site": site},
        url=reverse("grants:grant-report-edit", args=[report.pk]),
        emails=[agreement.organisation.email],
    )
    return report


def _check_lines(lines: dict[int, tuple[Decimal, Decimal]]) -> dict:
    errors = {}
    for total, from_grant in lines.values():
        if total is None or from_grant is None or total < 0 or from_grant < 0:
            errors["lines"] = "Kwoty wydatków nie mogą być ujemne."
        elif from_grant > total:
            errors["lines"] = "Wydatki z dotacji nie mogą przekraczać wydatków ogółem w danej pozycji."
    return errors


@transaction.atomic
def report_save(
    *,
    report: GrantReport,
    actor,
    data: dict,
    lines: dict[int, tuple[Decimal, Decimal]],
    achieved: dict[int, str],
    typed_input: dict | None = None,
) -> GrantReport:
    """Save the working copy: the values that validated in their places, the whole form as typed beside them.

    ``data``, ``lines`` and ``achieved`` hold what validated; ``typed_input`` keeps everything typed while some
    field still needs correcting (``config/drafts.py``); submission refuses until a clean save clears it.
    """
    report = GrantReport.objects.select_for_update(of=("self",)).select_related("agreement").get(pk=report.pk)
    if not _member(report.agreement, actor):
        raise ValidationError("Sprawozdanie składa organizacja, która zawarła umowę.")
    if not report.is_editable:
        raise ValidationError(f"Sprawozdania o statusie „{report.get_status_display()}” nie można zmieniać.")
    errors = _check_lines(lines)
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        for name in FIELDS:
            if name in data:
                setattr(report, name, data[name])
        report.results = [
            {**row, "achieved": achieved.get(index, row.get("achieved", ""))}
            for index, row in enumerate(report.results)
        ]
        report.updated_at = timezone.now()
        report.typed_input = typed_input or None
        report.save()
        for line in report.lines.all():
            if line.cost_line_id in lines:
                line.actual_total, line.actual_from_grant = lines[line.cost_line_id]
                line.save(update_fields=["actual_total", "actual_from_grant"])
    return report


def report_problems(report: GrantReport) -> list[str]:
    """What stops submission: the template's required parts."""
    problems = []
    if report.typed_input:
        problems.append("W wersji roboczej są pola do poprawy (zaznaczone w formularzu): popraw je i zapisz.")
    if not report.results_description.strip():
        problems.append("Opisz osiągnięte rezultaty (część I pkt 1).")
    if not report.activities_description.strip():
        problems.append("Opisz wykonanie poszczególnych działań (część I pkt 2).")
    if any(not str(row.get("achieved", "")).strip() for row in report.results):
        problems.append("Podaj osiągnięty poziom każdego rezultatu.")
    if not report.declarations_confirmed:
        problems.append("Potwierdź oświadczenia.")
    return problems


@transaction.atomic
def report_submit(*, report: GrantReport, actor) -> GrantReport:
    report = GrantReport.objects.select_for_update(of=("self",)).select_related("agreement").get(pk=report.pk)
    if not _member(report.agreement, actor):
        raise ValidationError("Sprawozdanie składa organizacja, która zawarła umowę.")
    problems = report_problems(report)
    if problems:
        raise ValidationError(problems)
    with acting_as(actor):
        advance(report, R.SUBMITTED, TRANSITIONS)
        report.submitted_at, report.submitted_by = timezone.now(), actor
        report.save(update_fields=["status", "submitted_at", "submitted_by"])
    agreement = report.agreement
    notices.tell_office(
        authority_id=agreement.authority_id,
        kind=notices.K.REPORT,
        subject=f"Sprawozdanie do oceny: umowa {agreement.number}",
        body=f"Organizacja {agreement.organisation.name} złożyła {report.get_kind_display()} z realizacji umowy "
        f"{agreement.number}. Sprawozdanie czeka na przyjęcie albo zwrot do poprawy.",
        url=reverse("grants:settlement", args=[agreement.pk]),
    )
    issue_enqueue(
        kind=IssuedDocument.Kind.GRANT_REPORT,
        object_id=report.pk,
        title=f"Sprawozdanie ({report.get_kind_display()}) z umowy nr {agreement.number}",
    )
    return report


@transaction.atomic
def report_decide(*, report: GrantReport, actor, accept: bool, reasons: str = "", site: str = "") -> GrantReport:
    """Staff accept the report, or return it for correction with reasons; the organisation is told by e-mail."""
    report = GrantReport.objects.select_for_update(of=("self",)).select_related("agreement").get(pk=report.pk)
    if not accept and not reasons.strip():
        raise ValidationError({"reasons": "Podaj, co należy poprawić w sprawozdaniu."})
    with acting_as(actor):
        advance(report, R.ACCEPTED if accept else R.RETURNED, TRANSITIONS)
        report.decided_at, report.decided_by = timezone.now(), actor
        report.return_reasons = "" if accept else reasons.strip()
        report.save(update_fields=["status", "decided_at", "decided_by", "return_reasons"])
    multi_year = report.agreement.end_date.year > report.agreement.start_date.year
    if accept and (report.kind == GrantReport.Kind.FINAL or multi_year):
        settlement_close_if_done(report.agreement, actor)
    notices.tell_organisation(
        organisation=report.agreement.organisation,
        kind=notices.K.REPORT,
        template="grants/grant_reports/email/decision",
        context={"report": report, "agreement": report.agreement, "accepted": accept, "site": site},
        url=reverse("grants:grant-report-edit", args=[report.pk]),
        emails=[report.agreement.organisation.email],
    )
    return report


REPORTED = [R.SUBMITTED, R.ACCEPTED]


def _final_report_missing(agreements):
    """Signed agreements with no final report submitted (or accepted) yet."""
    return agreements.filter(status=Agreement.Status.SIGNED).exclude(
        grant_reports__kind=GrantReport.Kind.FINAL, grant_reports__status__in=REPORTED
    )


def final_report_late(agreement: Agreement, today: date) -> bool:
    """``reports_overdue`` for one agreement, read from its prefetched ``grant_reports`` (no query per row)."""
    return (
        agreement.status == Agreement.Status.SIGNED
        and agreement.report_due < today
        and not any(r.kind == GrantReport.Kind.FINAL and r.status in REPORTED for r in agreement.grant_reports.all())
    )


def reports_overdue(agreements, today: date | None = None):
    """Agreements whose final report is late: the task ended over 30 days ago and no report was submitted."""
    today = today or timezone.localdate()
    return (
        _final_report_missing(agreements)
        .filter(end_date__lt=today - timedelta(days=REPORT_DAYS))
        .select_related("organisation")
        .order_by("end_date", "number")
    )


def send_reminders(*, today: date | None = None, days_before: int = 7, site: str = "") -> int:
    """Remind the organisation's members of a final report due within ``days_before`` days, and once more when it
    is overdue. Each reminder goes to each person once (``notify``'s key), however often this runs."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=days_before) - timedelta(days=REPORT_DAYS)
    agreements = _final_report_missing(Agreement.objects.filter(end_date__lte=horizon)).select_related("organisation")
    sent = 0
    for agreement in agreements:
        overdue = agreement.report_due < today
        created = notices.tell_organisation_once(
            organisation=agreement.organisation,
            kind=notices.K.REMINDER,
            template="grants/grant_reports/email/reminder",
            context={"agreement": agreement, "due": agreement.report_due, "overdue": overdue, "site": site},
            url=reverse("grants:my-grant-reports"),
            key=f"report-{'overdue' if overdue else 'due'}:{agreement.pk}:{agreement.report_due:%Y-%m-%d}",
        )
        if created:
            GrantReport.objects.filter(agreement=agreement, kind=GrantReport.Kind.FINAL).update(
                reminded_at=timezone.now()
            )
            sent += 1
    return sent
