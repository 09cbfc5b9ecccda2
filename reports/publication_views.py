"""Frozen publications as the public reads them: any version's page and PDF, and the change register.

A document's own public page (the year-end report, the programme, …) shows its current version through
``frozen_context``; the pages here serve every version, so earlier ones stay reachable after a correction.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from config.tenancy import current_authority

from .models import AnnualReport, Publication
from .publications import publication_pdf_retry

FILE_NAMES = {
    Publication.Kind.ANNUAL_REPORT: "sprawozdanie-z-realizacji-programu",
    Publication.Kind.PROGRAMME: "program-wspolpracy",
    Publication.Kind.CONSULTATION_REPORT: "sprawozdanie-z-konsultacji",
    Publication.Kind.CALL_RESULTS: "wyniki-konkursu",
    Publication.Kind.PROTOCOL: "protokol-komisji",
}


def frozen_context(publication: Publication) -> dict:
    """What a page needs to show a frozen version: its body as published and the register of every version."""
    versions = list(Publication.objects.of(publication.kind, publication.object_id))
    return {
        "publication": publication,
        "frozen_body": publication.read_html(),
        "versions": versions,
        "latest": versions[-1],
    }


def frozen_pdf_response(request, publication: Publication, filename: str) -> HttpResponse:
    """The frozen PDF, or, while the background worker lays it out, a page that waits for it (htmx, every 2 s)."""
    if not publication.pdf_ready:
        publication = publication_pdf_retry(publication)
    if publication.pdf_ready:
        if request.headers.get("HX-Request"):  # the waiting page asked again: open the file itself
            response = HttpResponse(status=204)
            response["HX-Redirect"] = request.get_full_path()
            return response
        response = HttpResponse(publication.read_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["X-Content-SHA256"] = publication.pdf_sha256
        return response
    failed = publication.pdf_status == Publication.PdfStatus.FAILED
    context = {"failed": failed, "filename": filename, "url": request.get_full_path()}
    if request.headers.get("HX-Request"):
        return render(request, "reports/includes/pdf_waiting_status.html", context)
    return render(request, "reports/pdf_waiting.html", context, status=202)


def authority_id_of(publication: Publication) -> int | None:
    """The authority whose document this is (one query): a version is public in that authority's space only."""
    from consultations.models import Consultation
    from grants.models import Commission, OpenCall
    from programmes.models import Programme

    owners = {
        Publication.Kind.ANNUAL_REPORT: (AnnualReport.objects, "programme__authority_id"),
        Publication.Kind.PROGRAMME: (Programme.objects, "authority_id"),
        Publication.Kind.CONSULTATION_REPORT: (Consultation.objects, "authority_id"),
        Publication.Kind.CALL_RESULTS: (OpenCall.objects, "authority_id"),
        Publication.Kind.PROTOCOL: (Commission.objects, "call__authority_id"),
    }
    manager, field = owners[publication.kind]
    return manager.filter(pk=publication.object_id).values_list(field, flat=True).first()


def _visible(request, pk: int) -> Publication:
    publication = get_object_or_404(Publication.objects.select_related("prepared_by", "published_by"), pk=pk)
    space = current_authority(request)
    if space is not None and authority_id_of(publication) != space.pk:
        raise Http404  # another authority's document: not in this space
    if publication.kind == Publication.Kind.PROTOCOL:
        # The protocol is not a public document: the office of the call's authority reads its versions.
        from grants.models import Commission
        from programmes.permissions import managed_authority_ids

        commission = Commission.objects.select_related("call").filter(pk=publication.object_id).first()
        ids = managed_authority_ids(request) if request.user.is_authenticated else set()
        if commission is None or (ids is not None and commission.call.authority_id not in ids):
            raise Http404
    return publication


def document_url(publication: Publication) -> str:
    """The page of the document this version belongs to (it shows the version in force)."""
    kind, pk = publication.kind, publication.object_id
    if kind == Publication.Kind.ANNUAL_REPORT:
        report = AnnualReport.objects.filter(pk=pk).values_list("programme_id", flat=True).first()
        return reverse("reports:annual", args=[report]) if report else ""
    if kind == Publication.Kind.PROTOCOL:
        from grants.models import Commission

        call = Commission.objects.filter(pk=pk).values_list("call_id", flat=True).first()
        return reverse("grants:commission-protocol", args=[call]) if call else ""
    names = {
        Publication.Kind.PROGRAMME: "programmes:detail",
        Publication.Kind.CONSULTATION_REPORT: "consultations:report",
        Publication.Kind.CALL_RESULTS: "grants:call-detail",
    }
    return reverse(names[kind], args=[pk])


def publication_page(request, pk: int):
    publication = _visible(request, pk)
    context = frozen_context(publication)
    context.update(kind_label=Publication.Kind(publication.kind).label, document_url=document_url(publication))
    return render(request, "reports/publication_page.html", context)


def publication_pdf(request, pk: int):
    publication = _visible(request, pk)
    name = FILE_NAMES.get(publication.kind, "dokument")
    return frozen_pdf_response(request, publication, f"{name}-{publication.object_id}-wersja-{publication.version}.pdf")
