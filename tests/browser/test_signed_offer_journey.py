"""The organisation downloads its submitted offer, signs it (the test signs as a signing application would, with a
test CA's certificates), uploads it; the office sees who signed and that the manner of representation is met in the
formal review; a tampered copy is rejected with the reason. The public verification page checks the sealed PDF."""

from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import expect

from grants.models import OfferVersion
from grants.services import offers as offer_services
from grants.signatures.certificates import self_signed_pkcs12
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory
from tests.browser.conftest import log_in
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.organisations.factories import MembershipFactory
from tests.signatures import pki


def off_loop(function, *args, **kwargs):
    """Run ``function`` in another thread: pyHanko's synchronous calls start an asyncio loop of their own, which
    cannot run in this thread while Playwright's loop does (a worker or a web request has no such loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def test_ngo_signs_its_offer_and_the_office_sees_the_signers_in_formal_review(
    page, live_server, check_page, settings, tmp_path
):
    key = tmp_path / "seal.p12"
    key.write_bytes(self_signed_pkcs12(common_name="Pieczęć portalu (test)", organisation="Gmina Testowa", password=""))
    settings.PDF_SEAL_PKCS12_PATH = str(key)
    ca = pki.make_ca("Testowe Centrum Kwalifikowane")
    anna = pki.make_person("Anna", "Nowak", issuer=ca, pesel="80010112345")
    jan = pki.make_person("Jan", "Kowalski", issuer=ca, pesel="75030354321")

    authority = AuthorityFactory()
    membership = MembershipFactory(user__email="ngo@example.pl")
    organisation = membership.organisation
    organisation.representatives = "Anna Nowak – prezes zarządu\nJan Kowalski – skarbnik"
    organisation.joint_representation = 2
    organisation.save(update_fields=["representatives", "joint_representation"])
    offer = complete_offer(OpenCallFactory(programme__authority=authority), organisation, membership.user)
    off_loop(offer_services.offer_submit, offer=offer, actor=membership.user, revision=offer.revision)
    version = OfferVersion.objects.get(offer=offer)
    assert version.documents == OfferVersion.Documents.READY

    log_in(page, live_server, membership.user.email)
    page.goto(f"{live_server.url}/konkursy/oferty/{offer.pk}/wersje/{version.number}/potwierdzenie/")
    page.get_by_role("link", name="Podpisz ofertę elektronicznie i prześlij ją").click()
    expect(page.get_by_role("heading", name="Podpisany dokument")).to_be_visible()
    check_page(page, "signed_01_upload")
    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz dokument do podpisu (PDF z pieczęcią portalu)").click()
    issued = download.value.path().read_bytes()
    signed = off_loop(lambda: pki.sign_pades(pki.sign_pades(issued, anna), jan))

    # A copy changed after signing is rejected, with the reason.
    position = signed.index(b"endstream") - 3
    tampered = signed[:position] + bytes([signed[position] ^ 0x01]) + signed[position + 1 :]
    (tmp_path / "zmieniona.pdf").write_bytes(tampered)
    page.get_by_label("Podpisany dokument").set_input_files(str(tmp_path / "zmieniona.pdf"))
    page.get_by_role("button", name="Prześlij i zweryfikuj podpis").click()
    expect(page.get_by_text("Podpisany dokument odrzucono")).to_be_visible()
    expect(page.get_by_text("nie zgadza się z treścią").first).to_be_visible()
    check_page(page, "signed_02_tampered_rejected")

    page.goto(f"{live_server.url}/weryfikacja-dokumentu/dokumenty/{_issued_pk(offer)}/podpisany/")
    (tmp_path / "podpisana.pdf").write_bytes(signed)
    page.get_by_label("Podpisany dokument").set_input_files(str(tmp_path / "podpisana.pdf"))
    page.get_by_role("button", name="Prześlij i zweryfikuj podpis").click()
    expect(page.get_by_text("Podpis zweryfikowany: wynik zapisano")).to_be_visible()
    expect(page.get_by_text("sposób reprezentacji spełniony")).to_be_visible()
    expect(page.get_by_role("cell", name="80010112345")).to_be_visible()
    check_page(page, "signed_03_verified")

    staff = AuthorityStaffFactory(authority=authority, user__email="urzednik@example.pl").user
    page.get_by_role("button", name="Wyloguj").click() if page.get_by_role(
        "button", name="Wyloguj"
    ).is_visible() else None
    page.context.clear_cookies()
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/konkursy/urzad/oferty/{offer.pk}/")
    expect(
        page.get_by_text("podpisana przez: Anna Nowak, Jan Kowalski, sposób reprezentacji spełniony")
    ).to_be_visible()
    expect(page.get_by_label("podpisana przez osoby upoważnione do reprezentacji")).to_be_checked()
    check_page(page, "signed_04_formal_review")

    # Anyone checks the sealed PDF on the public page.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/weryfikacja-dokumentu/")
    (tmp_path / "oferta.pdf").write_bytes(issued)
    page.get_by_label("Plik PDF do sprawdzenia").set_input_files(str(tmp_path / "oferta.pdf"))
    page.get_by_role("button", name="Sprawdź dokument").click()
    expect(page.get_by_role("heading", name="Dokument wydany przez portal, niezmieniony")).to_be_visible()
    check_page(page, "verify_01_issued")
    (tmp_path / "zmieniony.pdf").write_bytes(issued[: len(issued) // 2] + b"X" + issued[len(issued) // 2 + 1 :])
    page.get_by_label("Plik PDF do sprawdzenia").set_input_files(str(tmp_path / "zmieniony.pdf"))
    page.get_by_role("button", name="Sprawdź dokument").click()
    expect(page.get_by_role("heading", name="Dokument zmieniony po wydaniu")).to_be_visible()
    check_page(page, "verify_02_changed")


def _issued_pk(offer) -> int:
    from grants.signatures.models import IssuedDocument

    return IssuedDocument.objects.get(kind=IssuedDocument.Kind.OFFER, object_id=offer.pk).pk
