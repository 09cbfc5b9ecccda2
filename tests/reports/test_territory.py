"""Issue 16 item 3: registry figures count the organisations seated in the authority's territory, cooperation
figures the distinct organisations that dealt with it; another authority's NGOs change neither."""

from datetime import date
from decimal import Decimal

import pytest

from grants.models import Offer
from organisations.models import Organisation
from programmes.models import CooperationActivity
from reports import computations
from reports.data import gather
from tests.accounts.factories import AuthorityFactory
from tests.grants.agreement_factories import make_agreement
from tests.organisations.factories import OrganisationFactory
from tests.reports.fixtures import year_2025

pytestmark = pytest.mark.django_db

KONSTANCIN = {
    "seat_municipality": "Konstancin-Jeziorna",
    "seat_county": "piaseczyński",
    "seat_voivodeship": "mazowieckie",
}


def _gmina_with_territory():
    programme = year_2025()
    authority = programme.authority
    authority.territory_municipality = "Konstancin-Jeziorna"
    authority.territory_county = "Piaseczyński"  # compared ignoring case
    authority.territory_voivodeship = "mazowieckie"
    authority.save()
    Organisation.objects.update(**KONSTANCIN)
    return programme


def _all_values(programme):
    data = gather(programme)
    return {code: computations.compute(data, code, 2025).value for code in computations.COMPUTATIONS}


def _powiat():
    return AuthorityFactory(
        name="Powiat Kozielski",
        slug="powiat-kozielski",
        kind="county",
        executive_title="zarzad_powiatu",
        council_name="Rada Powiatu Kozielskiego",
        city="Kędzierzyn-Koźle",
        territory_county="kędzierzyńsko-kozielski",
        territory_voivodeship="opolskie",
    )


def test_another_authoritys_organisations_change_none_of_the_first_gminas_indicators():
    programme = _gmina_with_territory()
    before = _all_values(programme)
    assert before["Q4"] == Decimal(4) / Decimal(5) and before["B2"] == 1 and before["C1"] == 4

    powiat = _powiat()
    seat = {"seat_county": "kędzierzyńsko-kozielski", "seat_voivodeship": "opolskie"}
    for n in range(20):
        organisation = OrganisationFactory(
            name=f"Stowarzyszenie Kozielskie {n}", opp=True, seat_municipality="Reńska Wieś", **seat
        )
        if n < 5:
            make_agreement(organisation=organisation, kind=Offer.Kind.SMALL_GRANT, authority=powiat)
    assert _all_values(programme) == before
    # The powiat's own figures count them.
    assert Organisation.objects.in_territory_of(powiat).count() == 20
    assert Organisation.objects.cooperating_with(powiat, 2025).count() == 5


def test_without_a_recorded_territory_every_organisation_counts_as_before():
    programme = year_2025()
    OrganisationFactory(name="Stowarzyszenie Daleko", seat_municipality="Zbójno", seat_county="golubsko-dobrzyński")
    assert gather(programme).organisations and sum(r["count"] for r in gather(programme).organisations) == 6


def test_a_powiats_territory_holds_its_gminas_seats_and_not_others():
    powiat = _powiat()
    in_gmina = OrganisationFactory(
        seat_municipality="Reńska Wieś", seat_county="Kędzierzyńsko-Kozielski", seat_voivodeship="opolskie"
    )
    in_town = OrganisationFactory(
        seat_municipality="Kędzierzyn-Koźle", seat_county="kędzierzyńsko-kozielski", seat_voivodeship="opolskie"
    )
    OrganisationFactory(seat_municipality="Opole", seat_county="Opole", seat_voivodeship="opolskie")
    OrganisationFactory(seat_municipality="Krapkowice", seat_county="krapkowicki", seat_voivodeship="opolskie")
    assert set(Organisation.objects.in_territory_of(powiat)) == {in_gmina, in_town}
    gmina = AuthorityFactory(
        name="Gmina Reńska Wieś",
        slug="renska-wies",
        kind="rural",
        executive_title="wojt",
        council_name="Rada Gminy Reńska Wieś",
        territory_municipality="Gmina Reńska Wieś",  # the head is dropped when compared
        territory_county="Powiat kędzierzyńsko-kozielski",
        territory_voivodeship="opolskie",
    )
    assert set(Organisation.objects.in_territory_of(gmina)) == {in_gmina}


def test_cooperating_organisations_are_counted_once_whatever_they_did():
    programme = _gmina_with_territory()
    authority = programme.authority
    org1 = Organisation.objects.get(name="Klub Sportowy Orzeł")  # two agreements already
    far_away = OrganisationFactory(name="Fundacja Spoza Gminy")  # seated elsewhere: cooperation counts it anyway
    idle = Organisation.objects.get(name="Stowarzyszenie Bez Ofert")
    activity = CooperationActivity.objects.create(
        authority=authority, kind="meeting", initiator="authority", date=date(2025, 9, 1), title="Forum"
    )
    activity.organisations.set([org1, far_away, idle])
    data = gather(programme)
    assert computations.compute(data, "C1", 2025).value == 6  # org1–org4, the one from afar and the idle one
    assert computations.compute(data, "C1", 2024).value == 0
    assert Organisation.objects.cooperating_with(authority, 2025).count() == 6


def test_the_year_end_report_states_the_organisations_cooperating():
    from reports.annual import annual_report

    context = annual_report(year_2025())
    assert context["cooperating_organisations"] == 4
    row = next(row for row in context["other_indicator_rows"] if row.code == "C1")
    assert row.name == "Liczba organizacji współpracujących z gminą" and row.display == "4"


def test_an_applicant_seated_outside_the_territory_does_not_raise_the_share_of_applicants():
    programme = _gmina_with_territory()
    assert _all_values(programme)["Q4"] == Decimal(4) / Decimal(5)
    # One of the applicants moves its seat out of the gmina: it leaves the denominator and the numerator alike,
    # so the share stays a share (3 of 4), never above 100 %.
    applicant = Organisation.objects.filter(offers__isnull=False).exclude(offers__status="draft").distinct().first()
    Organisation.objects.filter(pk=applicant.pk).update(seat_municipality="Zbójno", seat_county="golubsko-dobrzyński")
    values = _all_values(programme)
    assert values["Q4"] == Decimal(3) / Decimal(4)
    assert values["C1"] == 4  # it still cooperates with the gmina
