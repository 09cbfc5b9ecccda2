"""Polish for every kind of authority: names, organs, cases and genders; dated citations of the act and forms."""

import ast
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from config import legal, polish
from programmes.models import Authority
from tests.accounts.factories import AuthorityFactory

# One authority of every kind, with what documents must say about it.
AUTHORITIES = [
    dict(
        kind="rural",
        executive_title="wojt",
        name="Gmina Zbójno",
        council_name="Rada Gminy Zbójno",
        represented="Gmina Zbójno reprezentowana przez Wójta Gminy Zbójno",
        party="Gminą Zbójno reprezentowaną przez Wójta Gminy Zbójno",
        called="zwaną",
        council_gen="Rady Gminy Zbójno",
        executive_dat="Wójtowi Gminy Zbójno",
        announces="Wójt Gminy Zbójno",
        unit_gen="gminy",
        unit_loc="gminie",
    ),
    dict(
        kind="urban_rural",
        executive_title="burmistrz",
        name="Gmina Konstancin-Jeziorna",
        council_name="Rada Miejska w Konstancinie-Jeziornie",
        represented="Gmina Konstancin-Jeziorna reprezentowana przez Burmistrza Gminy Konstancin-Jeziorna",
        party="Gminą Konstancin-Jeziorna reprezentowaną przez Burmistrza Gminy Konstancin-Jeziorna",
        called="zwaną",
        council_gen="Rady Miejskiej w Konstancinie-Jeziornie",
        executive_dat="Burmistrzowi Gminy Konstancin-Jeziorna",
        announces="Burmistrz Gminy Konstancin-Jeziorna",
        unit_gen="gminy",
        unit_loc="gminie",
    ),
    dict(
        kind="urban_rural",
        executive_title="burmistrz",
        name="Miasto i Gmina Końskie",
        council_name="Rada Miejska w Końskich",
        represented="Miasto i Gmina Końskie reprezentowana przez Burmistrza Miasta i Gminy Końskie",
        party="Miastem i Gminą Końskie reprezentowaną przez Burmistrza Miasta i Gminy Końskie",
        called="zwaną",
        council_gen="Rady Miejskiej w Końskich",
        executive_dat="Burmistrzowi Miasta i Gminy Końskie",
        announces="Burmistrz Miasta i Gminy Końskie",
        unit_gen="gminy",
        unit_loc="gminie",
    ),
    dict(
        kind="urban",
        executive_title="burmistrz",
        name="Miasto Sulejówek",
        council_name="Rada Miasta Sulejówek",
        represented="Miasto Sulejówek reprezentowane przez Burmistrza Miasta Sulejówek",
        party="Miastem Sulejówek reprezentowanym przez Burmistrza Miasta Sulejówek",
        called="zwanym",
        council_gen="Rady Miasta Sulejówek",
        executive_dat="Burmistrzowi Miasta Sulejówek",
        announces="Burmistrz Miasta Sulejówek",
        unit_gen="miasta",
        unit_loc="mieście",
    ),
    dict(
        kind="city_county",
        executive_title="prezydent",
        name="Miasto Białystok",
        executive_name="Prezydent Miasta Białegostoku",
        council_name="Rada Miasta Białystok",
        represented="Miasto Białystok reprezentowane przez Prezydenta Miasta Białegostoku",
        party="Miastem Białystok reprezentowanym przez Prezydenta Miasta Białegostoku",
        called="zwanym",
        council_gen="Rady Miasta Białystok",
        executive_dat="Prezydentowi Miasta Białegostoku",
        announces="Prezydent Miasta Białegostoku",
        unit_gen="miasta",
        unit_loc="mieście",
    ),
    dict(
        kind="county",
        executive_title="zarzad_powiatu",
        name="Powiat Łódzki Wschodni",
        council_name="Rada Powiatu Łódzkiego Wschodniego",
        represented="Powiat Łódzki Wschodni reprezentowany przez Zarząd Powiatu Łódzkiego Wschodniego",
        party="Powiatem Łódzkim Wschodnim reprezentowanym przez Zarząd Powiatu Łódzkiego Wschodniego",
        called="zwanym",
        council_gen="Rady Powiatu Łódzkiego Wschodniego",
        executive_dat="Zarządowi Powiatu Łódzkiego Wschodniego",
        announces="Zarząd Powiatu Łódzkiego Wschodniego",
        unit_gen="powiatu",
        unit_loc="powiecie",
    ),
    dict(
        kind="voivodeship",
        executive_title="zarzad_wojewodztwa",
        name="Województwo Kujawsko-Pomorskie",
        council_name="Sejmik Województwa Kujawsko-Pomorskiego",
        represented="Województwo Kujawsko-Pomorskie reprezentowane przez Zarząd Województwa Kujawsko-Pomorskiego",
        party="Województwem Kujawsko-Pomorskim reprezentowanym przez Zarząd Województwa Kujawsko-Pomorskiego",
        called="zwanym",
        council_gen="Sejmiku Województwa Kujawsko-Pomorskiego",
        executive_dat="Zarządowi Województwa Kujawsko-Pomorskiego",
        announces="Zarząd Województwa Kujawsko-Pomorskiego",
        unit_gen="województwa",
        unit_loc="województwie",
    ),
]


