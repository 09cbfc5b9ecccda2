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
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from grants.signatures.issuing import document_context, issued_attach, issued_finish, issued_open
from grants.signatures.models import IssuedDocument
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


def offer_pdf(version: OfferVersion, extra: dict | None = None) -> bytes:
    """The offer as submitted, laid out from the frozen data only."""
    return render_pdf(
        "grants/offer_pdf.html",
        {"data": version.data, "version": version, **(extra or {})},
        max_html_chars=OFFER_PDF_MAX_HTML_CHARS,
    )


def receipt_pdf(version: OfferVersion, extra: dict | None = None) -> bytes:
    return render_pdf("grants/receipt_pdf.html", {"version": version, "offer": version.offer, **(extra or {})})


def _issued(version: OfferVersion, kind: str, render) -> tuple:
    """Render one of the version's PDFs as a numbered document of record, sealed when a key is configured."""
    label = "Oferta" if kind == IssuedDocument.Kind.OFFER else "Potwierdzenie złożenia oferty"
    document = issued_open(
        kind=kind,
        object_id=version.offer_id,
        version=version.number,
        title=f"{label} {version.receipt_number} – {version.data['III']['title']}",
    )
    return document, issued_finish(document, render(version, document_context(document)), store=False)


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
        offer_document, offer = _issued(version, IssuedDocument.Kind.OFFER, offer_pdf)
        receipt_document, receipt = _issued(version, IssuedDocument.Kind.RECEIPT, receipt_pdf)
        version.offer_pdf.save(_filename(version, "oferta"), ContentFile(offer), save=False)
        version.offer_pdf_sha256 = hashlib.sha256(offer).hexdigest()
        version.receipt_pdf.save(_filename(version, "potwierdzenie"), ContentFile(receipt), save=False)
        version.save(update_fields=["offer_pdf", "offer_pdf_sha256", "receipt_pdf"])
        issued_attach(offer_document, version.offer_pdf.name)
        issued_attach(receipt_document, version.receipt_pdf.name)


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


# Conflicts of interest (art. 15 ust. 2d and 2f of the act, art. 24 KPA): whenever the set of offers or of members
# changes, a worker reads the conflicts again and tells the chair and the office of each new one, once.


def conflicts_check_enqueue(call_id: int) -> None:
    """After commit, queue the conflict check of the call's commission (no-op when the call has none)."""
    transaction.on_commit(lambda: commission_conflicts_check.enqueue(call_id))


def conflicts_check_enqueue_for_user(user_id: int) -> None:
    """A person joined an organisation: re-check every commission in which they hold a seat."""
    from .models import CommissionMember

    calls = (
        CommissionMember.objects.active()
        .filter(user_id=user_id)
        .values_list("commission__call_id", flat=True)
        .distinct()
    )
    for call_id in calls:
        conflicts_check_enqueue(call_id)


def _conflicts_tell(commission, found: list[tuple]) -> None:
    """The chair (linked to their seat) and the office: the staff who appointed each conflicted member (linked to
    the commission's composition) and the authority's own mailbox, by e-mail."""
    from accounts.notifications.models import Notification
    from accounts.notifications.services import notify

    call = commission.call
    manage_url = reverse("grants:commission-manage", args=[call.pk])
    context = {"call": call, "conflicts": found}
    chair = commission.members.active().filter(is_chair=True).select_related("user").first()
    if chair is not None:
        seat_url = reverse("grants:commission-seat", args=[chair.pk])
        notify(
            kind=Notification.Kind.COMMISSION,
            recipients=[chair.user],
            template="grants/email/conflict",
            context=context,  # the notification's own link leads to the seat
            url=seat_url,
        )
    appointers = {
        member.appointed_by
        for member, _ in found
        if member.appointed_by_id and (chair is None or member.appointed_by_id != chair.user_id)
    }
    notify(
        kind=Notification.Kind.COMMISSION,
        recipients=appointers,
        template="grants/email/conflict",
        context={**context, "link_label": "Skład komisji", "link": settings.SITE_URL + manage_url},
        url=manage_url,
        emails=[call.authority.email],
    )


@task()
def commission_conflicts_check(call_id: int) -> int:
    """Find conflicts of the call's commission members as the data stands now and tell the chair and the office
    about each new one (``ConflictNotice`` remembers what was told). Returns how many new conflicts were found.

    Safe to run twice or concurrently: the commission row is locked, and a conflict already recorded is not told
    again. The notices are written in the same transaction as the record, through ``notify``: each person's
    notification preference applies, and a failed e-mail is retried by the notification tasks.
    """
    from .models import Commission, ConflictNotice
    from .services.impartiality import detect_conflicts

    with transaction.atomic():
        commission = (
            Commission.objects.select_for_update(of=("self",))
            .select_related("call__authority")
            .filter(call_id=call_id)
            .first()
        )
        if commission is None:
            return 0
        found = []
        members = commission.members.active().select_related("user").order_by("pk")
        for member in members:
            for conflict in detect_conflicts(member):
                _, created = ConflictNotice.objects.get_or_create(
                    member=member,
                    organisation_id=conflict["organisation_id"],
                    reason=conflict["reason"],
                    defaults={"text": conflict["text"][:500]},
                )
                if created:
                    found.append((member, conflict))
        if not found:
            return 0
        _conflicts_tell(commission, found)
    logger.info("Commission of call %s: %s new conflict(s) of interest reported", call_id, len(found))
    return len(found)
