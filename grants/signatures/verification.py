"""Verifying a signed copy of a document the portal issued: PAdES (a signed PDF), XAdES (.xml, the PDF enveloped in
the signature or detached beside it) and CAdES (.p7s, detached). pyHanko and pyhanko-certvalidator check PDF and
CMS signatures and certificate chains, signxml checks XML signatures; nothing here computes a signature itself.

What is established, for each signature:
- integrity: the signature is mathematically valid and covers the whole signed file (a PDF changed after signing,
  or a signature over part of it, is refused);
- sameness: the signed content is byte for byte the document the portal issued (its SHA-256), not another text —
  for a PDF signed in place, the issued bytes are the first part of the file and the signatures are appended;
- who signed: the name and, where the certificate carries it (serialNumber "PNOPL-…"), the PESEL; the signing time
  (a timestamp token's, else the time the signer's software states); the certificate's issuer and whether it was
  valid at that time;
- trust: the chain against the trust store the installation configures (``SIGNATURE_TRUST_DIR``); without one the
  result says the chain was not checked, never that it is valid.
"""

import asyncio
import base64
import binascii
import contextlib
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from asn1crypto import cms, pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils import timezone
from lxml import etree
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from signxml import InvalidInput, InvalidSignature
from signxml.exceptions import InvalidCertificate, InvalidDigest
from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier

from .seal import SEAL_FIELD

logger = logging.getLogger(__name__)

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
PESEL_PREFIX = "PNOPL-"
# Qualified signatures carry non-repudiation; trusted-profile and e-ID signing certificates carry digital signature.
KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False)


@dataclass
class SignerInfo:
    name: str
    pesel: str = ""
    signing_time: str = ""  # ISO 8601
    signed_local: str = ""  # as people read it: 02.12.2026, 14:05 (Polish time)
    time_source: str = ""  # "znacznik czasu" or "deklarowany przez podpisującego"
    issuer: str = ""
    valid_from: str = ""
    valid_to: str = ""
    valid_at_signing: bool = False
    trusted: bool | None = None  # None: no trust store configured
    self_signed: bool = False

    @property
    def when(self) -> datetime | None:
        return datetime.fromisoformat(self.signing_time) if self.signing_time else None


@dataclass
class Verification:
    format: str
    signers: list[SignerInfo] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    trust_checked: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.signers)

    @property
    def trusted(self) -> bool:
        return self.trust_checked and bool(self.signers) and all(s.trusted for s in self.signers)

    def signers_json(self) -> list[dict]:
        return [asdict(s) for s in self.signers]


# -- trust ----------------------------------------------------------------------------------------------------------


def trust_roots() -> list[asn1_x509.Certificate] | None:
    """The trusted CA certificates of ``SIGNATURE_TRUST_DIR`` (PEM or DER files), or ``None`` when none is set."""
    directory = getattr(settings, "SIGNATURE_TRUST_DIR", "")
    if not directory or not Path(directory).is_dir():
        return None
    roots = []
    for path in sorted(Path(directory).iterdir()):
        if not path.is_file():
            continue
        data = path.read_bytes()
        try:
            if pem.detect(data):
                roots.extend(asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True))
            else:
                roots.append(asn1_x509.Certificate.load(data))
        except (ValueError, TypeError):
            logger.warning("Trust store: %s is not a certificate", path)
    return roots


def validation_context(moment: datetime | None = None, other_certs=()) -> tuple[ValidationContext, bool]:
    """A context with the configured trust roots (and whether there are any). No fetching of anything: revocation
    data is used when the signature carries it."""
    roots = trust_roots()
    context = ValidationContext(
        trust_roots=roots or [],
        other_certs=list(other_certs),
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=moment,
    )
    return context, roots is not None


# -- the signer -----------------------------------------------------------------------------------------------------


