"""Work done after a submission, off the request path: the offer PDF, the receipt PDF and the receipt e-mail.

The request freezes the version (data and checksum) and answers at once; ``offer_version_documents`` is queued
after commit and run by a worker (``manage.py db_worker``). It works from the frozen version only, so running it
again, or later, gives the same documents. A failure is retried with a growing delay; after the last attempt the
version is marked failed and the receipt page says so (the frozen data and its checksum are safe either way).
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from reports.pdf import PdfTooLarge, render_pdf

from .models import OfferVersion

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# An offer whose every text field is at the form's maximum length stays far below this; 100 kB typed into each
# free-text field (about 40 s of layout) is far above it and fails at once.
OFFER_PDF_MAX_HTML_CHARS = 300_000


def retry_delay(attempt: int) -> timedelta:
    """10 s, 20 s, 40 s, 80 s: a passing fault (mail server, storage) has minutes to clear."""
    return timedelta(seconds=10 * 2 ** (attempt - 1))


def offer_pdf(version: OfferVersion) -> bytes:
    """The offer as submitted, laid out from the frozen data only."""
    return render_pdf(
        "grants/offer_pdf.html", {"data": version.data, "version": version}, max_html_chars=OFFER_PDF_MAX_HTML_CHARS
    )


def receipt_pdf(version: OfferVersion) -> bytes:
    return render_pdf("grants/receipt_pdf.html", {"version": version, "offer": version.offer})


def _filename(version: OfferVersion, prefix: str) -> str:
    return f"{prefix}-{version.receipt_number.replace('/', '-')}.pdf"


def _locked(version_id: int) -> OfferVersion:
    return (
        OfferVersion.objects.select_for_update(of=("self",))
        .select_related("offer__call__authority", "offer__organisation", "submitted_by")
        .get(pk=version_id)
    )


def _make_pdfs(version_id: int) -> None:
    with transaction.atomic():
        version = _locked(version_id)
        if version.offer_pdf and version.receipt_pdf:
            return
        offer, receipt = offer_pdf(version), receipt_pdf(version)
        version.offer_pdf.save(_filename(version, "oferta"), ContentFile(offer), save=False)
        version.offer_pdf_sha256 = hashlib.sha256(offer).hexdigest()
        version.receipt_pdf.save(_filename(version, "potwierdzenie"), ContentFile(receipt), save=False)
        version.save(update_fields=["offer_pdf", "offer_pdf_sha256", "receipt_pdf"])


def _send_receipt(version_id: int) -> None:
    with transaction.atomic():
        version = _locked(version_id)
        if version.receipt_sent_at is None:
            context = {"version": version, "offer": version.offer}
            subject = " ".join(render_to_string("grants/email/receipt_subject.txt", context).split())
            to = sorted({version.submitted_by.email, version.offer.organisation.email} - {""})
            message = EmailMessage(
                subject, render_to_string("grants/email/receipt.txt", context), settings.DEFAULT_FROM_EMAIL, to
            )
            with version.receipt_pdf.open("rb") as handle:
                message.attach(_filename(version, "potwierdzenie"), handle.read(), "application/pdf")
            # Sent inside the lock and marked in the same transaction: two workers never both send it.
            message.send()
            version.receipt_sent_at = timezone.now()
        version.documents, version.documents_ready_at = OfferVersion.Documents.READY, timezone.now()
        version.save(update_fields=["receipt_sent_at", "documents", "documents_ready_at"])


def _failed_attempt(version_id: int, error: Exception) -> None:
    with transaction.atomic():
        version = OfferVersion.objects.select_for_update(of=("self",)).get(pk=version_id)
        version.documents_attempts += 1
        attempt = version.documents_attempts
        # A document over the size or time bound will not shrink on a second try.
        final = attempt >= MAX_ATTEMPTS or isinstance(error, PdfTooLarge)
        if final:
            version.documents = OfferVersion.Documents.FAILED
        version.save(update_fields=["documents_attempts", "documents"])
    logger.warning("Documents of offer version %s failed (attempt %s): %r", version_id, attempt, error)
    if not final:
        documents_enqueue(version_id, delay=retry_delay(attempt))


def documents_enqueue(version_id: int, *, delay: timedelta | None = None) -> None:
    """Queue the documents of a version, now or after ``delay`` (where the backend can wait)."""
    queued = offer_version_documents
    if delay and queued.get_backend().supports_defer:
        queued = queued.using(run_after=timezone.now() + delay)
    queued.enqueue(version_id)


@task()
def offer_version_documents(version_id: int) -> str:
    """Render and store both PDFs of a submitted version, then e-mail the receipt. Safe to run twice."""
    try:
        _make_pdfs(version_id)
        _send_receipt(version_id)
    except Exception as error:
        _failed_attempt(version_id, error)
        raise
    return OfferVersion.Documents.READY
