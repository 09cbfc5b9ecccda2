"""Documents of record laid out and sealed by the background worker: the agreement issued for signature and the
grant report as submitted. The request only opens the register row and queues the work (``issue_enqueue``)."""

import logging

from django.db import transaction
from django_tasks import task

from reports.pdf import render_pdf

from .issuing import document_context, issued_finish, issued_open
from .models import IssuedDocument

logger = logging.getLogger(__name__)
Kind = IssuedDocument.Kind
MAX_ATTEMPTS = 3


def _agreement(object_id: int) -> tuple[str, dict]:
    from grants.models import Agreement

    agreement = Agreement.objects.select_related("authority", "organisation", "version").get(pk=object_id)
    context = {
        "agreement": agreement,
        "cost_lines": agreement.cost_lines.all(),
        "tranches": agreement.tranches.all(),
        "data": agreement.version.data,
    }
    return "grants/awards/agreement_pdf.html", context


def _grant_report(object_id: int) -> tuple[str, dict]:
    from grants.models import GrantReport
    from grants.views.grant_reports import report_pdf_context

    report = GrantReport.objects.select_related("agreement__organisation", "agreement__authority").get(pk=object_id)
    return "grants/grant_reports/report_pdf.html", report_pdf_context(report)


RENDERERS = {Kind.AGREEMENT: _agreement, Kind.GRANT_REPORT: _grant_report}


def issue_enqueue(*, kind: str, object_id: int, title: str) -> IssuedDocument:
    """Open the next version of a document in the register and have the worker lay it out and seal it."""
    document = issued_open(kind=kind, object_id=object_id, title=title)
    transaction.on_commit(lambda: issued_document_make.enqueue(document.pk))
    return document


@task()
def issued_document_make(document_id: int) -> str:
    """Render, seal and store a queued document. Safe to run twice."""
    with transaction.atomic():
        document = IssuedDocument.objects.select_for_update().get(pk=document_id)
        if document.status == IssuedDocument.Status.READY:
            return document.status
        template, context = RENDERERS[document.kind](document.object_id)
        try:
            pdf = render_pdf(template, {**context, **document_context(document)})
            issued_finish(document, pdf)
        except Exception as error:
            document.attempts += 1
            document.status = IssuedDocument.Status.FAILED
            document.save(update_fields=["attempts", "status"])
            logger.warning("Issued document %s failed (attempt %s): %r", document_id, document.attempts, error)
            return document.status
    return IssuedDocument.Status.READY
