import pytest
from cryptography.hazmat.primitives import serialization

from grants.signatures.certificates import self_signed_pkcs12
from grants.signatures.issuing import issued_finish, issued_open
from grants.signatures.models import IssuedDocument
from reports.pdf import render_pdf
from tests.grants.factories import OpenCallFactory, complete_offer

from . import pki


@pytest.fixture(scope="session")
def qualified_ca():
    return pki.make_ca("Testowe Centrum Kwalifikowane")


@pytest.fixture(scope="session")
def profile_ca():
    return pki.make_ca("Testowe CA Profilu Zaufanego")


@pytest.fixture(scope="session")
def anna(qualified_ca):
    """A qualified-style certificate with the PESEL in serialNumber."""
    return pki.make_person("Anna", "Nowak", issuer=qualified_ca, pesel="80010112345")


@pytest.fixture(scope="session")
def jan(profile_ca):
    """A trusted-profile-style certificate: digital signature, no non-repudiation bit."""
    return pki.make_person("Jan", "Kowalski", issuer=profile_ca, pesel="75030354321", non_repudiation=False)


@pytest.fixture
def seal_key(settings, tmp_path):
    path = tmp_path / "seal.p12"
    path.write_bytes(
        self_signed_pkcs12(common_name="Pieczęć testowa portalu", organisation="Gmina Testowa", password="pw")
    )
    settings.PDF_SEAL_PKCS12_PATH, settings.PDF_SEAL_PKCS12_PASSWORD = str(path), "pw"
    return path


@pytest.fixture
def trust_dir(settings, tmp_path):
    """``trust_dir(ca, …)``: a trust store of these CAs, configured."""

    def configure(*cas):
        directory = tmp_path / "trust"
        directory.mkdir(exist_ok=True)
        for n, ca in enumerate(cas):
            (directory / f"ca{n}.pem").write_bytes(ca.cert.public_bytes(serialization.Encoding.PEM))
        settings.SIGNATURE_TRUST_DIR = str(directory)
        return directory

    return configure


@pytest.fixture
def offer(authority, organisation, ngo_admin):
    organisation.representatives = "Anna Nowak – prezes zarządu\nJan Kowalski – skarbnik"
    organisation.joint_representation = 2
    organisation.save(update_fields=["representatives", "joint_representation"])
    return complete_offer(OpenCallFactory(programme__authority=authority), organisation, ngo_admin)


def issue_offer_document(offer) -> IssuedDocument:
    """An issued offer document (a small PDF with its own number, so each version differs; sealed when a key is
    configured), as the worker leaves it."""
    document = issued_open(kind=IssuedDocument.Kind.OFFER, object_id=offer.pk, title=f"Oferta {offer.pk}")
    pdf = render_pdf("pdf/base.html", {"issued": document, "verify_url": "http://testserver/weryfikacja-dokumentu/"})
    issued_finish(document, pdf)
    return document


@pytest.fixture
def issued(offer):
    return issue_offer_document(offer)
