"""Heavy PDFs are laid out by the background worker and then served from storage (reports/rendering.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, override_settings

from reports import rendering
from reports.models import RenderedPdf
from tests.helpers import pdf_text

pytestmark = pytest.mark.django_db

QUEUE_ONLY = override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
TEMPLATE = "reports/test_rendering_pdf.html"


@pytest.fixture(autouse=True)
def template(settings, tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / TEMPLATE).write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1>{{ heading }}</h1>{% endblock %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]


def _get(heading: str, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    request = RequestFactory().get("/dokument.pdf", headers=headers)
    request.user = AnonymousUser()
    return rendering.pdf_when_ready(request, TEMPLATE, {"heading": heading}, "dokument.pdf")


def test_the_request_queues_the_layout_and_shows_a_page_that_waits_for_it():
    with QUEUE_ONLY:
        response = _get("Protokół")
        assert response.status_code == 202
        page = response.content.decode()
        assert "Przygotowujemy plik PDF" in page and 'hx-trigger="every 2s"' in page
        document = RenderedPdf.objects.get()
        assert document.status == RenderedPdf.Status.PENDING and not document.pdf
        # Asking again while it is being made queues nothing new; htmx gets the status fragment only.
        fragment = _get("Protokół", htmx=True)
        assert fragment.status_code == 200 and "<h1>" not in fragment.content.decode()
        assert RenderedPdf.objects.count() == 1

        assert rendering.rendered_pdf_make.call(document.pk) == RenderedPdf.Status.READY
        ready = _get("Protokół", htmx=True)
        assert ready.status_code == 204 and ready["HX-Redirect"] == "/dokument.pdf"
        pdf = _get("Protokół")
        assert pdf["Content-Type"] == "application/pdf" and "Protokół" in pdf_text(pdf.content)
        assert RenderedPdf.objects.count() == 1


def test_changed_data_is_new_html_and_never_gets_the_old_pdf():
    first = _get("Wersja pierwsza")  # tests run tasks at once: the PDF comes back in the same request
    second = _get("Wersja druga")
    assert "Wersja pierwsza" in pdf_text(first.content) and "Wersja druga" in pdf_text(second.content)
    assert RenderedPdf.objects.count() == 2


def test_a_failed_layout_says_so_and_is_tried_again_when_asked(monkeypatch):
    def broken(html):
        raise OSError("storage unavailable")

    monkeypatch.setattr(rendering, "pdf_from_html", broken)
    page = _get("Sprawozdanie").content.decode()
    document = RenderedPdf.objects.get()
    assert document.status == RenderedPdf.Status.FAILED and document.attempts == 1
    assert "Nie udało się przygotować pliku PDF" in page
    monkeypatch.undo()
    response = _get("Sprawozdanie")
    document.refresh_from_db()
    assert document.status == RenderedPdf.Status.READY and document.attempts == 1
    assert "Sprawozdanie" in pdf_text(response.content)


def test_html_over_the_bound_is_refused_without_queueing(settings):
    settings.PDF_MAX_HTML_CHARS = 50
    response = _get("Bardzo długi dokument")
    assert response.status_code == 413 and "Nie udało się przygotować pliku PDF" in response.content.decode()
    assert not RenderedPdf.objects.exists()


def test_old_background_pdfs_are_pruned_with_their_files():
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    _get("Stary")
    old = RenderedPdf.objects.get()
    RenderedPdf.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    _get("Nowy")
    new = RenderedPdf.objects.exclude(pk=old.pk).get()
    call_command("prune_rendered_pdfs", days=30, stdout=io.StringIO())
    assert list(RenderedPdf.objects.values_list("pk", flat=True)) == [new.pk]
    assert not old.pdf.storage.exists(old.pdf.name) and not old.html.storage.exists(old.html.name)
    assert new.pdf.storage.exists(new.pdf.name)
