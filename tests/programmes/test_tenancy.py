"""Issue 16 item 1: each authority's public space at /<slug>/…, the installation's home listing them, staff of one
authority never reaching another's objects."""

import pytest
from django.urls import reverse

from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def powiat(db):
    return AuthorityFactory(
        name="Powiat Kozielski",
        slug="powiat-kozielski",
        kind="county",
        executive_title="zarzad_powiatu",
        council_name="Rada Powiatu Kozielskiego",
        city="Kędzierzyn-Koźle",
    )


@pytest.fixture
def calls(authority, powiat):
    gmina_call = OpenCallFactory(programme=ProgrammeFactory(authority=authority), title="Sport w gminie")
    powiat_call = OpenCallFactory(programme=ProgrammeFactory(authority=powiat), title="Turystyka w powiecie")
    return gmina_call, powiat_call


def test_one_authority_keeps_todays_home(client, authority):
    page = client.get("/").text
    assert f"Portal współpracy – {authority.name}" in page
    assert "Samorządy w portalu" not in page


def test_the_home_lists_the_authorities_and_each_space_shows_only_its_calls(client, authority, powiat, calls):
    gmina_call, powiat_call = calls
    home = client.get("/").text
    assert "Samorządy w portalu" in home
    assert f'href="/{authority.slug}/"' in home and 'href="/powiat-kozielski/"' in home

    space = client.get("/powiat-kozielski/")
    assert space.status_code == 200
    assert "Turystyka w powiecie" in space.text and "Sport w gminie" not in space.text
    # Links stay inside the space.
    assert f'href="/powiat-kozielski/konkursy/{powiat_call.pk}/"' in space.text

    listing = client.get("/powiat-kozielski/konkursy/").text
    assert "Turystyka w powiecie" in listing and "Sport w gminie" not in listing
    gmina_listing = client.get(f"/{authority.slug}/konkursy/").text
    assert "Sport w gminie" in gmina_listing and "Turystyka w powiecie" not in gmina_listing
    # The whole installation's list (the URL as before) shows both.
    everything = client.get("/konkursy/").text
    assert "Sport w gminie" in everything and "Turystyka w powiecie" in everything

    assert client.get(f"/powiat-kozielski/konkursy/{powiat_call.pk}/").status_code == 200
    assert client.get(f"/powiat-kozielski/konkursy/{gmina_call.pk}/").status_code == 404
    assert client.get(f"/powiat-kozielski/programy/{gmina_call.programme_id}/").status_code == 404
    assert client.get(f"/konkursy/{gmina_call.pk}/").status_code == 200
    # The prefix does not outlive the request.
    assert reverse("grants:call-list") == "/konkursy/"


def test_the_slug_without_a_slash_redirects_and_unknown_slugs_are_404(client, powiat):
    response = client.get("/powiat-kozielski")
    assert response.status_code == 301 and response["Location"] == "/powiat-kozielski/"
    assert client.get("/nie-ma-takiej/").status_code == 404


def test_a_host_name_serves_one_authoritys_space(client, settings, authority, powiat, calls):
    settings.AUTHORITY_HOSTS = {"ngo.powiat.example.pl": "powiat-kozielski"}
    settings.ALLOWED_HOSTS = ["ngo.powiat.example.pl", "testserver"]
    page = client.get("/konkursy/", HTTP_HOST="ngo.powiat.example.pl").text
    assert "Turystyka w powiecie" in page and "Sport w gminie" not in page


def test_staff_of_one_authority_reach_none_of_anothers_office_objects(client_for, authority, powiat, calls):
    gmina_call, powiat_call = calls
    county_staff = AuthorityStaffFactory(authority=powiat, can_decide=True, is_admin=True).user
    client = client_for(county_staff)
    assert client.get(reverse("grants:call-dashboard", args=[powiat_call.pk])).status_code == 200
    for name in ("grants:call-dashboard", "grants:call-edit", "grants:call-decision", "grants:call-agreements"):
        assert client.get(reverse(name, args=[gmina_call.pk])).status_code == 404, name
    assert client.get(reverse("programmes:staff-detail", args=[gmina_call.programme_id])).status_code == 404
    assert client.get(reverse("programmes:authority-settings", args=[authority.pk])).status_code == 404
    assert "Sport w gminie" not in client.get(reverse("grants:staff-call-list")).text


