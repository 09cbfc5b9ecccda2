"""Serving stored PDFs: streamed from the file storage (local disk or a private bucket) after the view's own
permission check, never by a storage URL."""

from django.http import FileResponse, HttpResponse

from ..models import OfferVersion
from ..tasks import offer_pdf


def stored_pdf_response(field_file, filename: str, inline: bool = True) -> FileResponse:
    return FileResponse(
        field_file.open("rb"), as_attachment=not inline, filename=filename, content_type="application/pdf"
    )


def version_pdf_response(version: OfferVersion) -> HttpResponse:
    """The offer PDF of a version: the stored file, or (bulk-loaded demo versions) laid out from the frozen data."""
    filename = f"oferta-{version.receipt_number.replace('/', '-')}.pdf"
    if version.offer_pdf:
        return stored_pdf_response(version.offer_pdf, filename)
    response = HttpResponse(offer_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
