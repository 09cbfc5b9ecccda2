"""The year-end programme report: public page and PDF serve the frozen publication; staff also see the working
draft computed from live data, write the conclusions, and publish it (or a correction) after a confirmation."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.audit import acting_as
from accounts.permissions import staff_required
from config.forms import apply_validation_error
from config.tenancy import scoped
from programmes.models import Programme
from programmes.permissions import managed_authority_ids, restrict_to_managed

from .annual import annual_report
from .forms import AnnualReportForm
from .models import AnnualReport, Publication
from .publication_views import frozen_context, frozen_pdf_response
from .publications import publication_publish
from .rendering import pdf_when_ready

KIND = Publication.Kind.ANNUAL_REPORT


def _manages(request, programme: Programme) -> bool:
    if not request.user.is_authenticated:
        return False
    ids = managed_authority_ids(request)
    return ids is None or programme.authority_id in ids


def _report_state(request, pk: int) -> tuple[Programme, Publication | None, bool]:
    """The programme, its report's current publication and whether this person sees the working draft.

    Published reports are public; before publication only the staff who write it see it (others: 404)."""
    programme = get_object_or_404(scoped(request, Programme.objects.public()).select_related("authority"), pk=pk)
    report = AnnualReport.objects.filter(programme=programme).first()
    current = Publication.objects.current(KIND, report.pk) if report else None
    manages = _manages(request, programme)
    if current is None and not manages:
        raise Http404
    draft = manages and (current is None or request.GET.get("wersja") == "robocza")
    return programme, current, draft


def annual_report_page(request, pk: int):
    programme, current, draft = _report_state(request, pk)
    if draft:
        context = annual_report(programme)
        context.update(working_draft=True, current=current)
    else:
        context = frozen_context(current)
        context.update(programme=programme, year=programme.year_from, authority=programme.authority)
    context["can_edit"] = _manages(request, programme)
    if context["can_edit"] and current is not None:
        context["correct_url"] = reverse("reports:publication-correct", args=[current.pk])
    return render(request, "reports/annual_report.html", context)


def annual_report_pdf(request, pk: int):
    programme, current, draft = _report_state(request, pk)
    if not draft:
        return frozen_pdf_response(request, current, f"sprawozdanie-program-wspolpracy-{programme.year_from}.pdf")
    context = annual_report(programme)
    context.update(working_draft=True, frozen=None)
    # Tens of pages at city scale: laid out by the background worker, then served from storage.
    return pdf_when_ready(
        request,
        "reports/annual_report_pdf.html",
        context,
        f"sprawozdanie-program-wspolpracy-{programme.year_from}-robocze.pdf",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def annual_report_edit(request, pk: int):
    programme = get_object_or_404(restrict_to_managed(request, Programme.objects.public()), pk=pk)
    stored = AnnualReport.objects.filter(programme=programme).first() or AnnualReport(programme=programme)
    form = AnnualReportForm(request.POST or None, instance=stored)
    if request.method == "POST" and form.is_valid():
        with acting_as(request.user):
            report = form.save(commit=False)
            report.updated_at, report.updated_by = timezone.now(), request.user
            report.save()
        messages.success(request, "Zapisano wersję roboczą sprawozdania.")
        return redirect(reverse("reports:annual", args=[programme.pk]) + "?wersja=robocza")
    return render(request, "reports/annual_report_form.html", {"programme": programme, "form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def annual_report_publish(request, pk: int):
    """Confirm, then freeze the report as it stands now as version 1; a correction has its own page
    (``reports.corrections``), the same for every kind of publication."""
    programme = get_object_or_404(
        restrict_to_managed(request, Programme.objects.public().select_related("authority")), pk=pk
    )
    report = AnnualReport.objects.filter(programme=programme).first()
    current = Publication.objects.current(KIND, report.pk) if report else None
    if current is not None:
        return redirect("reports:publication-correct", pk=current.pk)
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if report is None:
                with acting_as(request.user):
                    report = AnnualReport.objects.create(programme=programme, updated_by=request.user)
            publication = publication_publish(actor=request.user, document=report)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Opublikowano sprawozdanie – wersja {publication.version}.")
            return redirect("reports:annual", pk=programme.pk)
    return render(
        request,
        "reports/annual_report_publish.html",
        {"programme": programme, "current": None, "form": form, "report": report},
    )
