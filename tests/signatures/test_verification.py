"""Signed copies verified with real cryptography: a test CA (cryptography) issues the certificates, pyHanko and
signxml sign as a signing application would, and the portal's verification must tell each case apart."""

from datetime import timedelta
from io import BytesIO

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from grants.signatures.models import SignedCopy
from grants.signatures.services import signed_copy_submit
from grants.signatures.verification import sniff_format, verify

from . import pki
from .conftest import issue_offer_document

pytestmark = pytest.mark.django_db
R, T, V = SignedCopy.Representation, SignedCopy.Trust, SignedCopy.Result


def _submit(issued, who, data, content=None):
    return signed_copy_submit(document=issued, party="organisation", actor=who, signature=data, content=content)


def test_a_valid_pades_signature_of_both_representatives_is_verified_with_names_pesel_and_representation(
    issued, anna, jan, ngo_admin
):
    signed = pki.sign_pades(pki.sign_pades(issued.read(), anna), jan)
    copy = _submit(issued, ngo_admin, signed)
    assert copy.result == V.VERIFIED and copy.problems == []
    assert [(s["name"], s["pesel"]) for s in copy.signers] == [
        ("Anna Nowak", "80010112345"),
        ("Jan Kowalski", "75030354321"),
    ]
    assert all(s["valid_at_signing"] and "Testowe" in s["issuer"] for s in copy.signers)
    assert copy.representation == R.COMPLETE and copy.accepted
    # No trust store configured: the chain is reported as not checked, never as valid.
    assert copy.trust == T.NOT_CHECKED and all(s["trusted"] is None for s in copy.signers)
    assert copy.format == "pades" and copy.signed_at is not None


def test_one_of_two_required_signers_missing_is_incomplete_and_names_who(issued, anna, ngo_admin):
    copy = _submit(issued, ngo_admin, pki.sign_pades(issued.read(), anna))
    assert copy.result == V.VERIFIED and copy.representation == R.INCOMPLETE and not copy.accepted
    assert "Jan Kowalski" in copy.representation_note and "2" in copy.representation_note


def test_a_signer_who_is_not_a_representative_is_reported(issued, qualified_ca, ngo_admin):
    stranger = pki.make_person("Ewa", "Obca", issuer=qualified_ca)
    copy = _submit(issued, ngo_admin, pki.sign_pades(issued.read(), stranger))
    assert copy.representation == R.UNKNOWN_SIGNER and "Ewa Obca" in copy.representation_note


def test_a_pdf_modified_after_signing_is_rejected(issued, anna, ngo_admin):
    signed = pki.sign_pades(issued.read(), anna)
    # Content added after the signature, as an incremental update (the signature itself stays intact).
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    copy = _submit(issued, ngo_admin, out.getvalue())
    assert copy.result == V.REJECTED
    assert any("nie obejmuje całego dokumentu" in p for p in copy.problems)

    # A byte changed inside the signed range: the signature no longer matches.
    position = signed.index(b"/Lang") if b"/Lang" in signed else signed.index(b"/Type")
    tampered = signed[:position] + b"/Tyqe" + signed[position + 5 :]
    result = verify("pades", tampered, issued.read())
    assert not result.ok


def test_a_signature_over_a_different_version_is_rejected(offer, anna, ngo_admin):
    first = issue_offer_document(offer)
    signed_first = pki.sign_pades(first.read(), anna)
    second = issue_offer_document(offer)
    assert second.version == 2 and second.sha256 != first.sha256
    copy = _submit(second, ngo_admin, signed_first)
    assert copy.result == V.REJECTED
    assert any("nie zawiera dokumentu wydanego przez portal" in p for p in copy.problems)
    # The older version is no longer the one to sign.
    with pytest.raises(Exception, match="nowsza wersja"):
        _submit(first, ngo_admin, signed_first)


def test_an_expired_certificate_is_rejected(issued, qualified_ca, ngo_admin):
    expired = pki.make_person(
        "Anna",
        "Nowak",
        issuer=qualified_ca,
        not_before=pki.NOW - timedelta(days=800),
        not_after=pki.NOW - timedelta(days=1),
    )
    copy = _submit(issued, ngo_admin, pki.sign_pades(issued.read(), expired))
    assert copy.result == V.REJECTED and not copy.signers[0]["valid_at_signing"]
    assert any("nie był ważny w chwili podpisu" in p for p in copy.problems)


