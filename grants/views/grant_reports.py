"""Grant reports (NGO and office), settlement with refunds, and controls (art. 17–18; UFP art. 251–252)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import acting_as
from accounts.mail import site_url
from accounts.permissions import staff_required
from accounts.roles import roles_of
from config.drafts import typed_data, typed_input, valid_part
from config.forms import apply_validation_error, filtered, list_query
from programmes.permissions import managed_authorities, restrict_to_managed
from reports.pdf import pdf_response

from ..exports import reports_response
from ..filters import GrantReportFilter
from ..forms.grant_reports import (
    ControlForm,
    ControlPlanForm,
    GrantReportForm,
    PartialRequestForm,
    RefundForm,
    ReportDecisionForm,
    ReportLinesForm,
)
from ..models import Agreement, Control, ControlPlan, GrantReport
from ..permissions import managed_agreements
from ..services import grant_reports as services
from ..services import multi_year
from ..services import settlement as settlement_services
from ..states import report_state

REPORTED = [Agreement.Status.SIGNED, Agreement.Status.PERFORMED]


def _my_agreements(request):
    """Agreements of the person's organisations: an id in a URL reaches nothing else (404)."""
    return Agreement.objects.filter(organisation_id__in=roles_of(request).organisation_ids, status__in=REPORTED)


def _managed_agreements(request):
    return managed_agreements(request).exclude(status=Agreement.Status.DRAFT)


def _with_reports(queryset):
    return queryset.select_related("organisation").prefetch_related(
        Prefetch("grant_reports", queryset=GrantReport.objects.order_by("period_to", "pk"))
    )


# --- NGO ------------------------------------------------------------------------------------------------------


@login_required
def my_grant_reports(request):
    agreements = list(_with_reports(_my_agreements(request)).order_by("end_date", "number"))
    today = timezone.localdate()
    for agreement in agreements:
        agreement.report_state = report_state(agreement, today)
    return render(request, "grants/grant_reports/my_reports.html", {"agreements": agreements, "today": today})


