"""The programme, call, agreement and year-end report PDFs of a gmina, a city with county rights and a county.

Each document names the authority and its organs in the right case and gender, cites the consolidated text of the
act in force on its own date, and the indicators speak of the authority's own budget. ``KEEP_PDFS=dir`` keeps the
PDFs (for ``pdftoppm``), e.g. ``KEEP_PDFS=var/documents pytest tests/config/test_documents_per_authority.py``.
"""

import os
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import LegalForm
from programmes.models import Indicator, Programme
from reports.models import AnnualReport
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory
from tests.helpers import pdf_text
from tests.organisations.factories import OrganisationFactory
from tests.programmes.factories import ProgrammeFactory, add_budget

AUTHORITIES = {
    "gmina": dict(
        authority=dict(
            name="Gmina Zbójno",
            slug="zbojno",
            kind="rural",
            executive_title="wojt",
            council_name="Rada Gminy Zbójno",
            city="Zbójno",
        ),
        year=2024,
        organisation=dict(name="Stowarzyszenie Przyjaciół Zbójna", legal_form=LegalForm.ASSOCIATION),
        representatives="",  # the executive alone
        expected={
            "programme": [
                "UCHWAŁA NR XII/85/2023 RADY GMINY ZBÓJNO",
                "w sprawie przyjęcia Rocznego Programu Współpracy Gminy Zbójno",
                "(Dz. U. z 2023 r. poz. 571) Rada Gminy Zbójno uchwala",
                "Wykonanie uchwały powierza się Wójtowi Gminy Zbójno.",
            ],
            "call": ["WÓJT GMINY ZBÓJNO ogłasza OTWARTY KONKURS OFERT", "(Dz. U. z 2023 r. poz. 571)"],
            "agreement": [
                "(Dz. U. z 2023 r. poz. 571), zwanej dalej „ustawą”",
                "pomiędzy: Gminą Zbójno, ul. Urzędowa 1, 00-001 Zbójno, reprezentowaną przez Wójta Gminy Zbójno, "
                "zwaną dalej „Zleceniodawcą”",
                "Stowarzyszeniem Przyjaciół Zbójna",
                "wpisanym do Krajowego Rejestru Sądowego",
                "reprezentowanym przez: Anna Prezes – Prezes Zarządu zwanym dalej „Zleceniobiorcą”",
            ],
            "report": [
                "Sprawozdanie Wójta Gminy Zbójno przedkładane Radzie Gminy Zbójno",
                "(Dz. U. z 2024 r. poz. 1491)",
                "Kwota środków z budżetu gminy na działania organizacji",
                "z inicjatywy gminy",
            ],
        },
        never=["Wójt Gmina", "Gmina Gmina"],
    ),
    "city": dict(
        authority=dict(
            name="Miasto Białystok",
            slug="bialystok",
            kind="city_county",
            executive_title="prezydent",
            executive_name="Prezydent Miasta Białegostoku",
            council_name="Rada Miasta Białystok",
            city="Białystok",
        ),
        year=2025,
        organisation=dict(name="Fundacja Podlaskie Dzieci", legal_form=LegalForm.FOUNDATION),
        representatives="Jan Nowak – Zastępca Prezydenta Miasta",
        expected={
            "programme": [
                "RADY MIASTA BIAŁYSTOK",
                "w sprawie przyjęcia Rocznego Programu Współpracy Miasta Białystok",
                "(Dz. U. z 2024 r. poz. 1491) Rada Miasta Białystok uchwala",
                "Wykonanie uchwały powierza się Prezydentowi Miasta Białegostoku.",
            ],
            "call": ["PREZYDENT MIASTA BIAŁEGOSTOKU ogłasza OTWARTY KONKURS OFERT", "(Dz. U. z 2024 r. poz. 1491)"],
            "agreement": [
                "pomiędzy: Miastem Białystok, ul. Urzędowa 1, 00-001 Białystok, reprezentowanym przez Prezydenta "
                "Miasta Białegostoku, w imieniu którego działa: Jan Nowak – Zastępca Prezydenta Miasta, "
                "zwanym dalej „Zleceniodawcą”",
                "Fundacją Podlaskie Dzieci",
                "wpisaną do Krajowego Rejestru Sądowego",
                "zwaną dalej „Zleceniobiorcą”",
            ],
            "report": [
                "Sprawozdanie Prezydenta Miasta Białegostoku przedkładane Radzie Miasta Białystok",
                "(Dz. U. z 2025 r. poz. 1338)",
                "Kwota środków z budżetu miasta na działania organizacji",
                "z inicjatywy miasta",
            ],
        },
        never=["Prezydent Miasta Miasto", "Miasto Miasto", "reprezentowaną przez Prezydenta"],
    ),
    "county": dict(
        authority=dict(
            name="Powiat Łódzki Wschodni",
            slug="powiat-lodzki-wschodni",
            kind="county",
            executive_title="zarzad_powiatu",
            council_name="Rada Powiatu Łódzkiego Wschodniego",
            city="Łódź",
        ),
        year=2026,
        organisation=dict(
            name="Uczniowski Klub Sportowy „Orlik”",
            legal_form=LegalForm.SPORTS_CLUB,
            krs="",
            other_register="ewidencja Starosty, nr 12/2019",
        ),
        representatives="Starosta Jan Nowak, Wicestarosta Anna Kowalska",
        expected={
            "programme": [
                "RADY POWIATU ŁÓDZKIEGO WSCHODNIEGO",
                "w sprawie przyjęcia Rocznego Programu Współpracy Powiatu Łódzkiego Wschodniego",
                "(Dz. U. z 2025 r. poz. 1338) Rada Powiatu Łódzkiego Wschodniego uchwala",
                "Wykonanie uchwały powierza się Zarządowi Powiatu Łódzkiego Wschodniego.",
            ],
            "call": ["ZARZĄD POWIATU ŁÓDZKIEGO WSCHODNIEGO ogłasza OTWARTY KONKURS OFERT"],
            "agreement": [
                "pomiędzy: Powiatem Łódzkim Wschodnim, ul. Urzędowa 1, 00-001 Łódź, reprezentowanym przez Zarząd "
                "Powiatu Łódzkiego Wschodniego, w imieniu którego działają: Starosta Jan Nowak, Wicestarosta Anna "
                "Kowalska, zwanym dalej „Zleceniodawcą”",
                "a Uczniowskim Klubem Sportowym „Orlik”, ul. Lipowa 1, 15-950 Białystok, wpisanym do właściwej "
                "ewidencji",
                "zwanym dalej „Zleceniobiorcą”",
            ],
            "report": [
                "Sprawozdanie Zarządu Powiatu Łódzkiego Wschodniego przedkładane Radzie Powiatu Łódzkiego Wschodniego",
                "Kwota środków z budżetu powiatu na działania organizacji",
                "z inicjatywy powiatu",
                "Lokale powiatu lub powiatowych osób prawnych",
            ],
        },
        never=["Zarząd Powiatu Powiat", "Powiatu Powiat", "budżetu gminy", "budżetu miasta", "inicjatywy gminy"],
    ),
}


