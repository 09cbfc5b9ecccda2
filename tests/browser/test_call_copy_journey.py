"""Issue journey (copy from last year): the office starts this year's call from last year's – texts, criteria,
attachments and the money of the budget line of the same name come over, the dates are typed anew, the number is
given automatically – and announces it. On the way: the numbering page, the programme copy page, the office search
and the agreement list with its filters and downloads. Every page: screenshot and axe."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from grants.models import OpenCall, RequiredAttachment
from programmes.models import Programme
from tests.accounts.factories import AuthorityStaffFactory
from tests.browser.conftest import log_in
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory
from tests.organisations.factories import OrganisationFactory
from tests.programmes.factories import ProgrammeFactory, add_budget


def test_copy_last_years_call_and_announce_it(page, live_server, check_page):
    staff = AuthorityStaffFactory(user__email="urzednik@example.pl").user
    authority = staff.staff_roles.get().authority
    this_year = timezone.localdate().year + 1
    last = ProgrammeFactory(authority=authority, year_from=this_year - 1, status=Programme.Status.REPORTED)
    add_budget(last, [("Wypoczynek dzieci i młodzieży", "90000.00")])
    current = ProgrammeFactory(authority=authority, year_from=this_year, status=Programme.Status.IN_FORCE)
    add_budget(current, [("Wypoczynek dzieci i młodzieży", "120000.00")])
    source = OpenCallFactory(
        programme=last,
        number=f"OK/{this_year - 1}/3",
        title="Półkolonie letnie dla dzieci",
        status=OpenCall.Status.FINISHED,
        delivery_start=date(this_year - 1, 6, 1),
        delivery_end=date(this_year - 1, 9, 30),
        decision_date=date(this_year - 1, 5, 15),
    )
    RequiredAttachment.objects.create(call=source, name="Aktualny statut")
    organisation = OrganisationFactory(name="Stowarzyszenie Przyjaciół Ziemi Kozielskiej „Odra”", city=authority.city)
    agreement = make_agreement(organisation=organisation, call=source, authority=authority, year=this_year - 1)

    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/konkursy/urzad/")
    check_page(page, "cc0-call-list-filters")
    page.get_by_role("link", name="Nowe ogłoszenie konkursu").click()
    page.get_by_label("Zacznij od wcześniejszego konkursu").select_option(str(source.pk))
    page.get_by_role("button", name="Wypełnij na jego podstawie").click()
    expect(page.get_by_role("heading", name=f"Nowe ogłoszenie na podstawie {source.number}")).to_be_visible()
    expect(page.get_by_label("Rodzaj zadania publicznego")).to_have_value("Półkolonie letnie dla dzieci")
    expect(page.get_by_label("Termin składania ofert")).to_have_value("")
    check_page(page, "cc1-call-form-copied")
    today = timezone.localdate()
    page.get_by_label("Realizacja najwcześniej od").fill(f"{this_year}-06-01")
    page.get_by_label("Realizacja najpóźniej do").fill(f"{this_year}-09-30")
    page.get_by_label("Termin dokonania wyboru ofert").fill((today + timedelta(days=40)).isoformat())
    for label in ("Publikacja w BIP", "Publikacja na tablicy ogłoszeń", "Publikacja na stronie internetowej"):
        page.get_by_label(label).fill(today.isoformat())
    page.get_by_label("Termin składania ofert").fill(f"{today + timedelta(days=30)}T15:00")
    page.get_by_role("button", name="Zapisz ogłoszenie").click()
    expect(page.get_by_text(f"Zapisano ogłoszenie konkursu OK/{this_year}/1.")).to_be_visible()
    call = OpenCall.objects.get(number=f"OK/{this_year}/1")
    assert call.programme == current and call.criteria.count() == source.criteria.count()
    assert list(call.required_attachments.values_list("name", flat=True)) == ["Aktualny statut"]
    expect(page.get_by_text("Aktualny statut")).to_be_visible()
    check_page(page, "cc2-call-dashboard-copied")

    page.get_by_role("button", name="Ogłoś konkurs").click()
    check_page(page, "cc3-announce-confirm")
    page.get_by_role("button", name="Potwierdzam: ogłoś konkurs").click()
    expect(page.get_by_text("Konkurs ogłoszony.")).to_be_visible()
    call.refresh_from_db()
    assert call.status == OpenCall.Status.PUBLISHED
    assert call.budget_allocations.get().amount == Decimal("100000.00")

    # The office's search box finds the organisation by its words in any order, and its agreement.
    page.get_by_label("Szukaj w sprawach urzędu").fill("odra przyjaciol")
    page.get_by_label("Szukaj w sprawach urzędu").press("Enter")
    expect(page.get_by_role("heading", name="Organizacje")).to_be_visible()
    expect(page.get_by_role("link", name=agreement.number)).to_be_visible()
    check_page(page, "cc4-staff-search")

    page.goto(f"{live_server.url}/konkursy/urzad/umowy/?rok={this_year - 1}")
    expect(page.get_by_role("link", name="Pobierz XLSX")).to_be_visible()
    check_page(page, "cc5-agreements-filtered")
    page.goto(f"{live_server.url}/konkursy/urzad/sprawozdania/?rok={this_year - 1}")
    expect(page.get_by_role("link", name=f"nr {agreement.number}")).to_be_visible()
    check_page(page, "cc5b-reports-filtered")
    page.goto(f"{live_server.url}/konkursy/urzad/male-granty/?etap=przyznane")
    check_page(page, "cc5c-small-grants-filtered")
    page.goto(f"{live_server.url}/programy/urzad/?status=in_force")
    expect(page.get_by_role("link", name=current.title)).to_be_visible()
    check_page(page, "cc5d-programmes-filtered")
    page.goto(f"{live_server.url}/programy/urzad/numeracja/")
    check_page(page, "cc6-numbering")
    page.goto(f"{live_server.url}/programy/urzad/{current.pk}/kopia/")
    page.get_by_label("Pierwszy rok nowego programu").fill(str(this_year + 1))
    check_page(page, "cc7-programme-copy")
    page.get_by_role("button", name="Utwórz projekt programu").click()
    expect(page.get_by_text("Utworzono projekt programu")).to_be_visible()
    check_page(page, "cc8-programme-copied")
