"""Realistic demo organisations: Polish names, valid registry numbers, Białystok's mix of legal forms.

S3 (Białystok, 2013): 161 foundations, 493 associations, 144 association branches, 45 ordinary
associations, 195 sports organisations; 104 of them OPP. ``city`` scale reproduces exactly that.
"""

import random
from copy import copy
from datetime import date, timedelta
from functools import cache

from django.db import transaction
from stdnum import iban

from .models import LegalForm, Organisation, PublicTaskArea
from .search import search_key

BIALYSTOK_MIX = {
    LegalForm.FOUNDATION: 161,
    LegalForm.ASSOCIATION: 493,
    LegalForm.ASSOCIATION_BRANCH: 144,
    LegalForm.ORDINARY_ASSOCIATION: 45,
    LegalForm.SPORTS_CLUB: 195,
}
BIALYSTOK_OPP = 104

PLACES = [
    "Białegostoku",
    "Łodzi",
    "Kędzierzyna-Koźla",
    "Konstancina-Jeziorny",
    "Łomianek",
    "Leszna",
    "Opola",
    "Żywca",
    "Śródmieścia",
    "Starego Miasta",
    "Bojar",
    "Dojlid",
    "Wysokiego Stoczku",
    "Zielonych Wzgórz",
    "Kozłowa",
    "Blachowni",
    "Pogorzelca",
    "Skarbimierza",
    "Ziemi Kozielskiej",
    "Doliny Odry",
    "Podlasia",
    "Mazowsza",
    "Opolszczyzny",
    "Kurpiów",
    "Puszczy Knyszyńskiej",
    "Jeziorny",
    "Gąsek",
    "Mirkowa",
]
CAUSES = [
    "Pomocy Dzieciom i Młodzieży",
    "Rozwoju Lokalnego",
    "Wspierania Seniorów",
    "Edukacji Ekologicznej",
    "Osób Niepełnosprawnych",
    "Profilaktyki Uzależnień",
    "Aktywności Obywatelskiej",
    "Kultury i Sztuki",
    "Ochrony Zwierząt",
    "Rodzin Zastępczych",
    "Integracji Cudzoziemców",
    "Ratownictwa Wodnego",
    "Historii i Tradycji",
    "Zdrowia Psychicznego",
    "Wolontariatu",
    "Przedsiębiorczości Społecznej",
    "Turystyki Rowerowej",
    "Dziedzictwa Przyrodniczego",
    "Praw Konsumentów",
    "Równości Szans",
]
ADJECTIVES = [
    "Zielona",
    "Otwarta",
    "Słoneczna",
    "Podlaska",
    "Nadodrzańska",
    "Mazowiecka",
    "Wspólna",
    "Żywa",
    "Dobra",
    "Bliska",
    "Śląska",
    "Młoda",
    "Kreatywna",
    "Życzliwa",
]
FOUNDATION_NOUNS = [
    "Przystań",
    "Przyszłość",
    "Dłoń",
    "Akademia",
    "Pracownia",
    "Szansa",
    "Nadzieja",
    "Ostoja",
    "Iskra",
    "Tęcza",
    "Kraina",
    "Dolina",
    "Latarnia",
    "Ścieżka",
]
PATRONS = [
    "Jana Kochanowskiego",
    "Marii Skłodowskiej-Curie",
    "Ludwika Zamenhofa",
    "Janusza Korczaka",
    "Ireny Sendlerowej",
    "św. Brata Alberta",
    "Józefa Piłsudskiego",
    "Stanisława Moniuszki",
    "Zofii Nałkowskiej",
    "Fryderyka Chopina",
    "Kazimierza Wielkiego",
    "Heleny Modrzejewskiej",
]
NATIONAL_BODIES = [
    "Polski Związek Niewidomych",
    "Polski Czerwony Krzyż",
    "Polskie Towarzystwo Turystyczno-Krajoznawcze",
    "Związek Harcerstwa Polskiego",
    "Polski Związek Wędkarski",
    "Polskie Stowarzyszenie na rzecz Osób z Niepełnosprawnością Intelektualną",
    "Towarzystwo Przyjaciół Dzieci",
    "Polski Związek Emerytów, Rencistów i Inwalidów",
    "Liga Ochrony Przyrody",
    "Polskie Towarzystwo Stwardnienia Rozsianego",
    "Związek Ochotniczych Straży Pożarnych RP",
]
BRANCH_KINDS = ["Oddział", "Koło", "Okręg", "Hufiec", "Oddział Rejonowy", "Koło Terenowe"]
SPORTS = [
    "Piłkarski",
    "Pływacki",
    "Siatkarski",
    "Lekkoatletyczny",
    "Szachowy",
    "Judo",
    "Tenisa Stołowego",
    "Koszykarski",
    "Kajakowy",
    "Rowerowy",
    "Bokserski",
    "Szermierczy",
]
CLUB_NAMES = [
    "Orlik",
    "Jagiellonka",
    "Sokół",
    "Znicz",
    "Odra",
    "Płomień",
    "Żak",
    "Start",
    "Olimp",
    "Wiking",
    "Iskra",
    "Błękitni",
    "Lider",
    "Victoria",
    "Gryf",
    "Zryw",
    "Jutrzenka",
    "Polonia",
]
STREETS = [
    "Lipowa",
    "Sienkiewicza",
    "Mickiewicza",
    "Grunwaldzka",
    "Piłsudskiego",
    "Warszawska",
    "Świętojańska",
    "Żeromskiego",
    "Kościuszki",
    "Słoneczna",
    "Łąkowa",
    "Jana Pawła II",
    "Młynowa",
    "Źródlana",
]
CITIES = [
    ("15-950", "Białystok"),
    ("47-220", "Kędzierzyn-Koźle"),
    ("05-520", "Konstancin-Jeziorna"),
    ("05-092", "Łomianki"),
    ("64-100", "Leszno"),
    ("90-001", "Łódź"),
]
# The seat (gmina, powiat, województwo) of each town, as the organisation form records it (config/territory.py).
SEATS = {
    "Białystok": ("Białystok", "Białystok", "podlaskie"),
    "Kędzierzyn-Koźle": ("Kędzierzyn-Koźle", "kędzierzyńsko-kozielski", "opolskie"),
    "Konstancin-Jeziorna": ("Konstancin-Jeziorna", "piaseczyński", "mazowieckie"),
    "Łomianki": ("Łomianki", "warszawski zachodni", "mazowieckie"),
    "Leszno": ("Leszno", "Leszno", "wielkopolskie"),
    "Łódź": ("Łódź", "Łódź", "łódzkie"),
}


