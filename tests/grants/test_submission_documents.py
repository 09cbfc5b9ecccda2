"""Submission answers at once; the PDFs and the receipt e-mail are made afterwards by the task worker."""

import hashlib
from decimal import Decimal

import pytest
from django.urls import reverse

from grants import tasks
from grants.models import OfferVersion
from grants.services import offers as services
from grants.signatures.issuing import document_context
from grants.signatures.models import IssuedDocument
from reports import pdf
from reports.pdf import PdfTooLarge, render_pdf
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.helpers import pdf_text

pytestmark = pytest.mark.django_db

D = OfferVersion.Documents


@pytest.fixture
def offer(authority, organisation, ngo_admin):
    return complete_offer(OpenCallFactory(programme__authority=authority), organisation, ngo_admin)


def _submit(offer, actor) -> OfferVersion:
    version = services.offer_submit(offer=offer, actor=actor, revision=offer.revision)
    version.refresh_from_db()
    return version


def test_the_request_freezes_the_version_and_leaves_the_documents_to_the_worker(
    offer, ngo_admin, client_for, mailoutbox
):
    # Nothing committed yet: the task is only scheduled, as on a server whose worker has not picked it up.
    version = _submit(offer, ngo_admin)
    assert version.documents == D.PENDING and version.sha256
    assert not version.offer_pdf and not version.receipt_pdf and mailoutbox == []
    client = client_for(ngo_admin)
    page = client.get(reverse("grants:receipt", args=[offer.pk, version.number])).content.decode()
    assert "Przygotowujemy PDF oferty i potwierdzenia" in page
    assert 'hx-trigger="every 2s"' in page and version.sha256 in page
    # The PDF links wait for the worker instead of rendering inside the request.
    response = client.get(reverse("grants:version-pdf", args=[offer.pk, version.number]))
    assert response.status_code == 302 and response.url == reverse("grants:receipt", args=[offer.pk, version.number])


def test_the_worker_stores_the_pdf_of_the_frozen_data_with_its_checksum_and_mails_once(
    offer, ngo_admin, client_for, mailoutbox, committed
):
    with committed():
        version = _submit(offer, ngo_admin)
    version.refresh_from_db()
    assert version.documents == D.READY and version.documents_ready_at and version.receipt_sent_at
    stored = version.offer_pdf.read()
    assert hashlib.sha256(stored).hexdigest() == version.offer_pdf_sha256
    # The same frozen data lays out to the same bytes: the stored PDF is a function of the version (and of its number
    # in the register of issued documents, printed on it) alone.
    issued = IssuedDocument.objects.get(kind=IssuedDocument.Kind.OFFER, object_id=offer.pk, version=version.number)
    assert issued.sha256 == version.offer_pdf_sha256 and not issued.sealed  # no seal key in tests
    relaid = tasks.offer_pdf(version, document_context(issued))
    assert hashlib.sha256(relaid).hexdigest() == version.offer_pdf_sha256
    assert issued.number in pdf_text(stored) and "bez pieczęci elektronicznej" in pdf_text(stored)
    assert len(mailoutbox) == 1 and version.receipt_number in pdf_text(mailoutbox[0].attachments[0][1])

    # Running the task again (a retry, a second worker) changes nothing and sends no second e-mail.
    tasks.offer_version_documents.call(version.pk)
    again = OfferVersion.objects.get(pk=version.pk)
    assert (again.offer_pdf.name, again.offer_pdf_sha256) == (version.offer_pdf.name, version.offer_pdf_sha256)
    assert len(mailoutbox) == 1

    client = client_for(ngo_admin)
    fragment = client.get(reverse("grants:receipt-documents", args=[offer.pk, version.number])).content.decode()
    assert "Pobierz złożoną ofertę (PDF)" in fragment and "hx-trigger" not in fragment
    response = client.get(reverse("grants:version-pdf", args=[offer.pk, version.number]))
    assert response["Content-Type"] == "application/pdf" and b"".join(response.streaming_content) == stored
    receipt = client.get(reverse("grants:receipt-pdf", args=[offer.pk, version.number]))
    assert version.receipt_number in pdf_text(b"".join(receipt.streaming_content))


def test_a_failing_render_is_retried_until_it_succeeds(offer, ngo_admin, mailoutbox, committed, monkeypatch):
    real, calls = tasks.offer_pdf, []

    def flaky(version, extra=None):
        calls.append(version.pk)
        if len(calls) <= 2:
            raise OSError("storage unavailable")
        return real(version, extra)

    monkeypatch.setattr(tasks, "offer_pdf", flaky)
    with committed():
        version = _submit(offer, ngo_admin)
    version.refresh_from_db()
    assert len(calls) == 3
    assert version.documents == D.READY and version.documents_attempts == 2
    assert version.offer_pdf and len(mailoutbox) == 1


