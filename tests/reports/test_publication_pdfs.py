"""Publishing freezes the page's HTML and the HTML of its PDF, with checksums, in the request; the PDF itself is laid
out by the background worker and the PDF's URL says "PDF w przygotowaniu" until it is there."""

import hashlib

import pytest
from django.test import override_settings
from django.urls import reverse

from reports import publications
from reports.models import AnnualReport, Publication
from tests.accounts.factories import AuthorityStaffFactory
from tests.grants.commission_factories import make_commission, review_call
from tests.helpers import pdf_text, squash
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

QUEUE_ONLY = override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
S = Publication.PdfStatus


def _no_layout_here(html):
    raise AssertionError("the PDF was laid out inside the request")


def test_publishing_the_year_end_report_freezes_the_html_and_leaves_the_pdf_to_the_worker(
    authority, client_for, monkeypatch
):
    programme = ProgrammeFactory(authority=authority, public=True)
    AnnualReport.objects.create(programme=programme, conclusions="Wnioski na przyszły rok.")
    staff = client_for(AuthorityStaffFactory(authority=authority).user)
    with QUEUE_ONLY:
        monkeypatch.setattr(publications, "pdf_from_html", _no_layout_here)
        assert staff.post(reverse("reports:annual-publish", args=[programme.pk])).status_code == 302
        monkeypatch.undo()
        publication = Publication.objects.get(kind=Publication.Kind.ANNUAL_REPORT)
        # Frozen in the request: the page, the PDF's source and both checksums.
        assert publication.pdf_status == S.PENDING and not publication.pdf and not publication.pdf_sha256
        assert hashlib.sha256(publication.read_html().encode()).hexdigest() == publication.html_sha256
        source = publication.pdf_html.read()
        assert hashlib.sha256(source).hexdigest() == publication.pdf_html_sha256
        assert "Wnioski na przyszły rok." in source.decode()
        public = client_for(None)
        page = squash(public.get(reverse("reports:annual", args=[programme.pk])).text)
        assert "Wnioski na przyszły rok." in page and "PDF w przygotowaniu" in page
        pdf_url = reverse("reports:annual-pdf", args=[programme.pk])
        waiting = public.get(pdf_url)
        assert waiting.status_code == 202 and "Przygotowujemy plik PDF" in waiting.text
        assert 'hx-trigger="every 2s"' in waiting.text
        fragment = public.get(pdf_url, headers={"HX-Request": "true"})
        assert fragment.status_code == 200 and "<h1>" not in fragment.text

        assert publications.publication_pdf_make.call(publication.pk) == S.READY
        publication.refresh_from_db()
        ready = public.get(pdf_url, headers={"HX-Request": "true"})
        assert ready.status_code == 204 and ready["HX-Redirect"] == pdf_url
        pdf = public.get(pdf_url)
        assert pdf["Content-Type"] == "application/pdf"
        assert hashlib.sha256(pdf.content).hexdigest() == publication.pdf_sha256 == pdf["X-Content-SHA256"]
        assert "Wnioski na przyszły rok." in pdf_text(pdf.content) and "wersja 1" in pdf_text(pdf.content)
        # Running the task again changes nothing (a second worker, a retry).
        assert publications.publication_pdf_make.call(publication.pk) == S.READY
        assert Publication.objects.get(pk=publication.pk).pdf_sha256 == publication.pdf_sha256
        assert "PDF w przygotowaniu" not in public.get(reverse("reports:annual", args=[programme.pk])).text


def test_the_signed_protocol_is_frozen_at_once_and_its_pdf_waits_for_the_worker(client_for, monkeypatch):
    call = review_call(offers=2)
    commission, members = make_commission(call)
    decider = AuthorityStaffFactory(authority=call.authority, can_decide=True).user
    with QUEUE_ONLY:
        monkeypatch.setattr(publications, "pdf_from_html", _no_layout_here)
        publication = publications.publication_publish(actor=decider, document=commission)
        monkeypatch.undo()
        assert publication.pdf_status == S.PENDING and publication.pdf_html_sha256
        staff = client_for(decider)
        url = reverse("grants:commission-protocol-pdf", args=[call.pk])
        assert staff.get(url).status_code == 202
        publications.publication_pdf_make.call(publication.pk)
        pdf = staff.get(url)
        assert pdf.status_code == 200 and f"konkurs nr {call.number}" in squash(pdf_text(pdf.content))


def test_a_failed_layout_is_retried_then_the_page_says_it_failed(authority, client_for, monkeypatch):
    programme = ProgrammeFactory(authority=authority, public=True)
    publisher = AuthorityStaffFactory(authority=authority).user

    def broken(html):
        raise OSError("storage unavailable")

    monkeypatch.setattr(publications, "pdf_from_html", broken)
    with QUEUE_ONLY:
        publication = publications.publication_publish(actor=publisher, document=programme)
        for _ in range(publications.PDF_MAX_ATTEMPTS):
            publications.publication_pdf_make.call(publication.pk)
        publication.refresh_from_db()
        assert publication.pdf_status == S.FAILED and publication.pdf_attempts == publications.PDF_MAX_ATTEMPTS
        page = client_for(None).get(reverse("programmes:pdf", args=[programme.pk]))
        assert "Nie udało się przygotować pliku PDF" in page.text
    # Published versions stay intact: the page body is served whatever happened to the PDF.
    assert publication.read_html()
