"""Heavy PDFs (the commission's protocol, the year-end report) laid out by the background worker, not in the
request a person waits on.

The request does the cheap part: it gathers the data and renders the HTML the PDF is laid out from, then looks the
HTML's SHA-256 up. A PDF already laid out from the same HTML is streamed from storage at once; otherwise the HTML is
stored, a task is queued and the person sees a page that checks every few seconds (htmx) and opens the PDF when it
is there. The permission check stays in each document's own view, which is also the URL that serves the file, so
nothing is reachable by a storage URL. Any change in the data changes the HTML, so a stale PDF is never served.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tasks import task

from .models import RenderedPdf
from .pdf import PdfTooLarge, pdf_from_html, pdf_html

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
S = RenderedPdf.Status


def rendered_pdf_for(html: str) -> RenderedPdf:
    """The stored PDF of this HTML, queued for layout when it is new."""
    digest = hashlib.sha256(html.encode()).hexdigest()
    existing = RenderedPdf.objects.filter(html_sha256=digest).first()
    if existing is not None:
        if existing.status == S.FAILED and existing.attempts < MAX_ATTEMPTS:
            RenderedPdf.objects.filter(pk=existing.pk).update(status=S.PENDING)  # asked again: one more try
            rendered_pdf_make.enqueue(existing.pk)
            existing.status = S.PENDING
        return existing
    document = RenderedPdf(html_sha256=digest)
    document.html.save("source.html", ContentFile(html.encode()), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # another request stored the same HTML a moment ago
        return RenderedPdf.objects.get(html_sha256=digest)
    # Queued at once, not after commit: with the database queue the task row commits together with the document,
    # so a worker never sees one without the other.
    rendered_pdf_make.enqueue(document.pk)
    return document


@task()
def rendered_pdf_make(document_id: int) -> str:
    """Lay out the stored HTML and store the PDF. Safe to run twice."""
    with transaction.atomic():
        document = RenderedPdf.objects.select_for_update().get(pk=document_id)
        if document.status == S.READY:
            return S.READY
        try:
            with document.html.open("rb") as handle:
                pdf = pdf_from_html(handle.read().decode())
        except Exception as error:
            document.attempts += 1
            document.status = S.FAILED
            document.save(update_fields=["attempts", "status"])
            logger.warning("Background PDF %s failed (attempt %s): %r", document_id, document.attempts, error)
            return S.FAILED
        document.pdf.save("document.pdf", ContentFile(pdf), save=False)
        document.status, document.ready_at = S.READY, timezone.now()
        document.save(update_fields=["pdf", "status", "ready_at"])
    return S.READY


def pdf_when_ready(request, template: str, context: dict, filename: str) -> HttpResponse:
    """The response of a heavy PDF's URL: the file when it is laid out, else a page that waits for it."""
    try:
        html = pdf_html(template, context)
    except PdfTooLarge:
        return render(request, "reports/pdf_waiting.html", {"failed": True, "filename": filename}, status=413)
    document = rendered_pdf_for(html)
    if document.status == S.PENDING:
        document.refresh_from_db()  # a worker in this process (tests, inline) may have finished already
    if document.status == S.READY:
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = request.get_full_path()
            return response
        with document.pdf.open("rb") as handle:
            response = HttpResponse(handle.read(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
    context = {"failed": document.status == S.FAILED, "filename": filename, "url": request.get_full_path()}
    if request.headers.get("HX-Request"):
        return render(request, "reports/includes/pdf_waiting_status.html", context)
    return render(request, "reports/pdf_waiting.html", context, status=202)