def _name(cert: asn1_x509.Certificate) -> str:
    subject = cert.subject.native
    given, surname = subject.get("given_name", ""), subject.get("surname", "")
    if given and surname:
        return f"{given} {surname}"
    return subject.get("common_name") or cert.subject.human_friendly


def _pesel(cert: asn1_x509.Certificate) -> str:
    serial = cert.subject.native.get("serial_number", "")
    return serial[len(PESEL_PREFIX) :] if isinstance(serial, str) and serial.startswith(PESEL_PREFIX) else ""


def dn_label(name: asn1_x509.Name) -> str:
    """A certificate name as people read it: "Common name (Organisation)", not the whole distinguished name."""
    fields = name.native
    common, organisation = fields.get("common_name", ""), fields.get("organization_name", "")
    if isinstance(common, list):
        common = ", ".join(common)
    if not common:
        return name.human_friendly
    return f"{common} ({organisation})" if organisation and organisation not in common else common


def signer_info(cert: asn1_x509.Certificate, signing_time: datetime | None, *, stamped: bool) -> SignerInfo:
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    uploaded = timezone.now()
    moment = signing_time or uploaded
    valid = not_before <= moment <= not_after
    if not stamped:
        # A time the signer's software states proves nothing: without a timestamp token the certificate must also
        # still have been valid when the copy reached the portal.
        valid = valid and uploaded <= not_after
    return SignerInfo(
        name=_name(cert),
        pesel=_pesel(cert),
        signing_time=moment.astimezone(UTC).isoformat(),
        signed_local=f"{timezone.localtime(moment):%d.%m.%Y, %H:%M}",
        time_source="znacznik czasu" if stamped else "deklarowany przez podpisującego",
        issuer=dn_label(cert.issuer),
        valid_from=not_before.isoformat(),
        valid_to=not_after.isoformat(),
        valid_at_signing=valid,
        self_signed=cert.self_signed != "no",
    )


def _validity_problem(info: SignerInfo) -> list[str]:
    if info.valid_at_signing:
        return []
    return [
        f"Certyfikat osoby podpisującej ({info.name}) nie był ważny w chwili podpisu "
        f"(ważny od {info.valid_from[:10]} do {info.valid_to[:10]})."
    ]


def _trust(info: SignerInfo, trusted: bool, checked: bool) -> None:
    info.trusted = trusted if checked else None


# -- PAdES ----------------------------------------------------------------------------------------------------------


def verify_pades(data: bytes, original: bytes) -> Verification:
    result = Verification(format="pades")
    if not data.startswith(original):
        result.problems.append(
            "Podpisany plik nie zawiera dokumentu wydanego przez portal w niezmienionej postaci: podpisano inną "
            "treść albo plik zapisano na nowo (np. „drukuj do PDF”). Podpisz pobrany plik bez zmian."
        )
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as error:  # a damaged or non-PDF file
        logger.info("PAdES: unreadable PDF: %r", error)
        result.problems.append("Pliku nie da się odczytać jako PDF.")
        return result
    signatures = [sig for sig in embedded if sig.field_name != SEAL_FIELD and sig.byte_range[-2] >= len(original)]
    if not signatures:
        result.problems.append("Plik nie zawiera podpisu elektronicznego złożonego po wydaniu dokumentu.")
        return result
    context, checked = validation_context()
    result.trust_checked = checked
    for index, sig in enumerate(signatures):
        last = index == len(signatures) - 1
        try:
            status = validate_pdf_signature(sig, context, key_usage_settings=KEY_USAGE)
        except Exception as error:
            logger.info("PAdES: validation failed: %r", error)
            result.problems.append("Podpisu nie da się sprawdzić: plik jest uszkodzony albo podpis ma nieznany format.")
            continue
        stamped = status.timestamp_validity is not None and status.timestamp_validity.intact
        when = status.timestamp_validity.timestamp if stamped else status.signer_reported_dt
        info = signer_info(status.signing_cert, when, stamped=stamped)
        _trust(info, bool(status.trusted), checked)
        result.signers.append(info)
        if not (status.intact and status.valid):
            result.problems.append(f"Podpis ({info.name}) nie zgadza się z treścią: dokument zmieniono po podpisaniu.")
            continue
        coverage_needed = SignatureCoverageLevel.ENTIRE_FILE if last else SignatureCoverageLevel.ENTIRE_REVISION
        modified = status.modification_level is not None and status.modification_level > ModificationLevel.FORM_FILLING
        if status.coverage is None or status.coverage < coverage_needed or modified:
            result.problems.append(
                f"Podpis ({info.name}) nie obejmuje całego dokumentu: po podpisaniu dodano lub zmieniono treść."
            )
        result.problems.extend(_validity_problem(info))
    return result


