"""The receipt page answers at once and shows the PDFs when the background worker has made them (htmx)."""

from django.test import override_settings
from playwright.sync_api import expect

from grants import tasks
from grants.models import OfferVersion
from tests.accounts.factories import AuthorityFactory
from tests.browser.conftest import log_in
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.organisations.factories import MembershipFactory


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_the_receipt_page_shows_the_documents_once_the_worker_is_done(page, live_server, check_page):
    membership = MembershipFactory(user__email="ngo@example.pl")
    call = OpenCallFactory(programme__authority=AuthorityFactory())
    offer = complete_offer(call, membership.organisation, membership.user)
    log_in(page, live_server, membership.user.email)
    page.goto(f"{live_server.url}/konkursy/oferty/{offer.pk}/zlozenie/")
    page.get_by_role("button", name="Złóż ofertę").click()

    # The queue is not being worked (dummy backend): the page is there at once, saying the PDFs are coming.
    expect(page.get_by_role("heading", name="Oferta złożona")).to_be_visible()
    expect(page.get_by_text("Przygotowujemy PDF oferty i potwierdzenia")).to_be_visible()
    check_page(page, "receipt_01_documents_pending")
    version = OfferVersion.objects.get(offer=offer)
    assert version.documents == OfferVersion.Documents.PENDING

    # A worker runs the task; the page notices by itself, without a reload.
    tasks.offer_version_documents.call(version.pk)
    expect(page.get_by_role("link", name="Pobierz złożoną ofertę (PDF)")).to_be_visible()
    expect(page.get_by_text("Potwierdzenie wysłaliśmy e-mailem")).to_be_visible()
    check_page(page, "receipt_02_documents_ready")
