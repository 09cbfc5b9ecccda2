"""The public check of a document: is this the PDF the portal issued, which version, and was it changed since?

Anyone may upload a PDF or type a document's number and checksum. The answer comes from the register of issued
documents (``IssuedDocument``: the SHA-256 of the bytes handed out) and, for a PDF that is not byte for byte one of
them, from the portal's seal inside it (pyHanko): a copy carrying our seal whose number is known but whose bytes differ
was changed after issue, or has later additions (an organisation's signatures) after the issued bytes.
"""

import contextlib
import hashlib
import logging
import re
from dataclasses import dataclass, field
from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from .models import IssuedDocument
from .seal import SEAL_FIELD
from .verification import validation_context

logger = logging.getLogger(__name__)
NUMBER = re.compile(r"DOK-\d{4}-\d{6,}")


@dataclass
class CheckResult:
    outcome: str  # "issued", "changed", "extended", "unknown", "mismatch", "no_number"
    document: IssuedDocument | None = None
    newer: IssuedDocument | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def positive(self) -> bool:
        return self.outcome in ("issued", "extended")


def _newer(document: IssuedDocument) -> IssuedDocument | None:
    latest = IssuedDocument.objects.latest_of(document.kind, document.object_id)
    return latest if latest and latest.version > document.version else None


def _stored_intact(document: IssuedDocument) -> bool:
    try:
        return hashlib.sha256(document.read()).hexdigest() == document.sha256
    except (OSError, ValueError):
        return False


def _found(document: IssuedDocument, outcome: str = "issued") -> CheckResult:
    result = CheckResult(outcome, document, _newer(document))
    if not _stored_intact(document):
        result.notes.append("Kopia przechowywana w portalu nie zgadza się z rejestrem – zgłoś to urzędowi.")
    return result


def check_number(number: str, checksum: str) -> CheckResult:
    number, checksum = number.strip().upper(), checksum.strip().lower()
    document = IssuedDocument.objects.filter(number=number, status=IssuedDocument.Status.READY).first()
    if document is None:
        return CheckResult("no_number")
    if document.sha256 != checksum:
        return CheckResult("mismatch", document, _newer(document))
    return _found(document)


def _seal_numbers(data: bytes) -> tuple[list[str], list]:
    """Document numbers named by the portal's seals in the PDF, and the seals themselves."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        seals = [sig for sig in reader.embedded_signatures if sig.field_name == SEAL_FIELD]
    except Exception as error:
        logger.info("Verification page: unreadable PDF: %r", error)
        return [], []
    numbers = []
    for sig in seals:
        reason = str(sig.sig_object.get("/Reason", ""))
        numbers.extend(NUMBER.findall(reason))
    return numbers, seals


def check_pdf(data: bytes) -> CheckResult:
    digest = hashlib.sha256(data).hexdigest()
    document = (
        IssuedDocument.objects.filter(sha256=digest, status=IssuedDocument.Status.READY).order_by("-version").first()
    )
    if document is not None:
        return _found(document)
    numbers, seals = _seal_numbers(data)
    document = IssuedDocument.objects.filter(number__in=numbers).first() if numbers else None
    if document is None:
        return CheckResult("unknown")
    original = b""
    with contextlib.suppress(OSError, ValueError):
        original = document.read()
    if original and data.startswith(original):
        result = _found(document, "extended")
        result.notes.append(
            "Plik zawiera wydany dokument bez zmian, a po nim dodano później podpisy lub inne zmiany (np. podpis "
            "organizacji)."
        )
        return result
    result = CheckResult("changed", document, _newer(document))
    context, _checked = validation_context()
    for sig in seals:
        try:
            status = validate_pdf_signature(sig, context)
        except Exception:
            result.notes.append("Pieczęci portalu w tym pliku nie da się sprawdzić.")
            continue
        if not status.intact:
            result.notes.append("Pieczęć portalu nie zgadza się z treścią: treść zmieniono po wydaniu.")
    return result