# -- CAdES ----------------------------------------------------------------------------------------------------------


def _load_cms(data: bytes) -> cms.ContentInfo:
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    elif not data.startswith(b"\x30"):
        with contextlib.suppress(binascii.Error):  # some tools save the .p7s as base64 text
            data = base64.b64decode(data, validate=False)
    info = cms.ContentInfo.load(data)
    if info["content_type"].native != "signed_data":
        raise ValueError("not SignedData")
    info["content"]["signer_infos"].native  # noqa: B018 (parses it: a broken structure raises here)
    return info


def verify_cades(data: bytes, original: bytes, content: bytes | None) -> Verification:
    result = Verification(format="cades")
    if content is not None and content != original:
        result.problems.append("Dołączony plik PDF różni się od dokumentu wydanego przez portal: podpisano inną treść.")
    try:
        signed_data = _load_cms(data)["content"]
    except Exception as error:
        logger.info("CAdES: unreadable: %r", error)
        result.problems.append("Pliku .p7s nie da się odczytać jako podpisu CAdES.")
        return result
    if signed_data["encap_content_info"]["content"].native is not None:
        result.problems.append("To podpis z treścią w środku (otaczający); prześlij podpis zewnętrzny (.p7s) do PDF.")
        return result
    context, checked = validation_context()
    result.trust_checked = checked
    try:
        status = asyncio.run(
            async_validate_detached_cms(
                original, signed_data, signer_validation_context=context, key_usage_settings=KEY_USAGE
            )
        )
    except Exception as error:
        logger.info("CAdES: validation failed: %r", error)
        result.problems.append("Podpisu nie da się sprawdzić: plik .p7s jest uszkodzony.")
        return result
    stamped = status.timestamp_validity is not None and status.timestamp_validity.intact
    when = status.timestamp_validity.timestamp if stamped else status.signer_reported_dt
    info = signer_info(status.signing_cert, when, stamped=stamped)
    _trust(info, bool(status.trusted), checked)
    result.signers.append(info)
    if not (status.intact and status.valid):
        result.problems.append(
            f"Podpis ({info.name}) nie dotyczy dokumentu wydanego przez portal: podpisano inną treść "
            "albo plik zmieniono po podpisaniu."
        )
    result.problems.extend(_validity_problem(info))
    return result


# -- XAdES ----------------------------------------------------------------------------------------------------------


def _xml_certs(root) -> list[asn1_x509.Certificate]:
    certs = []
    for node in root.iter(f"{{{DS}}}X509Certificate"):
        try:
            certs.append(asn1_x509.Certificate.load(base64.b64decode("".join(node.text.split()))))
        except (ValueError, TypeError, binascii.Error):
            continue
    return certs


