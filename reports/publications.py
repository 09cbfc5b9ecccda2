"""Frozen publications of documents of record: the year-end report, the adopted programme, the consultation report,
call results and the commission's protocol.

Publishing renders the document once — the HTML body the public page shows and the HTML its PDF is laid out from —
and stores both through Django's storage API (``default_storage``: a disk here, object storage elsewhere) with their
SHA-256. Laying out the PDF (seconds for a city's year-end report) is left to the background worker
(``publication_pdf_make``, queued with the publication), so the person publishing does not wait for it; until it is
ready the PDF's URL shows "PDF w przygotowaniu". From then on the public page and the PDF serve those bytes,
whatever later happens to the data; staff still see the live figures as a working draft. A correction (korekta)
is a new numbered version with its reason; earlier versions stay readable. Each version records who prepared it,
who published it and when: the change register BIP rules expect (rozporządzenie MSWiA z 18 stycznia 2007 r.
w sprawie Biuletynu Informacji Publicznej, § 10 and § 11).

Each kind of document says how it is rendered in ``DOCUMENT_TYPES``; the services only freeze what it renders.
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from accounts.audit import acting_as
from grants.signatures.issuing import document_context, issued_attach, issued_finish, issued_open
from grants.signatures.models import IssuedDocument

from .models import Publication
from .pdf import PdfTooLarge, pdf_from_html, pdf_html

logger = logging.getLogger(__name__)
PDF_MAX_ATTEMPTS = 3

Kind = Publication.Kind


@dataclass(frozen=True)
class DocumentType:
    kind: str
    model: str  # "app_label.ModelName" of the document
    body_template: str  # the HTML fragment the public page shows inside its frame
    pdf_template: str
    context: Callable  # document -> template context
    title: Callable  # (document, context) -> title
    prepared_by: Callable = lambda document: None  # who wrote the document, when the portal knows
    published_field: str = ""  # the document's own "published at" field, set at the first publication

    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)


def _annual_context(report) -> dict:
    from .annual import annual_report

    return annual_report(report.programme)


def _programme_context(programme) -> dict:
    from programmes.documents import programme_context

    return programme_context(programme)


def _consultation_context(consultation) -> dict:
    from consultations.documents import report_context

    return report_context(consultation)


def _results_context(call) -> dict:
    from grants.selectors import call_results

    return {"call": call, "results": call_results(call)}


def _protocol_context(commission) -> dict:
    from grants.views.commission import protocol_context

    return protocol_context(commission.call)


DOCUMENT_TYPES: dict[str, DocumentType] = {
    doc.kind: doc
    for doc in [
        DocumentType(
            Kind.ANNUAL_REPORT,
            "reports.AnnualReport",
            "reports/includes/annual_body.html",
            "reports/annual_report_pdf.html",
            _annual_context,
            lambda report, ctx: f"Sprawozdanie z realizacji programu współpracy za {ctx['year']} r.",
            prepared_by=lambda report: report.updated_by,
            published_field="published_at",
        ),
        DocumentType(
            Kind.PROGRAMME,
            "programmes.Programme",
            "programmes/includes/programme_body.html",
            "programmes/programme_pdf.html",
            _programme_context,
            lambda programme, ctx: programme.title,
        ),
        DocumentType(
            Kind.CONSULTATION_REPORT,
            "consultations.Consultation",
            "consultations/includes/report_body.html",
            "consultations/report_pdf.html",
            _consultation_context,
            lambda consultation, ctx: f"Sprawozdanie z konsultacji: {consultation.title}",
        ),
        DocumentType(
            Kind.CALL_RESULTS,
            "grants.OpenCall",
            "grants/awards/includes/results_table.html",
            "grants/awards/results_pdf.html",
            _results_context,
            lambda call, ctx: f"Wyniki otwartego konkursu ofert nr {call.number}",
        ),
        DocumentType(
            Kind.PROTOCOL,
            "grants.Commission",
            "grants/commission/_protocol_body.html",
            "grants/commission/protocol_pdf.html",
            _protocol_context,
            lambda commission, ctx: f"Protokół komisji konkursowej – konkurs nr {commission.call.number}",
        ),
    ]
}


def document_type_of(document) -> DocumentType:
    label = document._meta.label
    for doc in DOCUMENT_TYPES.values():
        if doc.model == label:
            return doc
    raise ValueError(f"{label} is not a document of record")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def render_document_html(document, *, frozen: dict | None = None, extra: dict | None = None) -> tuple[str, str, str]:
    """The title, HTML body and the HTML the PDF is laid out from, of ``document`` as its data stands now (cheap:
    no layout). ``frozen`` (version, published_at) is printed on the PDF; without it the PDF says it is a working
    draft. ``extra`` goes to the PDF only (the number of the issued document, signatures/)."""
    doc = document_type_of(document)
    context = doc.context(document)
    context.update(frozen=frozen, working_draft=frozen is None)
    body = render_to_string(doc.body_template, context)
    return doc.title(document, context), body, pdf_html(doc.pdf_template, {**context, **(extra or {})})


def _freeze(*, actor, document, version: int, reason: str, prepared_by) -> Publication:
    doc = document_type_of(document)
    now = timezone.now()
    # The number in the register of issued documents is printed on the PDF; the worker seals it (signatures/).
    issued = issued_open(kind=doc.kind, object_id=document.pk, version=version, title=str(Kind(doc.kind).label))
    title, body, source = render_document_html(
        document, frozen={"version": version, "published_at": now}, extra=document_context(issued)
    )
    issued.title = title[:500]
    issued.save(update_fields=["title"])
    html_bytes, source_bytes = body.encode(), source.encode()
    publication = Publication(
        kind=doc.kind,
        object_id=document.pk,
        version=version,
        title=title[:500],
        html_sha256=sha256(html_bytes),
        pdf_html_sha256=sha256(source_bytes),
        pdf_status=Publication.PdfStatus.PENDING,
        prepared_by=prepared_by or doc.prepared_by(document) or actor,
        published_by=actor,
        published_at=now,
        reason=reason,
    )
    publication.html.save("document.html", ContentFile(html_bytes), save=False)
    publication.pdf_html.save("pdf-source.html", ContentFile(source_bytes), save=False)
    with acting_as(actor):
        publication.full_clean()
        publication.save()
    # Queued at once, not after commit: with the database queue the task row commits together with the
    # publication, so a worker never sees one without the other (and a rolled-back publication queues nothing).
    publication_pdf_enqueue(publication.pk)
    publication.refresh_from_db()  # a worker in this process (tests, inline) may have laid the PDF out already
    return publication


def publication_pdf_enqueue(publication_id: int, *, delay: timedelta | None = None) -> None:
    queued = publication_pdf_make
    if delay and queued.get_backend().supports_defer:
        queued = queued.using(run_after=timezone.now() + delay)
    queued.enqueue(publication_id)


@task()
def publication_pdf_make(publication_id: int) -> str:
    """Lay out the frozen PDF source of a publication and store the PDF with its SHA-256. Safe to run twice; a
    failure is retried (10 s, then 20 s) and after the last attempt the PDF's page says it failed."""
    S = Publication.PdfStatus
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=publication_id)
        if publication.pdf_status == S.READY:
            return S.READY
        issued = IssuedDocument.objects.filter(
            kind=publication.kind, object_id=publication.object_id, version=publication.version
        ).first()
        try:
            with publication.pdf_html.open("rb") as handle:
                pdf = pdf_from_html(handle.read().decode())
            if issued is not None:
                pdf = issued_finish(issued, pdf, store=False)  # sealed when a key is configured
        except Exception as error:
            publication.pdf_attempts += 1
            final = publication.pdf_attempts >= PDF_MAX_ATTEMPTS or isinstance(error, PdfTooLarge)
            publication.pdf_status = S.FAILED if final else S.PENDING
            publication.save(update_fields=["pdf_attempts", "pdf_status"])
            logger.warning(
                "PDF of publication %s failed (attempt %s): %r", publication_id, publication.pdf_attempts, error
            )
            if not final:
                transaction.on_commit(
                    lambda: publication_pdf_enqueue(
                        publication_id, delay=timedelta(seconds=10 * 2 ** (publication.pdf_attempts - 1))
                    )
                )
            return publication.pdf_status
        publication.pdf.save("document.pdf", ContentFile(pdf), save=False)
        publication.pdf_sha256, publication.pdf_status = sha256(pdf), S.READY
        publication.pdf_ready_at = timezone.now()
        publication.save(update_fields=["pdf", "pdf_sha256", "pdf_status", "pdf_ready_at"])
        if issued is not None:
            issued_attach(issued, publication.pdf.name)
    return S.READY


