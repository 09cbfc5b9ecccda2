"""The one PDF helper: every PDF in the portal is rendered here, from a template, with WeasyPrint.

Only the project's own static files (and ``data:`` URLs) can be loaded while rendering: any other URL a
template or user-typed text might contain is refused, so a PDF cannot be used to read local files or to make
requests from the server (WeasyPrint SSRF).

Rendering is bounded, so no user-typed text can make a PDF take minutes: the HTML is refused above a size
(``PDF_MAX_HTML_CHARS``), and where a timer can interrupt the work (the main thread: the task worker, a management
command) layout is stopped after ``PDF_MAX_SECONDS``. The form fields have their own maximum lengths; these are
the last line of defence.

Python's cyclic garbage collector is paused while WeasyPrint works (``collector_paused``): layout builds a tree of a
few million objects that all live until the PDF is written, and each collection only walks them again (a fifth of
the year-end report's layout time). Reference counting still frees what layout drops; measured, the peak memory of
the year-end report is the same.
"""

import gc
import mimetypes
import signal
import threading
from contextlib import contextmanager

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A base URL that cannot resolve anywhere: relative links in PDFs point here and only the fetcher answers.
PDF_BASE_URL = "https://pdf.invalid/"


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = PDF_BASE_URL.rstrip("/") + settings.STATIC_URL
        if url.startswith(prefix):
            relative = url[len(prefix) :].split("?")[0].split("#")[0]
            if ".." not in relative.split("/"):
                path = finders.find(relative)
                if path:
                    with open(path, "rb") as handle:
                        body = handle.read()
                    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body, {"Content-Type": mime})
        raise ValueError(f"PDF rendering may only load the portal's static files, not {url!r}")


class PdfTooLarge(Exception):
    """The document is larger, or takes longer, than a PDF may."""


@contextmanager
def _time_limit(seconds: float):
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield  # only the main thread can be interrupted by a timer; web threads rely on the size limit
        return

    def stop(signum, frame):
        raise PdfTooLarge(f"PDF rendering stopped after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_collector_lock = threading.Lock()
_collector_users = 0
_collector_was_enabled = True


@contextmanager
def collector_paused():
    """The cyclic garbage collector off while any thread lays out a PDF, back as it was when the last one ends."""
    global _collector_users, _collector_was_enabled
    with _collector_lock:
        if _collector_users == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_users += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_users -= 1
            if _collector_users == 0 and _collector_was_enabled:
                gc.enable()


def pdf_html(template: str, context: dict, *, max_html_chars: int | None = None) -> str:
    """The HTML a PDF is laid out from (cheap), refused above the size bound."""
    html = render_to_string(template, context)
    limit = max_html_chars or settings.PDF_MAX_HTML_CHARS
    if len(html) > limit:
        raise PdfTooLarge(f"{template}: {len(html)} characters of HTML, more than {limit}")
    return html


def pdf_from_html(html: str) -> bytes:
    """Lay the HTML out as a PDF (the expensive part), stopped after PDF_MAX_SECONDS where a timer can."""
    with _time_limit(settings.PDF_MAX_SECONDS), collector_paused():
        return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


def render_pdf(template: str, context: dict, *, max_html_chars: int | None = None) -> bytes:
    return pdf_from_html(pdf_html(template, context, max_html_chars=max_html_chars))


def pdf_response(template: str, context: dict, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
