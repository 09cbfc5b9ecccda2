"""Agreements signed by both parties electronically: the organisation's representatives sign, the office countersigns
(its representatives' signed copy, or the authority's seal where it allows it), and the agreement is concluded on the
later signature's date once both verify. Paper signing stays and is recorded as such."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import Agreement
from grants.services.agreements import agreement_sign
from grants.signatures.models import IssuedDocument, SignedCopy
from grants.signatures.services import agreement_seal, electronically_concluded, signed_copy_submit
from grants.signatures.tasks import issue_enqueue
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory

from . import pki

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(authority, organisation, committed):
    organisation.representatives = "Anna Nowak – prezes zarządu\nJan Kowalski – skarbnik"
    organisation.joint_representation = 2
    organisation.save(update_fields=["representatives", "joint_representation"])
    made = make_agreement(
        organisation=organisation, call=OpenCallFactory(programme__authority=authority), status=Agreement.Status.DRAFT
    )
    with committed():
        issue_enqueue(kind=IssuedDocument.Kind.AGREEMENT, object_id=made.pk, title=f"Umowa nr {made.number}")
    return made


@pytest.fixture
def burmistrz(qualified_ca):
    return pki.make_person("Jan", "Burmistrz", issuer=qualified_ca)


def _document(agreement) -> IssuedDocument:
    document = IssuedDocument.objects.get(kind=IssuedDocument.Kind.AGREEMENT, object_id=agreement.pk)
    assert document.status == IssuedDocument.Status.READY and document.file
    return document


def test_both_parties_sign_and_the_agreement_is_concluded_on_the_later_date(
    agreement, anna, jan, burmistrz, ngo_admin, staff_user, client_for
):
    document = _document(agreement)
    ngo_signed = pki.sign_pades(pki.sign_pades(document.read(), anna), jan)
    ngo = signed_copy_submit(document=document, party="organisation", actor=ngo_admin, signature=ngo_signed)
    assert ngo.accepted
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT  # the office has not signed yet

    # The office countersigns the organisation's signed file: only its own representative counts for it.
    office = signed_copy_submit(
        document=document, party="authority", actor=staff_user, signature=pki.sign_pades(ngo_signed, burmistrz)
    )
    assert office.accepted and [s["name"] for s in office.signers][-1] == "Jan Burmistrz"
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.signed_on == timezone.localdate(office.signed_at)
    assert electronically_concluded(agreement)
    page = client_for(ngo_admin).get(reverse("grants:agreement-detail", args=[agreement.pk])).content.decode()
    assert "Umowa zawarta elektronicznie" in page and "sposób reprezentacji spełniony" in page


def test_an_office_copy_signed_by_someone_else_does_not_conclude(
    agreement, anna, jan, qualified_ca, ngo_admin, staff_user
):
    document = _document(agreement)
    ngo_signed = pki.sign_pades(pki.sign_pades(document.read(), anna), jan)
    signed_copy_submit(document=document, party="organisation", actor=ngo_admin, signature=ngo_signed)
    clerk = pki.make_person("Zofia", "Urzędniczka", issuer=qualified_ca)
    office = signed_copy_submit(
        document=document, party="authority", actor=staff_user, signature=pki.sign_pades(ngo_signed, clerk)
    )
    assert office.representation == SignedCopy.Representation.UNKNOWN_SIGNER
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT


def test_the_authority_seal_concludes_where_the_authority_allows_it(
    agreement, anna, jan, ngo_admin, staff_user, seal_key
):
    document = _document(agreement)
    ngo_signed = pki.sign_pades(pki.sign_pades(document.read(), anna), jan)
    with pytest.raises(Exception, match="nie zawiera umów pieczęcią"):
        agreement_seal(document=document, actor=staff_user)
    agreement.authority.seals_agreements = True
    agreement.authority.save(update_fields=["seals_agreements"])
    with pytest.raises(Exception, match="Najpierw organizacja"):
        agreement_seal(document=document, actor=staff_user)
    signed_copy_submit(document=document, party="organisation", actor=ngo_admin, signature=ngo_signed)
    copy = agreement_seal(document=document, actor=staff_user)
    assert copy.format == SignedCopy.Format.SEAL
    with copy.file.open("rb") as handle:
        sealed = handle.read()
    assert sealed.startswith(ngo_signed)  # the seal is appended to the organisation's signed file
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED and electronically_concluded(agreement)


def test_paper_signing_stays_and_is_recorded_as_paper(agreement, staff_user, client_for):
    agreement_sign(agreement=agreement, signed_on=date(2025, 2, 20), actor=staff_user)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED and not electronically_concluded(agreement)
    page = client_for(staff_user).get(reverse("grants:agreement-detail", args=[agreement.pk])).content.decode()
    assert "w formie pisemnej" in page