@login_required
@require_POST
def grant_report_start(request, agreement_pk: int):
    agreement = get_object_or_404(_my_agreements(request), pk=agreement_pk)
    year = request.POST.get("rok", "")
    try:
        if year.isdigit():  # a multi-year agreement's report for one budget year
            report = multi_year.report_start_year(agreement=agreement, actor=request.user, year=int(year))
        else:
            report = services.report_start(agreement=agreement, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("grants:my-grant-reports")
    return redirect("grants:grant-report-edit", pk=report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def grant_report_edit(request, pk: int):
    report = get_object_or_404(
        GrantReport.objects.filter(agreement__in=_my_agreements(request)).select_related(
            "agreement", "agreement__organisation"
        ),
        pk=pk,
    )
    lines = _lines(report)
    posted = request.method == "POST" and report.is_editable
    data = request.POST if posted else None
    if data is None and report.typed_input and report.is_editable:
        data = typed_data(report.typed_input)  # what was typed, shown again with its errors
    form = GrantReportForm(data, instance=report)
    lines_form = ReportLinesForm(data, report=report, lines=lines)
    valid = data is not None and all([form.is_valid(), lines_form.is_valid()])
    if posted and not valid:
        # A draft saves everything typed, valid or not (config/drafts.py); submission waits for a valid report.
        try:
            services.report_save(
                report=report,
                actor=request.user,
                data={name: value for name, value in valid_part(form).items() if name in services.FIELDS},
                lines=lines_form.valid_lines(),
                achieved=lines_form.valid_achieved(),
                typed_input=typed_input(request.POST),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.warning(request, "Zapisano wersję roboczą ze wszystkim, co wpisano. Popraw zaznaczone pola.")
            return redirect("grants:grant-report-edit", pk=report.pk)
    elif data is not None and not valid:
        form.add_error(None, "Zapisaliśmy wszystko, co wpisano, ale zaznaczone pola wymagają poprawy.")
    if posted and valid:
        try:
            services.report_save(
                report=report,
                actor=request.user,
                data={name: form.cleaned_data[name] for name in services.FIELDS},
                lines=lines_form.lines(),
                achieved=lines_form.achieved(),
            )
            if "submit" in request.POST:
                services.report_submit(report=report, actor=request.user)
                messages.success(request, "Sprawozdanie zostało złożone. Urząd oceni je i poinformuje o wyniku.")
                return redirect("grants:my-grant-reports")
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Zapisano wersję roboczą sprawozdania.")
            return redirect("grants:grant-report-edit", pk=report.pk)
    elif request.method == "POST" and not report.is_editable:
        messages.error(request, f"Sprawozdania o statusie „{report.get_status_display()}” nie można zmieniać.")
    return render(
        request,
        "grants/grant_reports/report_form.html",
        {
            "report": report,
            "agreement": report.agreement,
            "form": form,
            "lines_form": lines_form,
            "problems": services.report_problems(report) if report.is_editable else [],
            "totals": _line_totals(lines),
        },
    )


def _lines(report: GrantReport) -> list:
    """Part II.1 in the agreement's cost-estimate order."""
    return list(report.lines.select_related("cost_line").order_by("cost_line__order"))


def _line_totals(lines) -> dict:
    zero = Decimal("0.00")
    return {
        "planned_total": sum((line.cost_line.total for line in lines), zero),
        "planned_grant": sum((line.cost_line.from_grant for line in lines), zero),
        "actual_total": sum((line.actual_total for line in lines), zero),
        "actual_grant": sum((line.actual_from_grant for line in lines), zero),
    }


@login_required
def grant_report_pdf(request, pk: int):
    """The report on the 2018 template (zał. 5), for the organisation and the office that settles it."""
    visible = _my_agreements(request) | _managed_agreements(request)
    report = get_object_or_404(
        GrantReport.objects.filter(agreement__in=visible).select_related(
            "agreement__organisation", "agreement__authority"
        ),
        pk=pk,
    )
    name = f"sprawozdanie-{report.agreement.number.replace('/', '-')}.pdf"
    return pdf_response("grants/grant_reports/report_pdf.html", report_pdf_context(report), name)


def report_pdf_context(report: GrantReport) -> dict:
    """What the report's PDF is laid out from (the page and the issued, sealed copy alike)."""
    lines = _lines(report)
    return {
        "report": report,
        "agreement": report.agreement,
        "lines": lines,
        "totals": _line_totals(lines),
        "non_financial": report.personal_contribution + report.in_kind_contribution,
    }


# --- office ---------------------------------------------------------------------------------------------------


@staff_required
def staff_grant_reports(request):
    today = timezone.localdate()
    show = request.GET.get("pokaz", "")
    filterset = _report_filter(request, today)
    page = Paginator(filtered(filterset), 50).get_page(request.GET.get("strona"))
    for agreement in page:
        agreement.report_late = services.final_report_late(agreement, today)
    return render(
        request,
        "grants/grant_reports/staff_list.html",
        {
            "page": page,
            "show": show,
            "keep": [("pokaz", show)] if show else [],
            "filter": filterset,
            "query": list_query(request),
            "today": today,
            "overdue_count": services.reports_overdue(_managed_agreements(request), today=today).count(),
        },
    )


def _report_filter(request, today) -> GrantReportFilter:
    """The agreements of the reports list: a tab (``pokaz``: overdue, to review) and the filters."""
    show = request.GET.get("pokaz", "")
    agreements = _managed_agreements(request)
    if show == "zalegle":
        agreements = services.reports_overdue(agreements, today=today)
    elif show == "do-oceny":
        agreements = agreements.filter(grant_reports__status=GrantReport.Status.SUBMITTED).distinct()
    agreements = _with_reports(agreements).order_by("end_date", "number")
    return GrantReportFilter(request.GET or None, queryset=agreements)


@staff_required
def reports_export(request, fmt: str):
    return reports_response(filtered(_report_filter(request, timezone.localdate())), fmt)


@staff_required
@require_http_methods(["GET", "POST"])
def settlement(request, pk: int):
    agreement = get_object_or_404(
        _managed_agreements(request).select_related("organisation", "authority", "award__offer"), pk=pk
    )
    report = settlement_services.final_report(agreement)
    action = request.POST.get("action") if request.method == "POST" else None
    decision_form = ReportDecisionForm(request.POST if action == "decide" else None, prefix="decision")
    refund_form = RefundForm(request.POST if action == "refund" else None, prefix="refund")
    partial_form = PartialRequestForm(request.POST if action == "partial" else None, prefix="partial")
    try:
        chosen = request.POST.get("report", "")
        target = (agreement.grant_reports.filter(pk=chosen).first() if chosen.isdigit() else None) or report
        if action == "decide" and target and decision_form.is_valid():
            accept = decision_form.cleaned_data["decision"] == "accept"
            services.report_decide(
                report=target,
                actor=request.user,
                accept=accept,
                reasons=decision_form.cleaned_data["reasons"],
                site=site_url(request),
            )
            messages.success(request, "Sprawozdanie przyjęte." if accept else "Sprawozdanie zwrócono do poprawy.")
            return redirect("grants:settlement", pk=agreement.pk)
        if action == "refund" and refund_form.is_valid():
            settlement_services.refund_record(
                agreement=agreement,
                actor=request.user,
                kind=refund_form.cleaned_data["kind"],
                amount=refund_form.cleaned_data["amount"],
                paid_on=refund_form.cleaned_data["paid_on"],
                note=refund_form.cleaned_data["note"],
            )
            messages.success(request, "Zaksięgowano zwrot dotacji.")
            return redirect("grants:settlement", pk=agreement.pk)
        if action == "partial" and partial_form.is_valid():
            services.report_request_partial(
                agreement=agreement,
                actor=request.user,
                period_to=partial_form.cleaned_data["period_to"],
                days=partial_form.cleaned_data["days"],
                site=site_url(request),
            )
            messages.success(request, "Wysłano wezwanie do złożenia sprawozdania częściowego.")
            return redirect("grants:settlement", pk=agreement.pk)
    except ValidationError as error:
        form = {"decide": decision_form, "refund": refund_form, "partial": partial_form}[action]
        apply_validation_error(form, error)
    agreement.refresh_from_db(fields=["status"])
    result = settlement_services.agreement_settlement(agreement)
    lines = _lines(report) if report else []
    excess = {d.cost_line_id: d for d in result.lines} if result else {}
    return render(
        request,
        "grants/grant_reports/settlement.html",
        {
            "agreement": agreement,
            "report": report,
            "partial_reports": agreement.grant_reports.filter(kind=GrantReport.Kind.PARTIAL),
            "rows": [(line, excess.get(line.cost_line_id)) for line in lines],
            "totals": _line_totals(lines),
            "settlement": result,
            "years": multi_year.year_rows(agreement),
            "refunds": agreement.refunds.select_related("recorded_by"),
            "unpaid_tranches": list(agreement.tranches.unpaid()) if agreement.status == Agreement.Status.SIGNED else [],
            "controls": agreement.controls.all(),
            "decision_form": decision_form,
            "refund_form": refund_form,
            "partial_form": partial_form,
        },
    )


# --- controls -------------------------------------------------------------------------------------------------


def _plans(request):
    return restrict_to_managed(request, ControlPlan.objects.all())


def _own_authority(request):
    """The one authority a new plan or control belongs to; ``None`` for someone who works for several (or none)."""
    authorities = list(managed_authorities(request)[:2])
    return authorities[0] if len(authorities) == 1 else None


@staff_required
@require_http_methods(["GET", "POST"])
def controls(request):
    plan_form = ControlPlanForm(request.POST or None)
    if request.method == "POST" and plan_form.is_valid():
        authority = _own_authority(request)
        if authority is None:
            plan_form.add_error(None, "Plan kontroli zakłada pracownik jednej jednostki.")
        elif _plans(request).filter(year=plan_form.cleaned_data["year"]).exists():
            plan_form.add_error("year", "Plan kontroli na ten rok już istnieje.")
        else:
            with acting_as(request.user):
                plan = plan_form.save(commit=False)
                plan.authority = authority
                plan.save()
            messages.success(request, f"Utworzono plan kontroli na rok {plan.year}.")
            return redirect("grants:controls")
    plans = _plans(request).prefetch_related(
        Prefetch("controls", queryset=Control.objects.select_related("agreement__organisation").order_by("planned_for"))
    )
    ad_hoc = restrict_to_managed(request, Control.objects.filter(plan__isnull=True)).select_related(
        "agreement__organisation"
    )
    return render(
        request, "grants/grant_reports/controls.html", {"plans": plans, "ad_hoc": ad_hoc, "plan_form": plan_form}
    )


@staff_required
@require_http_methods(["GET", "POST"])
def control_edit(request, pk: int | None = None):
    control = get_object_or_404(restrict_to_managed(request, Control.objects.all()), pk=pk) if pk else None
    form = ControlForm(
        request.POST or None,
        instance=control,
        plans=_plans(request),
        agreements=_managed_agreements(request).select_related("organisation").order_by("-start_date", "number"),
        initial={"agreement": request.GET.get("umowa")} if not control else None,
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if control is None:
            saved.authority = _own_authority(request)
            if saved.authority is None:
                form.add_error(None, "Kontrolę rejestruje pracownik jednej jednostki.")
                return render(request, "grants/grant_reports/control_form.html", {"form": form, "control": control})
        with acting_as(request.user):
            saved.save()
        messages.success(request, "Zapisano kontrolę.")
        return redirect("grants:controls")
    return render(request, "grants/grant_reports/control_form.html", {"form": form, "control": control})