def test_after_the_last_attempt_the_receipt_page_says_the_pdf_failed(
    offer, ngo_admin, client_for, mailoutbox, committed, monkeypatch
):
    def broken(version, extra=None):
        raise OSError("storage unavailable")

    monkeypatch.setattr(tasks, "offer_pdf", broken)
    with committed():
        version = _submit(offer, ngo_admin)
    version.refresh_from_db()
    assert version.documents == D.FAILED and version.documents_attempts == tasks.MAX_ATTEMPTS
    assert mailoutbox == [] and not version.offer_pdf
    page = client_for(ngo_admin).get(reverse("grants:receipt", args=[offer.pk, version.number])).content.decode()
    assert "Nie udało się przygotować PDF tej wersji oferty" in page and "hx-trigger" not in page


def test_retries_wait_longer_each_time():
    assert [tasks.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [10, 20, 40, 80]


def test_html_over_the_bound_is_refused_before_layout_and_not_retried(offer, ngo_admin, committed, settings):
    with pytest.raises(PdfTooLarge):
        render_pdf("grants/offer_pdf.html", {"data": {}, "version": None}, max_html_chars=100)
    settings.PDF_MAX_HTML_CHARS = 100  # the receipt, too, is bounded by the general limit
    with committed():
        version = _submit(offer, ngo_admin)
    version.refresh_from_db()
    assert version.documents == D.FAILED and version.documents_attempts == 1


def test_an_offer_with_100_kb_in_every_text_field_is_refused_before_layout(offer, ngo_admin, committed, monkeypatch):
    """Whatever the forms let through, the renderer never spends minutes: such frozen data fails at once."""
    version = _submit(offer, ngo_admin)  # scheduled only: the task runs below, on the enlarged data
    data = version.data
    text = "Zajęcia sportowe dla dzieci. " * 3500  # ≈ 100 kB
    data["III"].update(synopsis=text, results_description=text)
    data["III"]["activities"][0]["description"] = text
    data["IV"].update(previous_activity=text, resources=text)
    OfferVersion.objects.filter(pk=version.pk).update(data=data)
    laid_out = []
    monkeypatch.setattr(pdf, "pdf_from_html", lambda html: laid_out.append(html))
    with pytest.raises(PdfTooLarge):
        tasks.offer_version_documents.call(version.pk)
    version.refresh_from_db()
    assert version.documents == D.FAILED and version.documents_attempts == 1 and laid_out == []


def test_layout_is_stopped_after_the_time_bound(offer, ngo_admin, settings):
    version = _submit(offer, ngo_admin)
    settings.PDF_MAX_SECONDS = 0.001  # the test runs in the main thread, as the worker does
    with pytest.raises(PdfTooLarge):
        tasks.offer_pdf(version)


def test_with_the_database_queue_a_worker_process_does_the_work(
    offer, ngo_admin, mailoutbox, committed, settings, monkeypatch
):
    """The production path: the task is a row in the portal's database until `manage.py db_worker` runs it."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with committed():
        version = _submit(offer, ngo_admin)
    # Submission may queue other work too (the commission's conflict check): this is the documents' task.
    documents_tasks = DBTaskResult.objects.filter(task_path="grants.tasks.offer_version_documents")
    queued = documents_tasks.get()
    assert queued.args_kwargs["args"] == [version.pk]
    assert OfferVersion.objects.get(pk=version.pk).documents == D.PENDING and mailoutbox == []

    # db_worker's own loop, in this process (it would close the test's database connection between tasks).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
    version.refresh_from_db()
    assert version.documents == D.READY and version.offer_pdf and len(mailoutbox) == 1
    assert documents_tasks.get().status == "SUCCESSFUL"


def test_with_the_database_queue_a_failure_is_queued_again_for_later(
    offer, ngo_admin, committed, settings, monkeypatch
):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    def broken(version, extra=None):
        raise OSError("storage unavailable")

    monkeypatch.setattr(tasks, "offer_pdf", broken)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with committed():
        version = _submit(offer, ngo_admin)
    documents_tasks = DBTaskResult.objects.filter(task_path="grants.tasks.offer_version_documents")
    first = documents_tasks.get()
    with pytest.raises(OSError):
        tasks.offer_version_documents.call(version.pk)
    retry = documents_tasks.exclude(pk=first.pk).get()
    assert retry.status == "READY" and retry.run_after > timezone.now()
    assert OfferVersion.objects.get(pk=version.pk).documents_attempts == 1


def test_the_receipt_page_and_its_documents_take_a_fixed_number_of_queries(
    offer, ngo_admin, client_for, committed, django_assert_max_num_queries
):
    from tests.grants.factories import COSTS, fill_offer

    client = client_for(ngo_admin)
    for rows in (1, 10):  # a small and a large offer: the frozen data is one row, whatever its size
        delivery = [dict(COSTS[0], order=n, unit_cost=Decimal(10250) / rows, quantity=1) for n in range(1, rows + 1)]
        fill_offer(offer, ngo_admin, costs=[COSTS[2], *delivery])
        offer.refresh_from_db()
        with committed():
            version = _submit(offer, ngo_admin)
        for name in ("grants:receipt", "grants:receipt-documents", "grants:version-pdf", "grants:receipt-pdf"):
            with django_assert_max_num_queries(9):
                assert client.get(reverse(name, args=[offer.pk, version.number])).status_code == 200
