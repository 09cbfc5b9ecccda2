"""Each role starts from its home page and reaches every queued task in one click (demo data), axe clean.

The office person, the NGO admin and the commission chair sign in, land on their home, and open each task link of
their queue; every link opens its page (no 403/404). The public front page and the history tabs are checked too.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from grants.models import Agreement, Offer
from tests.browser.conftest import log_in

ERROR_TITLES = re.compile(r"Brak dostępu|Nie znaleziono|błąd", re.IGNORECASE)


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--scale", "small", verbosity=0)


def open_every_task(page, live_server, check_page, home_path: str, name: str) -> list[str]:
    page.goto(f"{live_server.url}{home_path}")
    check_page(page, name)
    links = page.locator(".queue-tasks a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for index, href in enumerate(hrefs):
        page.goto(f"{live_server.url}{home_path}")
        page.locator(".queue-tasks a").nth(index).click()
        page.wait_for_load_state()
        assert page.url.split("#")[0].endswith(href.split("#")[0]), (href, page.url)
        expect(page.locator("h1")).not_to_have_text(ERROR_TITLES)
    return hrefs


def test_staff_reaches_each_queued_task_from_the_home_page(page, live_server, check_page, demo):
    log_in(page, live_server, "urzednik@portal.example.pl", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Do zrobienia")).to_be_visible()
    hrefs = open_every_task(page, live_server, check_page, "/konto/urzad/", "90-home-staff")
    assert hrefs, "the demo office has work waiting"


def test_ngo_reaches_each_queued_task_from_the_home_page(page, live_server, check_page, demo):
    log_in(page, live_server, "ngo.admin@portal.example.pl", DEMO_PASSWORD)
    assert page.url.endswith("/konto/organizacja/")
    hrefs = open_every_task(page, live_server, check_page, "/konto/organizacja/", "91-home-ngo")
    assert hrefs, "the demo organisation has something to do"
    page.goto(f"{live_server.url}/konkursy/oferty/")
    check_page(page, "92-my-offers")
    page.goto(f"{live_server.url}/konkursy/sprawozdania/")
    check_page(page, "93-my-reports")


def test_commission_member_reaches_each_card_from_the_home_page(page, live_server, check_page, demo):
    log_in(page, live_server, "komisja@portal.example.pl", DEMO_PASSWORD)
    home = "/konkursy/komisja/" if "/komisja/" in page.url else "/konto/organizacja/"
    hrefs = open_every_task(page, live_server, check_page, home, "94-home-commission")
    assert any("/komisja/karty/" in href for href in hrefs), hrefs


def test_public_home_and_history_tabs(page, live_server, check_page, demo):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Otwarte konkursy ofert")).to_be_visible()
    check_page(page, "95-home-public")
    log_in(page, live_server, "urzednik@portal.example.pl", DEMO_PASSWORD)
    offer = Offer.objects.exclude(current_version=None).filter(kind=Offer.Kind.OPEN_CALL).order_by("pk").first()
    page.goto(f"{live_server.url}/konkursy/urzad/oferty/{offer.pk}/")
    page.get_by_role("link", name="Historia").click()
    expect(page.get_by_role("link", name="Historia")).to_have_attribute("aria-current", "page")
    check_page(page, "96-history-offer")
    agreement = Agreement.objects.order_by("pk").first()
    page.goto(f"{live_server.url}/konkursy/umowy/{agreement.pk}/historia/")
    check_page(page, "97-history-agreement")
    page.goto(f"{live_server.url}/konkursy/urzad/{offer.call_id}/historia/")
    check_page(page, "98-history-call")