def seat_of(city: str) -> dict[str, str]:
    municipality, county, voivodeship = SEATS[city]
    return {"seat_municipality": municipality, "seat_county": county, "seat_voivodeship": voivodeship}


STATUTES = [
    "Zajęcia pozalekcyjne, wypoczynek i wyjazdy dla dzieci i młodzieży; wspieranie rodzin w trudnej sytuacji.",
    "Organizacja wydarzeń kulturalnych, warsztatów artystycznych i ochrona lokalnego dziedzictwa.",
    "Upowszechnianie kultury fizycznej, szkolenie dzieci i młodzieży, organizacja zawodów sportowych.",
    "Pomoc osobom starszym i z niepełnosprawnościami, prowadzenie klubu seniora i wolontariatu.",
    "Edukacja ekologiczna, ochrona przyrody i zwierząt, sprzątanie terenów zielonych.",
    "Profilaktyka uzależnień, prowadzenie punktu konsultacyjnego i grup wsparcia.",
]
# Areas typical of each legal form, by art. 4 ust. 1 code.
AREAS_BY_FORM = {
    LegalForm.FOUNDATION: ["1", "6", "7", "14", "15", "16", "18", "31", "32"],
    LegalForm.ASSOCIATION: ["1", "2", "4", "10", "13", "14", "15", "16", "19", "27", "32"],
    LegalForm.ASSOCIATION_BRANCH: ["1", "6", "7", "10", "18", "19", "23", "24"],
    LegalForm.ORDINARY_ASSOCIATION: ["4", "13", "16", "17", "19"],
    LegalForm.SPORTS_CLUB: ["17", "15", "19"],
}