def _signing_time(root) -> datetime | None:
    node = root.find(f".//{{{XADES}}}SigningTime")
    if node is None or not (node.text or "").strip():
        return None
    try:
        moment = datetime.fromisoformat(node.text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _signed_pdf_bytes(results) -> list[bytes]:
    """What the data references signed, as bytes: a detached file, or a PDF carried in base64 in the signature."""
    found = []
    for item in results:
        if item.signed_xml is not None and item.signed_xml.tag in (f"{{{XADES}}}SignedProperties", f"{{{DS}}}KeyInfo"):
            continue
        if item.signed_xml is None:  # a detached reference to a file: its bytes were digested as they are
            found.append(item.signed_data)
            continue
        text = "".join(item.signed_xml.itertext()).strip()
        try:
            found.append(base64.b64decode("".join(text.split()), validate=True))
        except (binascii.Error, ValueError):
            found.append(item.signed_data)
    return found


def verify_xades(data: bytes, original: bytes, content: bytes | None) -> Verification:
    result = Verification(format="xades")
    if content is not None and content != original:
        result.problems.append("Dołączony plik PDF różni się od dokumentu wydanego przez portal: podpisano inną treść.")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        result.problems.append("Pliku nie da się odczytać jako XML.")
        return result
    certs = _xml_certs(root)
    if not certs:
        result.problems.append("Podpis XAdES nie zawiera certyfikatu osoby podpisującej.")
        return result
    detached = content if content is not None else original

    def resolve(uri: str) -> bytes:
        return detached  # the one file a detached signature here may refer to: the document itself

    signer_cert = certs[0]
    try:
        results = XAdESVerifier().verify(
            data,
            x509_cert=_pem(signer_cert),
            uri_resolver=resolve,
            expect_config=XAdESSignatureConfiguration(expect_references=True),
        )
    except (InvalidSignature, InvalidDigest, InvalidCertificate, InvalidInput) as error:
        logger.info("XAdES: invalid: %r", error)
        when = _signing_time(root)
        result.signers.append(signer_info(signer_cert, when, stamped=False))
        result.problems.append(
            f"Podpis XAdES ({result.signers[0].name}) jest nieprawidłowy: podpisana treść lub podpis zostały zmienione."
        )
        return result
    except Exception as error:
        logger.info("XAdES: unreadable: %r", error)
        result.problems.append("Podpisu XAdES nie da się sprawdzić: plik ma nieznaną budowę.")
        return result
    info = signer_info(signer_cert, _signing_time(root), stamped=False)
    result.signers.append(info)
    signed = _signed_pdf_bytes(results)
    if original not in signed:
        result.problems.append(
            f"Podpis ({info.name}) obejmuje inną treść niż dokument wydany przez portal "
            "(suma kontrolna się nie zgadza)."
        )
    checked = _check_chain(signer_cert, certs[1:], info)
    result.trust_checked = checked
    result.problems.extend(_validity_problem(info))
    return result


def _pem(cert: asn1_x509.Certificate) -> str:
    return pem.armor("CERTIFICATE", cert.dump()).decode()


def _check_chain(cert: asn1_x509.Certificate, intermediates, info: SignerInfo) -> bool:
    context, checked = validation_context(moment=info.when, other_certs=intermediates)
    if not checked:
        return False
    validator = CertificateValidator(cert, intermediate_certs=list(intermediates), validation_context=context)
    try:
        asyncio.run(validator.async_validate_usage(set(), extended_key_usage=None))
        info.trusted = True
    except Exception as error:
        logger.info("XAdES: chain not trusted: %r", error)
        info.trusted = False
    return True


def verify(fmt: str, data: bytes, original: bytes, content: bytes | None = None) -> Verification:
    """Verify a signed copy of ``original`` (the issued document's bytes) in the given format."""
    if fmt == "pades":
        return verify_pades(data, original)
    if fmt == "xades":
        return verify_xades(data, original, content)
    if fmt == "cades":
        return verify_cades(data, original, content)
    raise ValueError(fmt)


def sniff_format(data: bytes) -> str | None:
    """The format of an uploaded signature file, from its content (never from its name)."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pades"
    if head.startswith(b"<"):
        return "xades"
    if head.startswith(b"\x30") or head.startswith(b"-----BEGIN") or head[:4] in (b"MIAG", b"MIIG", b"MIIH"):
        return "cades"
    try:
        _load_cms(data)
        return "cades"
    except Exception:
        return None
