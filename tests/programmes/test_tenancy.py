"""Issue 16 item 1: each authority's public space at /<slug>/…, the installation's home listing them, staff of one
authority never reaching another's objects."""

import pytest
from django.urls import reverse

from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory
from tests.grants.factories import OpenCallFactory
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
