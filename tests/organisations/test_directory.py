import csv
import io

import pytest
from django.urls import reverse

from organisations.models import Organisation, PublicTaskArea
from tests.helpers import assert_constant_queries
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [organisation.name for organisation in response.context["page"].object_list]


def test_the_directory_is_public(client):
    OrganisationFactory(name="Fundacja Jawna")
    response = client.get(reverse("organisations:directory"))
    assert response.status_code == 200
    assert "Fundacja Jawna" in response.text


def test_search_ignores_polish_diacritics_and_case(client):
    OrganisationFactory(name="Stowarzyszenie Przyjaciół Łodzi")
    OrganisationFactory(name="Klub Żeglarski ŁÓDŹ")
    OrganisationFactory(name="Fundacja Warszawska")
    response = client.get(reverse("organisations:directory"), {"q": "lodz"})
    assert sorted(_names(response)) == ["Klub Żeglarski ŁÓDŹ", "Stowarzyszenie Przyjaciół Łodzi"]
    response = client.get(reverse("organisations:directory"), {"q": "ŻEGLARSKI łódź"})
    assert _names(response) == ["Klub Żeglarski ŁÓDŹ"]


def test_filters_by_area_legal_form_and_opp(client):
    sport = OrganisationFactory(name="UKS Orlik", legal_form="sports_club", areas=["17"])
    OrganisationFactory(name="Fundacja Sztuki", legal_form="foundation", areas=["16"], opp=True)
    OrganisationFactory(name="Fundacja Sportu", legal_form="foundation", areas=["17"], opp=True)
    area_17 = PublicTaskArea.objects.get(code="17")
    url = reverse("organisations:directory")
    assert sorted(_names(client.get(url, {"area": area_17.pk}))) == ["Fundacja Sportu", "UKS Orlik"]
    assert _names(client.get(url, {"area": area_17.pk, "legal_form": "sports_club"})) == [sport.name]
    assert sorted(_names(client.get(url, {"opp": "1"}))) == ["Fundacja Sportu", "Fundacja Sztuki"]
    assert _names(client.get(url, {"opp": "0"})) == ["UKS Orlik"]
    assert _names(client.get(url, {"opp": "1", "area": area_17.pk})) == ["Fundacja Sportu"]


def test_inactive_organisations_are_not_listed(client):
    OrganisationFactory(name="Fundacja Zamknięta", is_active=False)
    assert "Fundacja Zamknięta" not in client.get(reverse("organisations:directory")).text


@pytest.mark.postgres
def test_polish_alphabetical_order(client):
    for name in ["Żuraw", "Zebra", "Łabędź", "Lis", "Mak", "Ćma", "Czapla", "Anioł", "Ąb"]:
        OrganisationFactory(name=name)
    assert _names(client.get(reverse("organisations:directory"))) == [
        "Anioł",
        "Ąb",
        "Czapla",
        "Ćma",
        "Lis",
        "Łabędź",
        "Mak",
        "Zebra",
        "Żuraw",
    ]


@pytest.mark.postgres
def test_search_results_keep_the_polish_order(client):
    """A name search sorts what it found (``polish_order(sort_found=True)``) in the same order as the list (ICU's
    Polish order: PostgreSQL only, as the test above; SQLite's part of it is the test below)."""
    for name in ["Klub Żuraw", "Klub Zebra", "Klub Łabędź", "Klub Lis", "Klub Ćma", "Klub Czapla", "Fundacja Lis"]:
        OrganisationFactory(name=name)
    found = _names(client.get(reverse("organisations:directory"), {"q": "klub"}))
    assert found == ["Klub Czapla", "Klub Ćma", "Klub Lis", "Klub Łabędź", "Klub Zebra", "Klub Żuraw"]


def test_diacritics_never_sort_after_z(client):
    """The part of Polish order SQLite can give too: Ł and Ś sit among the letters, not after Z."""
    for name in ["Zebra", "Łabędź", "Śliwa", "Mak"]:
        OrganisationFactory(name=name)
    names = _names(client.get(reverse("organisations:directory")))
    assert names[-1] == "Zebra"
    assert names.index("Łabędź") < names.index("Mak") < names.index("Śliwa")


