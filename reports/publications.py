"""Frozen publications of documents of record: the year-end report, the adopted programme, the consultation report,
call results and the commission's protocol.

Publishing renders the document once — the HTML body the public page shows and the PDF — and stores both through
Django's storage API (``default_storage``: a disk here, object storage elsewhere) with their SHA-256. From then on
the public page and the PDF serve those bytes, whatever later happens to the data; staff still see the live
figures as a working draft. A correction (korekta) is a new numbered version with its reason; earlier versions
stay readable. Each version records who prepared it, who published it and when: the change register BIP rules
expect (rozporządzenie MSWiA z 18 stycznia 2007 r. w sprawie Biuletynu Informacji Publicznej, § 10 and § 11).

Each kind of document says how it is rendered in ``DOCUMENT_TYPES``; the services only freeze what it renders.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.audit import acting_as

from .models import Publication
from .pdf import render_pdf

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


def render_document(document, *, frozen: dict | None = None) -> tuple[str, str, bytes]:
    """The title, HTML body and PDF of ``document`` as its data stands now. ``frozen`` (version, published_at)
    is printed on the PDF; without it the PDF says it is a working draft."""
    doc = document_type_of(document)
    context = doc.context(document)
    context.update(frozen=frozen, working_draft=frozen is None)
    body = render_to_string(doc.body_template, context)
    return doc.title(document, context), body, render_pdf(doc.pdf_template, context)


def _freeze(*, actor, document, version: int, reason: str, prepared_by) -> Publication:
    doc = document_type_of(document)
    now = timezone.now()
    title, body, pdf = render_document(document, frozen={"version": version, "published_at": now})
    html_bytes = body.encode()
    publication = Publication(
        kind=doc.kind,
        object_id=document.pk,
        version=version,
        title=title[:500],
        html_sha256=sha256(html_bytes),
        pdf_sha256=sha256(pdf),
        prepared_by=prepared_by or doc.prepared_by(document) or actor,
        published_by=actor,
        published_at=now,
        reason=reason,
    )
    publication.html.save("document.html", ContentFile(html_bytes), save=False)
    publication.pdf.save("document.pdf", ContentFile(pdf), save=False)
    with acting_as(actor):
        publication.full_clean()
        publication.save()
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
