"""A correction (korekta) of a published programme, as the office does it: from the staff page, a reason, the
confirmation saying what will happen, then version 2 on the public page with the change register; axe-clean."""

from playwright.sync_api import expect

from programmes.models import Programme
from reports.models import Publication
from reports.publications import publication_publish
from tests.accounts.factories import AuthorityStaffFactory
from tests.browser.conftest import log_in
from tests.programmes.factories import ProgrammeFactory


def test_the_office_corrects_a_published_programme(page, live_server, check_page):
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl", user__first_name="Kora").user
    programme = ProgrammeFactory(authority=staff.staff_roles.get().authority, status=Programme.Status.IN_FORCE)
    publication_publish(actor=staff, document=programme)
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/programy/urzad/{programme.pk}/")
    page.get_by_role("link", name="Opublikuj korektę").click()
    expect(page.get_by_role("heading", name=f"Korekta: {programme.title}")).to_be_visible()
    check_page(page, "correction_01_form")
    page.get_by_role("button", name="Dalej – sprawdź, co się stanie").click()
    expect(page.get_by_text("To pole jest wymagane.")).to_be_visible()  # no reason, no correction
    page.get_by_label("Powód korekty i zakres zmian").fill("Poprawiono omyłkę w § 2 (nazwa zadania).")
    page.get_by_role("button", name="Dalej – sprawdź, co się stanie").click()
    expect(page.get_by_role("heading", name="Co się stanie po potwierdzeniu")).to_be_visible()
    expect(page.get_by_text("wersja 2 (korekta)", exact=False)).to_be_visible()
    check_page(page, "correction_02_confirmation")
    assert Publication.objects.filter(kind=Publication.Kind.PROGRAMME).count() == 1
    page.get_by_role("button", name="Potwierdzam: opublikuj wersję 2 (korektę)").click()
    expect(page.get_by_text("Opublikowano korektę – wersja 2.")).to_be_visible()
    register = page.get_by_role("region", name="Rejestr zmian dokumentu")
    expect(register).to_contain_text("Poprawiono omyłkę w § 2 (nazwa zadania).")
    expect(register).to_contain_text("Pierwsza publikacja")
    check_page(page, "correction_03_public_page")