def test_inside_a_space_office_pages_narrow_to_that_authority(client_for, authority, powiat, calls):
    person = AuthorityStaffFactory(authority=powiat).user
    AuthorityStaffFactory(authority=authority, user=person)
    client = client_for(person)
    assert "Sport w gminie" in client.get("/konkursy/urzad/").text
    in_powiat = client.get("/powiat-kozielski/konkursy/urzad/").text
    assert "Turystyka w powiecie" in in_powiat and "Sport w gminie" not in in_powiat


# --- inside a space: the directory, frozen publications, search, signed copies, office rights (issue 16) ---------

KONSTANCIN = {
    "seat_municipality": "Konstancin-Jeziorna",
    "seat_county": "piaseczyński",
    "seat_voivodeship": "mazowieckie",
}
KOZIELSKI = {
    "seat_municipality": "Reńska Wieś",
    "seat_county": "kędzierzyńsko-kozielski",
    "seat_voivodeship": "opolskie",
}


@pytest.fixture
def territories(authority, powiat):
    authority.territory_municipality, authority.territory_county = "Konstancin-Jeziorna", "piaseczyński"
    authority.territory_voivodeship = "mazowieckie"
    authority.save()
    powiat.territory_county, powiat.territory_voivodeship = "kędzierzyńsko-kozielski", "opolskie"
    powiat.save()


def test_inside_a_space_the_directory_lists_that_authoritys_organisations(client, authority, powiat, territories):
    """Seated in its territory, linked to it (own word or import) or cooperating with it; the rest are a 404 there."""
    gmina_org = OrganisationFactory(name="Klub Jeziorna", **KONSTANCIN)
    county_org = OrganisationFactory(name="Stowarzyszenie Kozielskie", **KOZIELSKI)
    declared = OrganisationFactory(name="Fundacja Deklarująca", **KONSTANCIN)
    declared.authorities.add(powiat)
    cooperating = OrganisationFactory(name="Fundacja Współpracująca", **KONSTANCIN)
    make_agreement(organisation=cooperating, kind="small_grant", authority=powiat)
    names = ["Klub Jeziorna", "Stowarzyszenie Kozielskie", "Fundacja Deklarująca", "Fundacja Współpracująca"]

    def listed(url):
        page = client.get(url).text
        return [name for name in names if name in page]

    assert listed("/powiat-kozielski/organizacje/") == names[1:]
    assert listed(f"/{authority.slug}/organizacje/") == [names[0], names[2], names[3]]
    assert listed("/organizacje/") == names  # the installation's directory: every one
    export = client.get("/powiat-kozielski/organizacje/eksport.csv")
    exported = b"".join(export.streaming_content) if export.streaming else export.content
    assert "Stowarzyszenie Kozielskie" in exported.decode("utf-8-sig") and "Klub Jeziorna" not in exported.decode(
        "utf-8-sig"
    )
    assert client.get(f"/powiat-kozielski/organizacje/{gmina_org.pk}/").status_code == 404
    assert client.get(f"/powiat-kozielski/organizacje/{county_org.pk}/").status_code == 200
    assert client.get(f"/organizacje/{gmina_org.pk}/").status_code == 200
    # The organisation's own people reach its page in any space.
    member = MembershipFactory(organisation=gmina_org).user
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/powiat-kozielski/organizacje/{gmina_org.pk}/").status_code == 200