@pytest.mark.parametrize("case", AUTHORITIES, ids=[a["kind"] for a in AUTHORITIES])
def test_every_kind_of_authority_is_named_in_the_right_case_and_gender(case):
    authority = Authority(
        kind=case["kind"],
        executive_title=case["executive_title"],
        name=case["name"],
        executive_name=case.get("executive_name", ""),
        council_name=case["council_name"],
    )
    grammar = authority.grammar
    assert grammar.represented_by() == case["represented"]
    assert grammar.represented_by("ins") == case["party"]
    assert grammar.agree("zwan", "ins") == case["called"]
    assert authority.council_genitive == case["council_gen"]
    assert authority.executive_dative == case["executive_dat"]
    assert authority.executive_full_name == case["announces"]
    assert (grammar.unit("gen"), grammar.unit("loc")) == (case["unit_gen"], case["unit_loc"])
    # Never an organ followed by the authority's nominative ("Zarząd Powiatu Powiat …", "Burmistrz Gmina …").
    bad = re.compile(
        r"(Wójt|Burmistrz|Prezydent|Zarząd|Rada|Sejmik)\w* (Gmina|Miasto|Powiat|Województwo)\b|Powiatu Powiat"
    )
    for text in (grammar.represented_by(), grammar.represented_by("ins"), authority.executive_dative):
        assert not bad.search(text), text


@pytest.mark.parametrize("case", AUTHORITIES, ids=[a["kind"] for a in AUTHORITIES])
def test_the_names_of_every_kind_pass_the_model_check(case):
    authority = AuthorityFactory.build(
        kind=case["kind"],
        executive_title=case["executive_title"],
        name=case["name"],
        slug=case["kind"],
        executive_name=case.get("executive_name", ""),
        council_name=case["council_name"],
    )
    authority.clean()


def test_names_that_documents_could_not_decline_are_refused_on_their_fields():
    authority = AuthorityFactory.build(
        kind="county",
        executive_title="burmistrz",
        name="Starostwo Powiatowe",
        executive_name="Starosta",
        council_name="Rada Gminy X",
    )
    with pytest.raises(ValidationError) as error:
        authority.clean()
    assert set(error.value.message_dict) == {"name", "executive_title", "executive_name", "council_name"}
    assert "„Powiat”" in error.value.message_dict["name"][0]


def test_adjectives_of_county_and_region_names_agree_in_every_case():
    assert [polish.decline("Powiat Kozielski", c) for c in polish.Case] == [
        "Powiat Kozielski",
        "Powiatu Kozielskiego",
        "Powiatowi Kozielskiemu",
        "Powiat Kozielski",
        "Powiatem Kozielskim",
        "Powiecie Kozielskim",
    ]
    assert polish.decline("Województwo Mazowieckie", "loc") == "Województwie Mazowieckim"
    assert polish.decline("Gmina Miejska Sopot", "ins") == "Gminą Miejską Sopot"
    assert polish.decline("Miasto Stołeczne Warszawa", "ins") == "Miastem Stołecznym Warszawą"
    assert polish.default_executive_name("city_county", "prezydent", "Miasto Stołeczne Warszawa") == (
        "Prezydent Miasta Stołecznego Warszawy"
    )
    assert polish.decline("Rada Miejska w Łomiankach", "gen") == "Rady Miejskiej w Łomiankach"