def test_pagination_keeps_the_filters(client, settings):
    settings.DIRECTORY_PAGE_SIZE = 2
    for n in range(5):
        OrganisationFactory(name=f"Fundacja Łąka {n}")
    OrganisationFactory(name="Inna")
    response = client.get(reverse("organisations:directory"), {"q": "laka", "strona": 3})
    assert _names(response) == ["Fundacja Łąka 4"]
    assert "q=laka&amp;strona=2" in response.text
    # A search's count and page come from one query (config.pagination.page_by_ids): the same count, the same
    # pages, a page past the end shows the last one.
    assert "Znaleziono: 5 organizacji." in response.text
    assert _names(client.get(reverse("organisations:directory"), {"q": "laka", "strona": 2})) == [
        "Fundacja Łąka 2",
        "Fundacja Łąka 3",
    ]
    past = client.get(reverse("organisations:directory"), {"q": "laka", "strona": 99})
    assert _names(past) == ["Fundacja Łąka 4"] and "Znaleziono: 5 organizacji." in past.text
    nothing = client.get(reverse("organisations:directory"), {"q": "nieistniejaca"})
    assert _names(nothing) == [] and "Znaleziono: 0 organizacji." in nothing.text


def test_csv_export_follows_the_filters_and_neutralises_formulas(client):
    OrganisationFactory(name='=HYPERLINK("http://zlo.example","Kliknij")', city="Łódź")
    OrganisationFactory(name="Fundacja Spokojna", city="Kraków")
    response = client.get(reverse("organisations:directory-export"), {"q": "hyperlink"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Nazwa"
    assert len(rows) == 2
    assert rows[1][0] == '\'=HYPERLINK("http://zlo.example","Kliknij")'
    assert rows[1][7] == "Łódź"
    assert rows[0][-1] == "Dane zweryfikowane przez urząd" and rows[1][-1] == "nie"


def test_directory_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries):
    def grow():
        for n in range(30):
            OrganisationFactory(areas=["1", "15", "17"], name=f"Org {n}")

    OrganisationFactory(areas=["15"])
    budget = assert_constant_queries(lambda: client.get(reverse("organisations:directory")), grow, budget=4)
    filtered = assert_constant_queries(
        lambda: client.get(reverse("organisations:directory"), {"q": "org", "opp": "0", "legal_form": "association"}),
        grow,
        budget=4,
    )
    assert budget == filtered == 4  # count, page, the page's areas, the area filter's choices


def test_detail_and_export_queries_are_fixed(client):
    organisation = OrganisationFactory(areas=["1", "2"])
    assert_constant_queries(
        lambda: client.get(reverse("organisations:detail", args=[organisation.pk])),
        lambda: organisation.areas.add(*PublicTaskArea.objects.all()[:20]),
        budget=2,
    )

    def export():
        response = client.get(reverse("organisations:directory-export"))
        return b"".join(response.streaming_content)

    assert_constant_queries(export, lambda: [OrganisationFactory() for _ in range(20)], budget=2)


def test_bank_account_is_private_to_the_organisation_and_staff(
    client_for, organisation, ngo_editor, staff_user, other_ngo_admin, authority
):
    # Staff see it for organisations their authority deals with (here: based in its seat; see test_staff_scope).
    organisation.city = authority.city
    organisation.save()
    url = reverse("organisations:detail", args=[organisation.pk])
    shown = "Rachunek bankowy"
    assert shown not in client_for(None).get(url).text
    assert shown not in client_for(other_ngo_admin).get(url).text
    assert shown in client_for(ngo_editor).get(url).text
    assert shown in client_for(staff_user).get(url).text


def test_organisation_count_on_the_home_page(client):
    for _ in range(3):
        OrganisationFactory()
    assert Organisation.objects.count() == 3
    assert "Liczba organizacji w portalu: 3." in " ".join(client.get("/").text.split())
