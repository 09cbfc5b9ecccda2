"""Issue 16: a second authority on the installation, in a real browser (axe on every page).

The superuser creates a powiat and invites its administrator; the administrator sets the executive (Zarząd
Powiatu) and invites an official who may decide; each authority's public space shows only its own calls; the
first gmina's indicators do not change.
"""

import re

from playwright.sync_api import expect

from organisations.models import Organisation
from programmes.models import Authority
from reports import computations
from reports.data import gather
from tests.accounts.factories import AuthorityFactory, UserFactory
from tests.browser.conftest import log_in
from tests.grants.factories import OpenCallFactory
from tests.organisations.factories import OrganisationFactory
from tests.programmes.factories import ProgrammeFactory


def _indicators(programme):
    data = gather(programme)
    return {code: computations.compute(data, code, programme.year_from).value for code in computations.COMPUTATIONS}


def _link(mailoutbox) -> str:
    return re.search(r"https?://\S+zaproszenie-urzedu/\S+", mailoutbox[-1].body).group(0)


def test_superuser_adds_a_powiat_its_admin_invites_an_official_and_each_space_shows_its_own_calls(
    page, live_server, mailoutbox, check_page
):
    gmina = AuthorityFactory(
        territory_municipality="Konstancin-Jeziorna",
        territory_county="piaseczyński",
        territory_voivodeship="mazowieckie",
    )
    gmina_call = OpenCallFactory(programme=ProgrammeFactory(authority=gmina), title="Sport dzieci w gminie")
    for n in range(3):
        OrganisationFactory(
            name=f"Stowarzyszenie Konstancińskie {n}",
            seat_municipality="Konstancin-Jeziorna",
            seat_county="piaseczyński",
            seat_voivodeship="mazowieckie",
        )
    before = _indicators(gmina_call.programme)
    superuser = UserFactory(email="admin@portal.example.pl", is_superuser=True, is_staff=True)
    UserFactory(email="starosta.ngo@powiat.example.pl", first_name="Stanisław", last_name="Starostowski")
    UserFactory(email="urzedniczka@powiat.example.pl", first_name="Ewa", last_name="Urzędnicza")

    # 1. The superuser creates the powiat and invites its administrator.
    log_in(page, live_server, superuser.email)
    page.goto(f"{live_server.url}/programy/urzad/jednostki/nowa/")
    page.get_by_label("Skrót w adresach").fill("powiat-kozielski")
    page.locator("#id_name").fill("Powiat Kozielski")
    page.get_by_label("Rodzaj jednostki").select_option("county")
    page.locator("#id_executive_title").select_option("zarzad_powiatu")
    page.get_by_label("Organ stanowiący").fill("Rada Powiatu Kozielskiego")
    page.get_by_label("Ulica i numer").fill("ul. Kościuszki 5")
    page.get_by_label("Kod pocztowy").fill("47-200")
    page.get_by_label("Miejscowość").fill("Kędzierzyn-Koźle")
    page.get_by_label("Adres BIP").fill("https://bip.powiat.example.pl/")
    page.get_by_label("Województwo (obszar)").select_option("opolskie")
    page.get_by_label("E-mail pierwszego administratora jednostki").fill("starosta.ngo@powiat.example.pl")
    check_page(page, "tenant-01-create-powiat-form")
    page.get_by_role("button", name="Utwórz jednostkę").click()
    # The county's territory was left out: the form says so and keeps everything typed.
    expect(page.get_by_text("Podaj nazwę powiatu, na którego obszarze leży jednostka.")).to_be_visible()
    expect(page.get_by_label("Organ stanowiący")).to_have_value("Rada Powiatu Kozielskiego")
    check_page(page, "tenant-02-create-powiat-error")
    page.get_by_label("Powiat (obszar)").fill("kędzierzyńsko-kozielski")
    page.get_by_role("button", name="Utwórz jednostkę").click()
    expect(page.get_by_text("Utworzono jednostkę „Powiat Kozielski”")).to_be_visible()
    powiat = Authority.objects.get(slug="powiat-kozielski")
    invitation_link = _link(mailoutbox)

    # 2. Its administrator accepts, sets the executive and invites an official who may decide.
    page.get_by_role("button", name=re.compile("^Konto:")).click()
    page.get_by_role("button", name="Wyloguj").click()
    log_in(page, live_server, "starosta.ngo@powiat.example.pl")
    page.goto(invitation_link)
    check_page(page, "tenant-03-accept-invitation")
    page.get_by_role("button", name="Przyjmij zaproszenie").click()
    page.goto(f"{live_server.url}/programy/urzad/jednostki/{powiat.pk}/")
    page.get_by_label("Pełna nazwa organu wykonawczego").fill("Zarząd Powiatu Kozielskiego")
    page.get_by_label("Domyślni reprezentanci w umowach").fill("Starosta – Jan Nowak\nWicestarosta – Anna Lis")
    page.get_by_role("button", name="Zapisz dane jednostki").click()
    expect(page.get_by_text("Zapisano dane jednostki.")).to_be_visible()
    expect(page.get_by_text("Powiat Kozielski reprezentowany przez Zarząd Powiatu Kozielskiego")).to_be_visible()
    check_page(page, "tenant-04-powiat-settings")
    page.get_by_role("link", name="Pracownicy urzędu i uprawnienia").click()
    page.get_by_label("Adres e-mail osoby zapraszanej").fill("urzedniczka@powiat.example.pl")
    page.get_by_label("Stanowisko / komórka").fill("Wydział Promocji i Współpracy")
    page.locator("#id_can_decide").check()
    page.get_by_role("button", name="Wyślij zaproszenie").click()
    expect(page.get_by_text("Wysłano zaproszenie na adres urzedniczka@powiat.example.pl.")).to_be_visible()
    check_page(page, "tenant-05-powiat-staff")
    official_link = _link(mailoutbox)
    # (Issue 16 item 5: the past-year import of the powiat's agreements from the template goes here.)

    page.get_by_role("button", name=re.compile("^Konto:")).click()
    page.get_by_role("button", name="Wyloguj").click()
    log_in(page, live_server, "urzedniczka@powiat.example.pl")
    page.goto(official_link)
    page.get_by_role("button", name="Przyjmij zaproszenie").click()
    expect(page.get_by_text("Pracujesz teraz w portalu dla jednostki: Powiat Kozielski.")).to_be_visible()
    official = powiat.staff.get(user__email="urzedniczka@powiat.example.pl")
    assert official.can_decide and not official.is_admin

    # 3. The powiat's call and its NGOs; each public space shows only its own calls.
    OpenCallFactory(programme=ProgrammeFactory(authority=powiat), title="Turystyka w powiecie")
    for n in range(10):
        OrganisationFactory(
            name=f"Stowarzyszenie Kozielskie {n}",
            seat_municipality="Reńska Wieś",
            seat_county="kędzierzyńsko-kozielski",
            seat_voivodeship="opolskie",
        )
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Samorządy w portalu")).to_be_visible()
    check_page(page, "tenant-06-installation-home")
    page.get_by_role("link", name="Powiat Kozielski", exact=True).click()
    expect(page.get_by_role("heading", name="Powiat Kozielski", exact=True)).to_be_visible()
    expect(page.get_by_text("Turystyka w powiecie")).to_be_visible()
    expect(page.get_by_text("Sport dzieci w gminie")).to_have_count(0)
    check_page(page, "tenant-07-powiat-space")
    page.goto(f"{live_server.url}/{gmina.slug}/konkursy/")
    expect(page.get_by_text("Sport dzieci w gminie")).to_be_visible()
    expect(page.get_by_text("Turystyka w powiecie")).to_have_count(0)
    check_page(page, "tenant-08-gmina-calls")

    # 4. The first gmina's indicators do not change.
    assert Organisation.objects.count() == 13
    assert _indicators(gmina_call.programme) == before