@pytest.mark.parametrize(
    ("title", "genitive"),
    [
        ("Roczny Program Współpracy Gminy X z Organizacjami", "Rocznego Programu Współpracy Gminy X z Organizacjami"),
        ("Program współpracy Gminy X na 2026 rok", "Programu współpracy Gminy X na 2026 rok"),
        ("Wieloletni program współpracy", "Wieloletniego programu współpracy"),
        ("Razem dla Łomianek", "programu „Razem dla Łomianek”"),
    ],
)
def test_programme_title_in_the_genitive(title, genitive):
    assert polish.programme_title_genitive(title) == genitive


@pytest.mark.parametrize(
    ("name", "legal_form", "party", "called"),
    [
        ("Stowarzyszenie Przyjaciół Zbójna", "association", "Stowarzyszeniem Przyjaciół Zbójna", "zwanym"),
        ("Fundacja Podlaskie Dzieci", "foundation", "Fundacją Podlaskie Dzieci", "zwaną"),
        ("Uczniowski Klub Sportowy „Orlik”", "sports_club", "Uczniowskim Klubem Sportowym „Orlik”", "zwanym"),
        ("Ochotnicza Straż Pożarna w Zbójnie", "association", "Ochotniczą Strażą Pożarną w Zbójnie", "zwaną"),
        (
            "Polskie Towarzystwo Turystyczno-Krajoznawcze",
            "association",
            "Polskim Towarzystwem Turystyczno-Krajoznawczym",
            "zwanym",
        ),
        ("KS Odra", "sports_club", "KS Odra", "zwanym"),
    ],
)
def test_the_organisation_party_of_an_agreement_agrees_with_its_name(name, legal_form, party, called):
    assert polish.organisation_instrumental(name) == party
    assert polish.agree("zwan", polish.organisation_gender(name, legal_form), "ins") == called