def test_trust_follows_the_configured_store(issued, anna, profile_ca, qualified_ca, trust_dir, ngo_admin):
    signed = pki.sign_pades(issued.read(), anna)
    trust_dir(profile_ca)  # a store without Anna's CA: the chain is untrusted
    untrusted = _submit(issued, ngo_admin, signed)
    assert untrusted.trust == T.UNTRUSTED and untrusted.result == V.REJECTED
    assert any("niezaufany" in p for p in untrusted.problems)
    trust_dir(profile_ca, qualified_ca)
    trusted = _submit(issued, ngo_admin, signed)
    assert trusted.trust == T.TRUSTED and trusted.result == V.VERIFIED


def test_a_self_signed_certificate_is_untrusted_when_a_store_is_configured(issued, profile_ca, trust_dir, ngo_admin):
    own = pki.make_person("Anna", "Nowak", issuer=None)
    trust_dir(profile_ca)
    copy = _submit(issued, ngo_admin, pki.sign_pades(issued.read(), own))
    assert copy.trust == T.UNTRUSTED and copy.signers[0]["self_signed"]


def test_xades_enveloping_over_the_right_bytes_is_verified_and_over_other_bytes_is_not(issued, offer, jan, ngo_admin):
    xml = pki.sign_xades_enveloping(issued.read(), jan)
    assert sniff_format(xml) == "xades"
    copy = _submit(issued, ngo_admin, xml)
    assert copy.result == V.VERIFIED and copy.signers[0]["name"] == "Jan Kowalski"
    assert copy.signers[0]["pesel"] == "75030354321"
    other = issue_offer_document(offer)
    rejected = _submit(other, ngo_admin, xml)
    assert rejected.result == V.REJECTED and any("suma kontrolna się nie zgadza" in p for p in rejected.problems)


def test_xades_detached_with_the_pdf(issued, anna, ngo_admin):
    pdf = issued.read()
    xml = pki.sign_xades_detached(pdf, anna)
    assert _submit(issued, ngo_admin, xml, content=pdf).result == V.VERIFIED
    # The signature alone is checked against the issued bytes.
    assert _submit(issued, ngo_admin, xml).result == V.VERIFIED
    # A signed XML whose digest no longer matches (the PDF beside it differs) fails.
    assert _submit(issued, ngo_admin, xml, content=pdf + b"\n%x").result == V.REJECTED


def test_cades_detached(issued, anna, ngo_admin):
    p7s = pki.sign_cades(issued.read(), anna)
    assert sniff_format(p7s) == "cades"
    copy = _submit(issued, ngo_admin, p7s)
    assert copy.result == V.VERIFIED and copy.signers[0]["pesel"] == "80010112345"
    assert copy.format == "cades"
    other = pki.sign_cades(issued.read() + b" ", anna)
    assert _submit(issued, ngo_admin, other).result == V.REJECTED


def test_not_a_signature_is_refused_on_the_field(issued, ngo_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _submit(issued, ngo_admin, b"hello, not a signature")
    assert "signature" in error.value.error_dict


def test_the_register_extract_decides_who_represents_and_how(issued, offer, anna, jan, ngo_admin):
    from organisations.models import RegisterExtract

    organisation = offer.organisation
    assert organisation.krs
    organisation.representatives, organisation.joint_representation = "", 1  # as entered: nobody, each alone
    organisation.save(update_fields=["representatives", "joint_representation"])
    RegisterExtract.objects.create(
        krs=organisation.krs,
        outcome=RegisterExtract.Outcome.FOUND,
        members=[
            {"name": "NOWAK ANNA", "function": "PREZES ZARZĄDU"},
            {"name": "KOWALSKI JAN", "function": "SKARBNIK"},
            {"name": "ZIELIŃSKA EWA", "function": "CZŁONEK ZARZĄDU", "suspended": True},
        ],
        representation_manner="Do reprezentowania stowarzyszenia uprawnieni są dwaj członkowie zarządu łącznie.",
    )
    alone = _submit(issued, ngo_admin, pki.sign_pades(issued.read(), anna))
    assert alone.representation == R.INCOMPLETE and "KOWALSKI JAN" in alone.representation_note
    both = _submit(issued, ngo_admin, pki.sign_pades(pki.sign_pades(issued.read(), anna), jan))
    assert both.representation == R.COMPLETE


@pytest.mark.parametrize(
    ("manner", "required"),
    [
        ("Do reprezentowania uprawnieni są dwaj członkowie zarządu działający łącznie.", 2),
        ("Prezes zarządu samodzielnie.", 1),
        ("trzech członków zarządu łącznie", 3),
        ("", None),
    ],
)
def test_the_manner_of_representation_read_from_the_register_words(manner, required):
    from grants.signatures.representation import required_from_manner

    assert required_from_manner(manner) == required
