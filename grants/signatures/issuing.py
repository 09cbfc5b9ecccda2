"""Issuing a PDF of record: a number in the register, the portal's seal, the checksum of the bytes handed out.

Every document the portal issues as a record (submission receipt, offer, protocol, results, agreement, year-end
report, …) goes through ``issue_pdf`` (or ``issued_open`` + ``issued_finish`` where the PDF is rendered elsewhere):
the register row is made first so that its number is printed on the document, then the PDF is sealed
(``seal.py``; unsealed when no key is configured, and the document says so) and the SHA-256 of the final bytes is
recorded. The public verification page (``views.verify``) reads that register.
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from reports.pdf import render_pdf

from .models import IssuedDocument
from .seal import seal_configured, seal_info, seal_pdf

logger = logging.getLogger(__name__)

Kind = IssuedDocument.Kind


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify_url() -> str:
    return settings.SITE_URL + reverse("signatures:verify")


def next_version(kind: str, object_id: int) -> int:
    last = IssuedDocument.objects.filter(kind=kind, object_id=object_id).aggregate(m=Max("version"))["m"]
    return (last or 0) + 1


@transaction.atomic
def issued_open(*, kind: str, object_id: int, title: str, version: int | None = None) -> IssuedDocument:
    """The register row of a document about to be rendered: its number goes on the document."""
    document = IssuedDocument.objects.create(
        kind=kind,
        object_id=object_id,
        version=version or next_version(kind, object_id),
        title=title[:500],
        status=IssuedDocument.Status.PENDING,
        sealed=seal_configured(),
    )
    document.number = f"DOK-{timezone.localdate(document.issued_at):%Y}-{document.pk:06d}"
    document.save(update_fields=["number"])
    return document


def document_context(document: IssuedDocument) -> dict:
    """What the PDF base template prints about the issued document (number, seal, where to check it)."""
    return {"issued": document, "verify_url": verify_url()}


def issued_finish(document: IssuedDocument, pdf: bytes, *, store: bool = True) -> bytes:
    """Seal ``pdf`` (when a key is configured), record its checksum and, with ``store``, keep the bytes."""
    info = seal_info()
    if info is not None:
        pdf = seal_pdf(pdf, reason=f"Dokument nr {document.number} wydany przez portal współpracy")
        document.sealed, document.sealed_by = True, info.holder[:300]
    else:
        document.sealed, document.sealed_by = False, ""
    document.sha256 = sha256(pdf)
    document.status = IssuedDocument.Status.READY
    document.issued_at = timezone.now()
    if store:
        document.file.save(f"{document.number}.pdf", ContentFile(pdf), save=False)
    document.save()
    return pdf


def issued_attach(document: IssuedDocument, stored_name: str) -> None:
    """Point the register at bytes another model stored (the offer's PDF, the publication's PDF): no second copy."""
    document.file.name = stored_name
    document.save(update_fields=["file"])


def issue_pdf(
    *,
    kind: str,
    object_id: int,
    title: str,
    template: str,
    context: dict,
    version: int | None = None,
    max_html_chars: int | None = None,
    store: bool = True,
) -> tuple[IssuedDocument, bytes]:
    """Render ``template`` as a numbered, sealed document of record and return the register row and the bytes."""
    document = issued_open(kind=kind, object_id=object_id, title=title, version=version)
    pdf = render_pdf(template, {**context, **document_context(document)}, max_html_chars=max_html_chars)
    return document, issued_finish(document, pdf, store=store)
