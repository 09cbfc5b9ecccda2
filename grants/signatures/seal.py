"""The portal's electronic seal on the PDFs it issues (PAdES, with pyHanko).

The key is a PKCS#12 file the installation configures (``PDF_SEAL_PKCS12_PATH`` and ``PDF_SEAL_PKCS12_PASSWORD``):
the authority's qualified electronic seal, or a seal of the installation. With ``PDF_SEAL_TSA_URL`` the signature
also carries an RFC 3161 timestamp (PAdES B-T). Without a key, documents are issued unsealed and say so; their
checksum can still be checked on the public verification page.
"""

import logging
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps

logger = logging.getLogger(__name__)

SEAL_FIELD = "PieczecPortalu"


@dataclass(frozen=True)
class SealInfo:
    holder: str  # the seal's subject, as the certificate names it
    issuer: str


class SealNotConfigured(Exception):
    """No key is configured: documents are issued unsealed."""


def seal_configured() -> bool:
    path = getattr(settings, "PDF_SEAL_PKCS12_PATH", "")
    return bool(path) and Path(path).is_file()


@lru_cache(maxsize=4)
def _signer(path: str, password: str, mtime: float) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode() if password else None)
    if signer is None:
        raise SealNotConfigured(f"Nie można odczytać klucza pieczęci z {path} (złe hasło lub plik).")
    return signer


def seal_signer() -> signers.SimpleSigner:
    if not seal_configured():
        raise SealNotConfigured("Nie skonfigurowano klucza pieczęci (PDF_SEAL_PKCS12_PATH).")
    path = settings.PDF_SEAL_PKCS12_PATH
    return _signer(path, settings.PDF_SEAL_PKCS12_PASSWORD, Path(path).stat().st_mtime)


def seal_info() -> SealInfo | None:
    """Whose seal the portal's documents carry, or ``None`` when they are issued unsealed."""
    if not seal_configured():
        return None
    from .verification import dn_label

    cert = seal_signer().signing_cert
    return SealInfo(holder=dn_label(cert.subject), issuer=dn_label(cert.issuer))


def seal_pdf(pdf: bytes, *, reason: str) -> bytes:
    """``pdf`` with the portal's PAdES seal appended as an incremental update (the original bytes stay a prefix)."""
    signer = seal_signer()
    timestamper = None
    if getattr(settings, "PDF_SEAL_TSA_URL", ""):
        timestamper = timestamps.HTTPTimeStamper(settings.PDF_SEAL_TSA_URL, timeout=10)
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=reason[:200],
        location=getattr(settings, "PDF_SEAL_LOCATION", "") or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    out = signers.sign_pdf(writer, meta, signer=signer, timestamper=timestamper)
    return out.getvalue()