def nip_with_checksum(rng: random.Random) -> str:
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def regon_with_checksum(rng: random.Random) -> str:
    weights = (8, 9, 2, 3, 4, 5, 6, 7)
    digits = [rng.randint(0, 9) for _ in range(8)]
    check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


def bank_account(rng: random.Random) -> str:
    bban = "10901014" + "".join(str(rng.randint(0, 9)) for _ in range(16))
    return "PL" + iban.calc_check_digits("PL00" + bban) + bban


def _name(rng: random.Random, form: str) -> str:
    if form == LegalForm.FOUNDATION:
        return rng.choice(
            [
                lambda: f"Fundacja {rng.choice(CAUSES)}",
                lambda: f"Fundacja „{rng.choice(ADJECTIVES)} {rng.choice(FOUNDATION_NOUNS)}”",
                lambda: f"Fundacja im. {rng.choice(PATRONS)}",
            ]
        )()
    if form == LegalForm.ASSOCIATION:
        return rng.choice(
            [
                lambda: f"Stowarzyszenie Przyjaciół {rng.choice(PLACES)}",
                lambda: f"Stowarzyszenie na rzecz {rng.choice(CAUSES)}",
                lambda: f"Towarzystwo Miłośników {rng.choice(PLACES)}",
                lambda: f"Stowarzyszenie {rng.choice(CAUSES)} „{rng.choice(FOUNDATION_NOUNS)}”",
            ]
        )()
    if form == LegalForm.ASSOCIATION_BRANCH:
        return f"{rng.choice(NATIONAL_BODIES)} – {rng.choice(BRANCH_KINDS)} {rng.choice(PLACES)}"
    if form == LegalForm.ORDINARY_ASSOCIATION:
        return f"Stowarzyszenie zwykłe „{rng.choice(ADJECTIVES)} {rng.choice(FOUNDATION_NOUNS)} {rng.choice(PLACES)}”"
    return rng.choice(
        [
            lambda: f"Uczniowski Klub Sportowy „{rng.choice(CLUB_NAMES)}”",
            lambda: f"Klub Sportowy {rng.choice(CLUB_NAMES)} {rng.choice(PLACES)}",
            lambda: f"Klub {rng.choice(SPORTS)} „{rng.choice(CLUB_NAMES)}”",
        ]
    )()