def test_a_frozen_publication_is_public_only_in_its_authoritys_space(client_for, monkeypatch, authority, powiat):
    from reports.models import AnnualReport
    from reports.publications import publication_publish
    from tests.config.test_url_walk import _StubHTML

    monkeypatch.setattr("reports.pdf.HTML", _StubHTML)
    clerk = AuthorityStaffFactory(authority=authority).user
    report = AnnualReport.objects.create(
        programme=ProgrammeFactory(authority=authority), conclusions="Wnioski.", updated_by=clerk
    )
    publication = publication_publish(actor=clerk, document=report)
    public = client_for(None)
    for name in ("reports:publication", "reports:publication-pdf"):
        url = reverse(name, args=[publication.pk])
        assert public.get(url).status_code == 200, name
        assert public.get(f"/{authority.slug}{url}").status_code == 200, name
        assert public.get(f"/powiat-kozielski{url}").status_code == 404, name
    # The correction page: the gmina's clerk, in the gmina's space or none, but not in the powiat's.
    person = client_for(clerk)
    correct = reverse("reports:publication-correct", args=[publication.pk])
    assert person.get(correct).status_code == 200
    assert person.get(f"/{authority.slug}{correct}").status_code == 200
    assert person.get(f"/powiat-kozielski{correct}").status_code == 404


def test_inside_a_space_the_office_search_finds_only_that_authoritys_records(client_for, authority, powiat, calls):
    person = AuthorityStaffFactory(authority=powiat).user
    AuthorityStaffFactory(authority=authority, user=person)
    client = client_for(person)
    url = reverse("grants:staff-search") + "?q=w"
    assert client.get(url + "+gminie").context["found"] == 1  # "Sport w gminie", without a space
    in_powiat = client.get(f"/powiat-kozielski{url}+gminie")
    assert in_powiat.status_code == 200 and in_powiat.context["found"] == 0
    assert client.get(f"/powiat-kozielski{url}+powiecie").context["found"] == 1


def test_staff_of_one_authority_get_404_on_its_objects_inside_another_space(client_for, authority, powiat):
    """Office rights hold in their own authority's space only: the gmina's clerk in the powiat's space reaches none
    of the gmina's agreements or issued documents, nor does the organisation on the document's other side."""
    from grants.signatures.issuing import issued_finish, issued_open
    from grants.signatures.models import IssuedDocument

    organisation = OrganisationFactory()
    agreement = make_agreement(organisation=organisation, kind="small_grant", authority=authority)
    document = issued_open(kind=IssuedDocument.Kind.AGREEMENT, object_id=agreement.pk, title="Umowa")
    issued_finish(document, b"%PDF-1.4\n%%EOF\n")
    clerk = AuthorityStaffFactory(authority=authority, can_decide=True).user
    ngo = MembershipFactory(organisation=organisation).user
    urls = [
        reverse("grants:agreement-detail", args=[agreement.pk]),
        reverse("signatures:copy-upload", args=[document.pk]),
        reverse("signatures:document-pdf", args=[document.pk]),
    ]
    for user in (clerk, ngo):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)
            assert client.get(f"/{authority.slug}{url}").status_code == 200, (user, url)
        for url in urls[1:]:
            assert client.get(f"/powiat-kozielski{url}").status_code == 404, (user, url)
    # The clerk still counts as office staff there (the office menu), with nothing of the powiat's to manage.
    client = client_for(clerk)
    assert client.get(f"/powiat-kozielski{urls[0]}").status_code == 404
    page = client.get("/powiat-kozielski/konkursy/urzad/umowy/")
    assert page.status_code == 200 and agreement.number not in page.text


def test_an_offer_is_started_only_on_a_call_of_the_space(client_for, authority, powiat, calls):
    gmina_call, _powiat_call = calls
    membership = MembershipFactory()
    client = client_for(membership.user)
    url = reverse("grants:offer-start", args=[gmina_call.pk])
    data = {"organisation": membership.organisation_id}
    assert client.post(f"/powiat-kozielski{url}", data).status_code == 404
    assert not gmina_call.offers.exists()
    assert client.post(f"/{authority.slug}{url}", data).status_code == 302
    assert gmina_call.offers.count() == 1