def test_the_admin_refuses_names_documents_could_not_decline_on_the_field(admin_client):
    response = admin_client.post(
        reverse("admin:programmes_authority_add"),
        {
            "name": "Starostwo Powiatowe w Łodzi",
            "slug": "starostwo",
            "kind": "county",
            "executive_title": "zarzad_powiatu",
            "executive_name": "",
            "council_name": "Rada Powiatu Łódzkiego Wschodniego",
            "street": "ul. Sienkiewicza 3",
            "postal_code": "90-113",
            "city": "Łódź",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["name"] and "„Powiat”" in errors["name"][0]
    assert not Authority.objects.filter(slug="starostwo").exists()


@pytest.mark.django_db
def test_the_admin_shows_how_documents_will_name_the_authority(admin_client):
    authority = AuthorityFactory(
        name="Powiat Kozielski",
        slug="kozielski",
        kind="county",
        executive_title="zarzad_powiatu",
        council_name="Rada Powiatu Kozielskiego",
    )
    page = admin_client.get(reverse("admin:programmes_authority_change", args=[authority.pk])).content.decode()
    assert "Powiat Kozielski reprezentowany przez Zarząd Powiatu Kozielskiego" in page
    assert "Powiatem Kozielskim reprezentowanym przez Zarząd Powiatu Kozielskiego, zwanym dalej" in page
    assert "z budżetu powiatu" in page


def test_money_numbers_and_plurals():
    assert polish.format_money(Decimal("357000")) == "357\xa0000,00\xa0zł"
    assert polish.format_number(1038) == "1\xa0038"
    assert polish.format_ratio(Decimal("0.1234")) == "12,3%"
    assert [polish.polish_plural(n, "oferta", "oferty", "ofert") for n in (1, 2, 5, 12, 22)] == [
        "oferta",
        "oferty",
        "ofert",
        "ofert",
        "oferty",
    ]
    assert polish.format_date("2026-05-31") == polish.format_date(date(2026, 5, 31)) == "31.05.2026"


@pytest.mark.parametrize(
    ("on", "cited"),
    [
        (date(2018, 11, 20), "Dz. U. z 2018 r. poz. 450"),
        (date(2022, 6, 23), "Dz. U. z 2020 r. poz. 1057"),
        (date(2022, 6, 24), "Dz. U. z 2022 r. poz. 1327"),
        (date(2023, 12, 31), "Dz. U. z 2023 r. poz. 571"),
        (date(2025, 5, 20), "Dz. U. z 2024 r. poz. 1491"),
        (date(2026, 5, 31), "Dz. U. z 2025 r. poz. 1338"),
        (date(2012, 1, 1), "Dz. U. z 2010 r. Nr 234, poz. 1536"),
        (date(2016, 6, 1), "Dz. U. z 2016 r. poz. 239"),  # between the 2014 text and poz. 1817
        (date(2016, 12, 1), "Dz. U. z 2016 r. poz. 1817"),
    ],
)
def test_the_act_is_cited_by_the_consolidated_text_in_force_on_the_documents_date(on, cited):
    assert str(legal.public_benefit_act(on)) == cited
    assert legal.act_citation(on).endswith(f"o wolontariacie ({cited})")


def test_offer_forms_follow_the_calls_date():
    assert legal.offer_form_regulation(date(2019, 2, 28)).reference.short == "Dz.U. 2016 poz. 1300"
    assert legal.offer_form_regulation(date(2019, 3, 1)).reference.short == "Dz.U. 2018 poz. 2057"
    assert legal.offer_form_regulation(date(2019, 2, 28), small_grant=True).reference.short == "Dz.U. 2016 poz. 570"
    assert legal.offer_form_regulation(date(2026, 1, 5), small_grant=True).reference.short == "Dz.U. 2018 poz. 2055"


INTERNAL_REFERENCE = re.compile(r"\bS[0-4](?: §|'s|\b(?= Q\d| N\d| L\d))|seeds/|\b\d{3}_[0-9a-f]{16}\.txt")


def _user_strings(path: Path):
    """String literals of a module except docstrings and comments: what may reach a user."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_internal_reference_reaches_users():
    root = Path(settings.BASE_DIR)
    found = []
    for template in (root / "templates").rglob("*"):
        if template.is_file() and INTERNAL_REFERENCE.search(template.read_text(encoding="utf-8")):
            found.append(str(template.relative_to(root)))
    for app in ("accounts", "config", "consultations", "grants", "organisations", "programmes", "reports"):
        for module in (root / app).rglob("*.py"):
            if "migrations" in module.parts or module.name == "demo.py" or module.name.startswith("demo_"):
                continue
            found += [
                f"{module.relative_to(root)}:{n}"
                for n, text in _user_strings(module)
                if INTERNAL_REFERENCE.search(text)
            ]
    assert found == []


def test_money_and_numbers_are_what_djangos_number_format_writes():
    """``config.polish`` groups digits itself (it is called hundreds of times a page); the text must be Django's."""
    from decimal import Decimal

    from django.utils import translation
    from django.utils.formats import number_format

    from config.polish import format_money, format_number

    values = [0, 1, -1, 999, 1000, -1000, 1234567, 10**15, True]
    values += [Decimal(text) for text in ("0", "-0", "0.001", "-0.004", "-0.5", "0.5", "0.05", "12.5", "12.345")]
    values += [Decimal(text) for text in ("-1234.5678", "357000", "357000.00", "1E+3", "1.5E+7", "-9999999.995")]
    values += [Decimal("1E+250"), 12.5, -0.0, 1e20]
    for language in ("pl", "en", None):
        with translation.override(language):
            for value in values:
                for decimals in (0, 1, 2, 3):
                    expected = number_format(value, decimals, use_l10n=True, force_grouping=True)
                    assert format_number(value, decimals) == expected, (language, value, decimals)
                if not isinstance(value, float):  # money: decimals and integers
                    assert (
                        format_money(value)
                        == f"{number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)}\xa0zł"
                    )
    assert format_money(Decimal("357000")) == "357\xa0000,00\xa0zł"