def build_organisations(seed: int = 2013, site=None, taken: frozenset[str] = frozenset()) -> list:
    """The city's unsaved organisations (and their area codes), always the same for a given seed.

    For a region site other than the first (``accounts.demo.DemoSite``) every organisation has its seat in the site's
    town, KRS numbers of its own range and NIPs not ``taken`` by the sites before it.
    """
    rng = random.Random(seed)
    forms = [form for form, count in BIALYSTOK_MIX.items() for _ in range(count)]
    opp_count = BIALYSTOK_OPP
    opp_eligible = [i for i, form in enumerate(forms) if form != LegalForm.ORDINARY_ASSOCIATION]
    opp_indexes = set(rng.sample(opp_eligible, opp_count))
    seen: set[str] = set()
    nips: set[str] = set(taken)
    built = []
    regional = site is not None and not site.first
    for index, form in enumerate(forms):
        name = _name(rng, form)
        while name in seen:
            name = f"{_name(rng, form)}"
            if name in seen:
                name = f"{name} {rng.choice(PLACES)}"
        seen.add(name)
        postal_code, city = rng.choice(CITIES)
        seat = seat_of(city) if not regional else None
        if regional:
            postal_code, city, (municipality, county, voivodeship) = site.seat
            seat = {"seat_municipality": municipality, "seat_county": county, "seat_voivodeship": voivodeship}
        has_krs = form in (LegalForm.FOUNDATION, LegalForm.ASSOCIATION) or (
            form == LegalForm.SPORTS_CLUB and rng.random() < 0.6
        )
        is_opp = index in opp_indexes
        krs = f"{100000 + index * 7 + seed % 97:010d}"
        if regional:
            krs = f"{site.number * 1_000_000 + 100000 + index:010d}"
        nip = nip_with_checksum(rng)
        while nip in nips:
            nip = nip_with_checksum(rng)
        nips.add(nip)
        organisation = Organisation(
            name=name,
            search_name=search_key(name),
            legal_form=form,
            krs=krs if has_krs else "",
            other_register="" if has_krs else f"ewidencja Starosty, nr {100 + index}",
            nip=nip,
            regon=regon_with_checksum(rng),
            street=f"ul. {rng.choice(STREETS)} {rng.randint(1, 120)}",
            postal_code=postal_code,
            city=city,
            email=f"kontakt{index}@organizacja.example.pl"
            if not regional
            else f"kontakt{index}@organizacja.{site.slug}.example.pl",
            phone=f"+48 {rng.randint(500, 799)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            bank_account=bank_account(rng),
            is_opp=is_opp,
            opp_since=date(2004, 1, 1) + timedelta(days=rng.randint(0, 7000)) if is_opp else None,
            statutory_activity=rng.choice(STATUTES),
            **seat,
        )
        codes = rng.sample(AREAS_BY_FORM[form], k=min(3, len(AREAS_BY_FORM[form])))
        built.append((organisation, codes))
    return built


@cache
def _site_build(number: int) -> tuple:
    """The organisations of region site ``number``, built after those of the sites before it (no NIP twice)."""
    from accounts.demo import DEMO_SITES

    if number == 0:
        return tuple(build_organisations())
    taken = frozenset(o.nip for n in range(number) for o, _ in _site_build(n))
    return tuple(build_organisations(2013 + number, DEMO_SITES[number], taken))


def _at_scale(built, scale: float) -> list:
    """A smaller scale takes the first organisations of each legal form, so scales nest in each other."""
    chosen = []
    for form, count in BIALYSTOK_MIX.items():
        of_form = [item for item in built if item[0].legal_form == form]
        chosen += of_form[: max(1, round(count * scale))]
    return chosen


def site_organisations(site=None):
    """The organisations seeded for a site (the first site's include the demo login's own organisation)."""
    from accounts.demo import DEMO_ORGANISATION, FIRST_SITE

    site = site or FIRST_SITE
    nips = [o.nip for o, _ in _site_build(site.number)]
    if site.first:
        nips.append(DEMO_ORGANISATION["nip"])
    return Organisation.objects.filter(nip__in=nips)


@transaction.atomic
def seed_organisations(scale: float, site=None) -> int:
    """Create the site's demo organisations that do not exist yet (matched by NIP). Returns how many were added."""
    from accounts.demo import FIRST_SITE

    built = _at_scale(_site_build((site or FIRST_SITE).number), scale)
    existing = set(Organisation.objects.filter(nip__in=[o.nip for o, _ in built]).values_list("nip", flat=True))
    new = [(copy(o), codes) for o, codes in built if o.nip not in existing]  # the built ones stay unsaved
    Organisation.objects.bulk_create([o for o, _ in new], batch_size=500)
    areas = dict(PublicTaskArea.objects.values_list("code", "pk"))
    through = Organisation.areas.through
    saved = dict(Organisation.objects.filter(nip__in=[o.nip for o, _ in new]).values_list("nip", "pk"))
    through.objects.bulk_create(
        [through(organisation_id=saved[o.nip], publictaskarea_id=areas[c]) for o, codes in new for c in codes],
        batch_size=1000,
    )
    return len(new)
