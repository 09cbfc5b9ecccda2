"""The portal's seal on the documents it issues, and the public page that checks a document."""

import subprocess
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from grants.signatures.seal import seal_pdf
from reports.pdf import render_pdf
from tests.helpers import pdf_text

from . import pki
from .conftest import issue_offer_document

pytestmark = pytest.mark.django_db
URL = "signatures:verify"


def _upload(client, data: bytes):
    return client.post(reverse(URL), {"pdf": SimpleUploadedFile("dokument.pdf", data, "application/pdf")})


def test_with_a_key_documents_are_sealed_and_pdfsig_lists_the_seal(offer, seal_key, tmp_path):
    document = issue_offer_document(offer)
    data = document.read()
    assert document.sealed and "Pieczęć testowa portalu" in document.sealed_by
    signatures = PdfFileReader(BytesIO(data)).embedded_signatures
    assert [s.field_name for s in signatures] == ["PieczecPortalu"]
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    listing = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature #1" in listing and "Signature Validation: Signature is Valid." in listing
    assert document.number in pdf_text(data) and "opatrzony pieczęcią elektroniczną portalu" in pdf_text(data)


def test_without_a_key_documents_are_unsealed_and_say_so(offer):
    document = issue_offer_document(offer)
    assert not document.sealed
    assert PdfFileReader(BytesIO(document.read())).embedded_signatures == []
    assert "bez pieczęci elektronicznej" in pdf_text(document.read())


def test_the_page_recognises_an_issued_file_its_version_and_a_newer_one(offer, seal_key, client):
    first = issue_offer_document(offer)
    page = _upload(client, first.read()).content.decode()
    assert "Dokument wydany przez portal, niezmieniony" in page and first.number in page and "(aktualna)" in page
    second = issue_offer_document(offer)
    page = _upload(client, first.read()).content.decode()
    assert "jest nowsza wersja 2" in page
    by_number = client.post(reverse(URL), {"number": second.number.lower(), "checksum": second.sha256}).content.decode()
    assert "Dokument wydany przez portal, niezmieniony" in by_number
    wrong = client.post(reverse(URL), {"number": second.number, "checksum": first.sha256}).content.decode()
    assert "Suma kontrolna się nie zgadza" in wrong


def test_a_changed_copy_and_a_foreign_file_are_told_apart(offer, seal_key, anna, client):
    document = issue_offer_document(offer)
    data = document.read()
    position = data.index(b"endstream") - 3
    changed = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]
    page = _upload(client, changed).content.decode()
    assert "Dokument zmieniony po wydaniu" in page and "Pieczęć portalu nie zgadza się z treścią" in page
    signed = pki.sign_pades(data, anna)
    page = _upload(client, signed).content.decode()
    assert "z późniejszymi podpisami" in page and document.number in page
    # A PDF sealed with the same key that the portal never issued (no number in its seal, not in the register).
    foreign = seal_pdf(render_pdf("pdf/base.html", {}), reason="Inny dokument")
    assert "Portal nie wydał tego pliku" in _upload(client, foreign).content.decode()


def test_the_form_asks_for_a_file_or_both_number_and_checksum(client):
    page = client.post(reverse(URL), {"number": "DOK-2026-000001"}).content.decode()
    assert "Podaj sumę kontrolną dokumentu" in page
    page = client.post(reverse(URL), {"checksum": "xyz"}).content.decode()
    assert "64 znaki" in page
    page = _upload(client, b"not a pdf").content.decode()
    assert "To nie jest plik PDF." in page


def test_the_page_is_size_and_rate_limited(client, settings):
    settings.SIGNED_UPLOAD_MAX_BYTES = 1000
    page = _upload(client, b"%PDF-1.7\n" + b"x" * 2000).content.decode()
    assert "plik jest za duży" in page
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "document-verify": (2, 3600)}
    for _ in range(2):
        assert client.post(reverse(URL), {"number": "DOK-2026-000001", "checksum": "a" * 64}).status_code == 200
    assert client.post(reverse(URL), {"number": "DOK-2026-000001", "checksum": "a" * 64}).status_code == 429
