"""The offer form as an NGO uses it: Polish amounts, a slip in one cost row that loses nothing, live counts,
and the same form on a phone (390 px, rows as cards) and on a laptop (1366 px), axe-clean at both widths."""

from playwright.sync_api import expect

from grants.models import Offer
from tests.browser.conftest import log_in
from tests.grants.factories import COSTS, OpenCallFactory, complete_offer
from tests.organisations.factories import MembershipFactory, OrganisationFactory

MANY_COSTS = [{**row, "order": i + 1, "name": f"{row['name']} {i + 1}"} for i, row in enumerate(COSTS * 3)]


def _page(browser, live_server, email, width, height):
    context = browser.new_context(bypass_csp=True, locale="pl-PL", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, live_server, email)
    return context, page


def test_offer_form_keeps_a_slip_and_works_on_a_phone(browser, live_server, check_page):
    organisation = OrganisationFactory(name="Uczniowski Klub Sportowy „Orlik”", areas=["17"])
    user = MembershipFactory(organisation=organisation, user__email="ngo@example.pl").user
    offer = complete_offer(OpenCallFactory(), organisation, user, costs=MANY_COSTS)
    url = f"{live_server.url}/konkursy/oferty/{offer.pk}/"

    context, page = _page(browser, live_server, user.email, 1366, 900)
    page.goto(url)
    check_page(page, "90-offer-form-1366")
    # Amounts as Polish accountants type them, a live count under the description, and one slip.
    page.get_by_label("Tytuł zadania publicznego").fill("Wakacje z piłką 2027")
    page.locator("#id_cost_items-1-unit_cost").fill("1 250,50")
    page.locator("#id_cost_items-2-quantity").fill("2\u00a0000")
    page.locator("#id_cost_items-4-unit_cost").fill("12,50 zł/h")
    page.get_by_label("Syntetyczny opis zadania").fill("Zajęcia dla 80 dzieci.")
    expect(page.locator("#id_synopsis-licznik")).to_have_text("22 / 3\u00a0000 znaków")
    page.get_by_role("button", name="Zapisz wersję roboczą").click()
    expect(page.get_by_text("Zapisano wersję roboczą oferty ze wszystkim, co wpisano")).to_be_visible()
    page.reload()
    # Every value survives the reload; the slip is shown with its error on its own field.
    expect(page.get_by_label("Tytuł zadania publicznego")).to_have_value("Wakacje z piłką 2027")
    expect(page.locator("#id_cost_items-1-unit_cost")).to_have_value("1 250,50")
    expect(page.locator("#id_cost_items-2-quantity")).to_have_value("2\u00a0000")
    expect(page.locator("#id_cost_items-4-unit_cost")).to_have_value("12,50 zł/h")
    expect(page.locator("#id_cost_items-4-unit_cost")).to_have_class("form-control text-end is-invalid")
    expect(page.get_by_label("Syntetyczny opis zadania")).to_have_value("Zajęcia dla 80 dzieci.")
    check_page(page, "91-offer-form-slip-kept")
    assert Offer.objects.get(pk=offer.pk).title == "Wakacje z piłką 2027"
    context.close()

    # The same form on a phone: no sideways scrolling, cost rows as cards with their labels.
    phone, page = _page(browser, live_server, user.email, 390, 844)
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("label[for='id_cost_items-0-unit_cost']")).to_be_visible()
    page.locator("#id_cost_items-4-unit_cost").fill("12,50")
    page.get_by_role("button", name="Zapisz wersję roboczą").click()
    expect(page.get_by_text("Zapisano wersję roboczą oferty.")).to_be_visible()
    assert Offer.objects.get(pk=offer.pk).typed_input is None
    check_page(page, "92-offer-form-390")
    phone.close()
