"""The one PDF helper: every PDF in the portal is rendered here, from a template, with WeasyPrint.

Only the project's own static files (and ``data:`` URLs) can be loaded while rendering: any other URL a
template or user-typed text might contain is refused, so a PDF cannot be used to read local files or to make
requests from the server (WeasyPrint SSRF).
"""

import mimetypes

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


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


def pdf_response(template: str, context: dict, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