def publication_pdf_retry(publication: Publication) -> Publication:
    """Asked for a PDF that failed before the last attempt (a passing fault): queue it once more."""
    S = Publication.PdfStatus
    if publication.pdf_status == S.FAILED and publication.pdf_attempts < PDF_MAX_ATTEMPTS:
        Publication.objects.filter(pk=publication.pk, pdf_status=S.FAILED).update(pdf_status=S.PENDING)
        publication_pdf_enqueue(publication.pk)
        publication.refresh_from_db()
    return publication


def _lock(document):
    """Lock the document's row: two clicks on "publish" cannot both make the same version."""
    return type(document).objects.select_for_update().get(pk=document.pk)


@transaction.atomic
def publication_publish(*, actor, document, prepared_by=None) -> Publication:
    """Freeze ``document`` as version 1. Refused when it is already published: that needs a correction."""
    document = _lock(document)
    kind = document_type_of(document).kind
    if Publication.objects.filter(kind=kind, object_id=document.pk).exists():
        raise ValidationError(
            "Dokument jest już opublikowany. Zmiana treści wymaga opublikowania korekty z jej powodem."
        )
    publication = _freeze(actor=actor, document=document, version=1, reason="", prepared_by=prepared_by)
    doc = document_type_of(document)
    if doc.published_field:
        with acting_as(actor):
            setattr(document, doc.published_field, publication.published_at)
            document.save(update_fields=[doc.published_field])
    return publication


@transaction.atomic
def publication_correct(*, actor, document, reason: str, prepared_by=None) -> Publication:
    """Freeze the document as it stands now as the next version (korekta), with the reason and scope of changes."""
    document = _lock(document)
    kind = document_type_of(document).kind
    if not reason.strip():
        raise ValidationError({"reason": "Podaj powód korekty i zakres zmian – pojawi się w rejestrze zmian."})
    last = Publication.objects.current(kind, document.pk)
    if last is None:
        raise ValidationError("Dokument nie był jeszcze opublikowany: najpierw go opublikuj.")
    return _freeze(
        actor=actor, document=document, version=last.version + 1, reason=reason.strip(), prepared_by=prepared_by
    )


def publication_correct_if_published(*, actor, document, reason: str) -> Publication | None:
    """After an act that changes a published document (an amendment, an upheld appeal): its next version. Documents
    never frozen (published before freezing existed) are left alone."""
    kind = document_type_of(document).kind
    if not Publication.objects.filter(kind=kind, object_id=document.pk).exists():
        return None
    return publication_correct(actor=actor, document=document, reason=reason)