def make_documents(kind: str) -> dict[str, str]:
    """The four documents' URLs for one authority, built from factories; returns also a staff user to read them."""
    spec = AUTHORITIES[kind]
    year = spec["year"]
    authority = AuthorityFactory(street="ul. Urzędowa 1", postal_code="00-001", **spec["authority"])
    unit = authority.grammar.name("gen")
    programme = ProgrammeFactory(
        authority=authority,
        title=f"Roczny Program Współpracy {unit} z organizacjami pozarządowymi na rok {year}",
        year_from=year,
        status=Programme.Status.REPORTED,
        resolution_number=f"XII/85/{year - 1}",
        resolution_date=date(year - 1, 11, 20),
    )
    add_budget(programme, [("Kultura fizyczna i sport", "150000.00")])
    for order, code in enumerate(["LR1", "N2", "N3"], start=1):
        Indicator.objects.create(programme=programme, code=code, order=order, target="—")
    call = OpenCallFactory(
        programme=programme,
        number=f"OK/{year}/1",
        published_bip_on=date(year, 1, 10),
        award_rules="Dotacje przyznaje organ wykonawczy po zapoznaniu się z opinią komisji.",
        delivery_terms="Zadanie realizowane na terenie jednostki.",
    )
    organisation = OrganisationFactory(**spec["organisation"])
    agreement = make_agreement(organisation=organisation, call=call, year=year)
    agreement.authority_representatives = spec["representatives"] or authority.executive_full_name
    agreement.save(update_fields=["authority_representatives"])
    AnnualReport.objects.create(
        programme=programme,
        conclusions="Współpraca przebiegała zgodnie z programem.",
        published_at=timezone.make_aware(datetime(year + 1, 5, 20, 10)),
    )
    staff = AuthorityStaffFactory(authority=authority).user
    return staff, {
        "programme": reverse("programmes:pdf", args=[programme.pk]),
        "call": reverse("grants:call-pdf", args=[call.pk]),
        "agreement": reverse("grants:agreement-pdf", args=[agreement.pk]),
        "report": reverse("reports:annual-pdf", args=[programme.pk]),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(AUTHORITIES))
def test_documents_name_the_authority_and_its_organs_in_the_right_form(kind, client_for):
    staff, urls = make_documents(kind)
    client = client_for(staff)
    keep = os.environ.get("KEEP_PDFS")
    spec = AUTHORITIES[kind]
    for document, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (document, response.status_code)
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            (Path(keep) / f"{kind}-{document}.pdf").write_bytes(response.content)
        text = re.sub(r"\s+", " ", pdf_text(response.content))
        for phrase in spec["expected"][document]:
            assert phrase in text, f"{kind} {document}: {phrase!r} missing"
        for wrong in spec["never"] + ["reprezentowaną przez Zarząd", "Dz. U. z 2024 r. poz. 1491 ze zm."]:
            assert wrong not in text, f"{kind} {document}: {wrong!r}"
        assert not re.search(r"\bS[0-4] §", text)
