"""A test PKI made with the cryptography library: CAs for qualified-style and trusted-profile-style certificates, a
self-signed personal certificate, and signing "as the signing tool would" with pyHanko (PAdES, CAdES) and signxml
(XAdES). Nothing here is hand-written cryptography."""

import asyncio
import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from lxml import etree
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from signxml import methods
from signxml.xades import XAdESSigner

NOW = datetime.now(UTC)


def _key():
    return ec.generate_private_key(ec.SECP256R1())


def _usage(*, ca: bool, non_repudiation: bool = True) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=non_repudiation and not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass
class Identity:
    key: object
    cert: x509.Certificate
    chain: tuple = ()

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def pkcs12(self) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"signer", self.key, self.cert, list(self.chain) or None, serialization.NoEncryption()
        )

    def pdf_signer(self) -> signers.SimpleSigner:
        return signers.SimpleSigner.load_pkcs12_data(self.pkcs12(), other_certs=[])


def make_ca(name: str) -> Identity:
    key = _key()
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "PL"), x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=3650))
        .not_valid_after(NOW + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Identity(key, cert)


def make_person(
    given: str,
    surname: str,
    *,
    issuer: Identity | None,
    pesel: str = "",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    non_repudiation: bool = True,
) -> Identity:
    """A personal certificate: issued by ``issuer`` (a test CA), or self-signed when ``issuer`` is None."""
    key = _key()
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "PL"),
        x509.NameAttribute(NameOID.GIVEN_NAME, given),
        x509.NameAttribute(NameOID.SURNAME, surname),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{given} {surname}"),
    ]
    if pesel:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, f"PNOPL-{pesel}"))
    subject = x509.Name(attributes)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - timedelta(days=30))
        .not_valid_after(not_after or NOW + timedelta(days=700))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False, non_repudiation=non_repudiation), critical=True)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.cert.public_key()), critical=False
        )
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    return Identity(key, cert, (issuer.cert,) if issuer else ())


def sign_pades(pdf: bytes, who: Identity, *, field: str | None = None) -> bytes:
    """Append a PAdES signature as an incremental update, as a signing application does."""
    meta = signers.PdfSignatureMetadata(
        field_name=field or f"Podpis-{who.cert.serial_number % 100000}",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    return signers.sign_pdf(writer, meta, signer=who.pdf_signer()).getvalue()


def sign_cades(pdf: bytes, who: Identity) -> bytes:
    """A detached CAdES signature (.p7s) of the PDF's bytes."""
    signed = asyncio.run(who.pdf_signer().async_sign_general_data(pdf, "sha256", detached=True, use_cades=True))
    return signed.dump()


def _xades_signer(method) -> XAdESSigner:
    return XAdESSigner(method=method, signature_algorithm="ecdsa-sha256", digest_algorithm="sha256")


def _pem_chain(who: Identity) -> list[str]:
    return [c.public_bytes(serialization.Encoding.PEM).decode() for c in (who.cert, *who.chain)]


def sign_xades_enveloping(pdf: bytes, who: Identity) -> bytes:
    """XAdES with the PDF inside the signature (base64 in ds:Object), as the trusted-profile service gives it."""
    root = _xades_signer(methods.enveloping).sign(base64.b64encode(pdf).decode(), key=who.key, cert=_pem_chain(who))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


class _FileXAdESSigner(XAdESSigner):
    """signxml's XAdES signer pointed at a file beside the signature: the file's reference digests its bytes as they
    are (no XML transform), which is what a detached signature of a PDF is. Digests and signing stay signxml's."""

    def __init__(self, payload: bytes, uri: str, **kwargs):
        super().__init__(**kwargs)
        self._payload, self._uri = payload, uri

    def _unpack(self, data, references):
        sig_root, doc_root, c14n_inputs, refs = super()._unpack(data, references)
        inputs = [self._payload if self._is_file(r) else c for r, c in zip(refs, c14n_inputs, strict=True)]
        return sig_root, doc_root, inputs, refs

    def _is_file(self, reference) -> bool:
        return reference.URI == self._uri  # noqa: SIM300

    def _c14n(self, nodes, algorithm, inclusive_ns_prefixes=None):
        return nodes if isinstance(nodes, bytes) else super()._c14n(nodes, algorithm, inclusive_ns_prefixes)

    def _build_transforms_for_reference(self, *, transforms_node, reference, exclude_c14n_transform_element=True):
        if self._is_file(reference):
            transforms_node.getparent().remove(transforms_node)  # the bytes as they are: no transform at all
        else:
            super()._build_transforms_for_reference(
                transforms_node=transforms_node,
                reference=reference,
                exclude_c14n_transform_element=exclude_c14n_transform_element,
            )


def sign_xades_detached(pdf: bytes, who: Identity, *, name: str = "dokument.pdf") -> bytes:
    """XAdES beside the PDF: the reference points to the file by name and digests its bytes."""
    from signxml.signer import SignatureReference

    signer = _FileXAdESSigner(
        pdf, name, method=methods.detached, signature_algorithm="ecdsa-sha256", digest_algorithm="sha256"
    )
    root = signer.sign(
        etree.Element("Dokument"), key=who.key, cert=_pem_chain(who), reference_uri=[SignatureReference(URI=name)]
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
