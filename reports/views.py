"""The year-end programme report: public page and PDF once published; staff see it at any time and write conclusions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.audit import acting_as
from accounts.permissions import staff_required
from programmes.models import Programme
from programmes.permissions import managed_authority_ids, restrict_to_managed

from .annual import annual_report
from .forms import AnnualReportForm
from .models import AnnualReport
from .pdf import pdf_response


def _manages(request, programme: Programme) -> bool:
    if not request.user.is_authenticated:
        return False
    ids = managed_authority_ids(request)
    return ids is None or programme.authority_id in ids


def _visible_programme(request, pk: int) -> Programme:
    """Published reports are public; an unpublished one is seen only by the staff who write it (others: 404)."""
    programme = get_object_or_404(Programme.objects.public().select_related("authority"), pk=pk)
    published = AnnualReport.objects.filter(programme=programme, published_at__isnull=False).exists()
    if not published and not _manages(request, programme):
        raise Http404
    return programme


def annual_report_page(request, pk: int):
    programme = _visible_programme(request, pk)
    context = annual_report(programme)
    context["can_edit"] = _manages(request, programme)
    return render(request, "reports/annual_report.html", context)


def annual_report_pdf(request, pk: int):
    programme = _visible_programme(request, pk)
    return pdf_response(
        "reports/annual_report_pdf.html",
        annual_report(programme),
        f"sprawozdanie-program-wspolpracy-{programme.year_from}.pdf",
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
            if form.cleaned_data["publish"] and not report.published_at:
                report.published_at = timezone.now()
            elif not form.cleaned_data["publish"]:
                report.published_at = None
            report.save()
        messages.success(request, "Zapisano sprawozdanie.")
        return redirect("reports:annual", pk=programme.pk)
    return render(request, "reports/annual_report_form.html", {"programme": programme, "form": form})
