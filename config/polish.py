"""Polish as offices write it: money, numbers, plurals, dates, the grammar of authorities and their organs.

One low module that services, templates (through ``reports/templatetags/formatting.py``) and PDFs all use; it
imports nothing from the product apps. The dated citations of the act and of the offer-form regulations are in
``config/legal.py``.

Grammar: a local government's name is a head noun and a rest ("Gmina Konstancin-Jeziorna", "Powiat Łódzki
Wschodni", "Miasto Białystok"). The head declines; after "Gmina" and "Miasto" the rest is a proper name in
apposition and stays as written (as offices write "Gminy Konstancin-Jeziorna", "Miastem Białystok"); after
"Powiat" and "Województwo" the rest is adjectives, which agree ("Powiatu Łódzkiego Wschodniego"). An organ's name is
a head and a genitive or prepositional complement ("Burmistrz Gminy X", "Rada Miejska w X"): only the head declines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language

NBSP = "\xa0"

# ---------------------------------------------------------------------------------------------------------------
# Numbers, money, plurals, dates


@lru_cache(maxsize=16)
def _separators(language: str | None) -> tuple[str, object, str]:
    return tuple(get_format(name, language, use_l10n=True) for name in SEPARATORS)


SEPARATORS = ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")


@receiver(setting_changed)
def _formats_changed(**kwargs):
    _separators.cache_clear()


def _grouped(value, decimals: int) -> str:
    """``number_format(value, decimals, use_l10n=True, force_grouping=True)``, character for character, for the
    integers and decimals that pages show by the hundred: Django's function looks up three formats and groups the
    digits one by one on every call (``tests/config/test_polish.py`` compares both)."""
    decimal_sep, grouping, thousand_sep = _separators(get_language())
    exact = type(value) is int or (isinstance(value, Decimal) and value.is_finite())
    if grouping != 3 or not exact:
        return number_format(value, decimals, use_l10n=True, force_grouping=True)
    if isinstance(value, Decimal):
        if abs(value) < Decimal("0." + "1".rjust(decimals, "0")):
            value = Decimal("0")  # too small for the decimals shown (Django's own cut-off)
        _, digits, exponent = value.as_tuple()
        if abs(exponent) + len(digits) > 200:
            return number_format(value, decimals, use_l10n=True, force_grouping=True)
        text = f"{value:f}"
    else:
        text = str(value)
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    int_part, _, dec_part = text.partition(".")
    dec_part = dec_part[:decimals]
    dec_part += "0" * (decimals - len(dec_part))
    grouped = f"{int(int_part):,}".replace(",", thousand_sep)
    return sign + grouped + (decimal_sep + dec_part if dec_part else "")


def format_money(value) -> str:
    """``Decimal("357000")`` → ``357 000,00 zł`` with non-breaking spaces, as Polish offices write it."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"{_grouped(amount, 2)}{NBSP}zł"


def format_number(value, decimals: int = 0) -> str:
    """A grouped Polish number: ``1038`` → ``1 038``; ``12.5`` with 1 decimal → ``12,5``."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = Decimal(value)
    return _grouped(value, int(decimals))


def format_ratio(value, decimals: int = 1) -> str:
    """A ratio as a Polish percentage: ``0.1234`` → ``12,3%``; nothing to show → ``—``."""
    if value is None or value == "":
        return "—"
    return f"{number_format(Decimal(value) * 100, int(decimals), use_l10n=True, force_grouping=True)}%"


def format_percent(value) -> str:
    """``Decimal("10.00")`` → ``10%``, ``Decimal("12.5")`` → ``12,5%`` (Polish decimal comma)."""
    text = number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)
    return text.rstrip("0").rstrip(",") + "%"


def polish_plural(count: int, one: str, few: str, many: str) -> str:
    """Polish has three plural forms: 1 organizacja, 2–4 organizacje, 5+ organizacji (but 22 organizacje)."""
    count = abs(int(count))
    if count == 1:
        return one
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return few
    return many


def format_date(value: date | datetime | str | None) -> str:
    """``31.05.2026``; an ISO date stored as text in a JSON snapshot (``2026-05-31``) too; nothing → ``—``."""
    if not value:
        return "—"
    if isinstance(value, str):
        year, month, day = value[:10].split("-")
        return f"{day}.{month}.{year}"
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


# ---------------------------------------------------------------------------------------------------------------
# Cases and genders


class Case(StrEnum):
    NOM = "nom"  # mianownik: kto? co?
    GEN = "gen"  # dopełniacz: kogo? czego?
    DAT = "dat"  # celownik: komu? czemu?
    ACC = "acc"  # biernik: kogo? co?
    INS = "ins"  # narzędnik: (z) kim? (z) czym?
    LOC = "loc"  # miejscownik: o kim? o czym?


class Gender(StrEnum):
    MASCULINE_PERSONAL = "m1"  # Wójt, Burmistrz, Prezydent: accusative = genitive
    MASCULINE = "m3"  # Powiat, Zarząd, Sejmik: accusative = nominative
    FEMININE = "f"
    NEUTER = "n"


def _forms(gender: Gender, *forms: str) -> tuple[Gender, dict[Case, str]]:
    return gender, dict(zip(Case, forms, strict=True))


# Heads of authorities' and organs' names, nominative first (longest match wins).
HEADS: dict[str, tuple[Gender, dict[Case, str]]] = {
    "Gmina Miejska": _forms(
        Gender.FEMININE,
        "Gmina Miejska",
        "Gminy Miejskiej",
        "Gminie Miejskiej",
        "Gminę Miejską",
        "Gminą Miejską",
        "Gminie Miejskiej",
    ),
    "Gmina": _forms(Gender.FEMININE, "Gmina", "Gminy", "Gminie", "Gminę", "Gminą", "Gminie"),
    # Urban-rural gminas named "Miasto i Gmina X": the participle agrees with the nearer noun ("reprezentowana").
    "Miasto i Gmina": _forms(
        Gender.FEMININE,
        "Miasto i Gmina",
        "Miasta i Gminy",
        "Miastu i Gminie",
        "Miasto i Gminę",
        "Miastem i Gminą",
        "Mieście i Gminie",
    ),
    "Miasto Stołeczne": _forms(
        Gender.NEUTER,
        "Miasto Stołeczne",
        "Miasta Stołecznego",
        "Miastu Stołecznemu",
        "Miasto Stołeczne",
        "Miastem Stołecznym",
        "Mieście Stołecznym",
    ),
    "Miasto": _forms(Gender.NEUTER, "Miasto", "Miasta", "Miastu", "Miasto", "Miastem", "Mieście"),
    "Powiat": _forms(Gender.MASCULINE, "Powiat", "Powiatu", "Powiatowi", "Powiat", "Powiatem", "Powiecie"),
    "Województwo": _forms(
        Gender.NEUTER, "Województwo", "Województwa", "Województwu", "Województwo", "Województwem", "Województwie"
    ),
    "Wójt": _forms(Gender.MASCULINE_PERSONAL, "Wójt", "Wójta", "Wójtowi", "Wójta", "Wójtem", "Wójcie"),
    "Burmistrz": _forms(
        Gender.MASCULINE_PERSONAL, "Burmistrz", "Burmistrza", "Burmistrzowi", "Burmistrza", "Burmistrzem", "Burmistrzu"
    ),
    "Prezydent": _forms(
        Gender.MASCULINE_PERSONAL,
        "Prezydent",
        "Prezydenta",
        "Prezydentowi",
        "Prezydenta",
        "Prezydentem",
        "Prezydencie",
    ),
    "Zarząd": _forms(Gender.MASCULINE, "Zarząd", "Zarządu", "Zarządowi", "Zarząd", "Zarządem", "Zarządzie"),
    "Rada Miejska": _forms(
        Gender.FEMININE,
        "Rada Miejska",
        "Rady Miejskiej",
        "Radzie Miejskiej",
        "Radę Miejską",
        "Radą Miejską",
        "Radzie Miejskiej",
    ),
    "Rada": _forms(Gender.FEMININE, "Rada", "Rady", "Radzie", "Radę", "Radą", "Radzie"),
    "Sejmik": _forms(Gender.MASCULINE, "Sejmik", "Sejmiku", "Sejmikowi", "Sejmik", "Sejmikiem", "Sejmiku"),
}

# Heads after which the rest of the name is adjectives that agree with the head.
ADJECTIVAL_HEADS = {"Powiat", "Województwo"}

# The common noun for the unit, lower case: "z budżetu gminy", "z budżetu powiatu".
UNIT_NOUNS = {
    "Gmina": "Gmina",
    "Gmina Miejska": "Gmina",
    "Miasto i Gmina": "Gmina",
    "Miasto": "Miasto",
    "Miasto Stołeczne": "Miasto",
    "Powiat": "Powiat",
    "Województwo": "Województwo",
}
# The unit's adjective in the genitive plural: "gminnych / miejskich / powiatowych / wojewódzkich osób prawnych".
UNIT_ADJECTIVES_GEN_PL = {
    "Gmina": "gminnych",
    "Miasto": "miejskich",
    "Powiat": "powiatowych",
    "Województwo": "wojewódzkich",
}

# Endings of adjectives and participles that agree with a noun ("reprezentowan" + ending).
_AGREEMENT = {
    Gender.MASCULINE_PERSONAL: {"nom": "y", "gen": "ego", "dat": "emu", "acc": "ego", "ins": "ym", "loc": "ym"},
    Gender.MASCULINE: {"nom": "y", "gen": "ego", "dat": "emu", "acc": "y", "ins": "ym", "loc": "ym"},
    Gender.FEMININE: {"nom": "a", "gen": "ej", "dat": "ej", "acc": "ą", "ins": "ą", "loc": "ej"},
    Gender.NEUTER: {"nom": "e", "gen": "ego", "dat": "emu", "acc": "e", "ins": "ym", "loc": "ym"},
}


def agree(stem: str, gender: Gender, case: Case | str) -> str:
    """A hard-stem adjective or participle agreeing with a noun: ``agree("zwan", FEMININE, "ins")`` → ``zwaną``."""
    return stem + _AGREEMENT[gender][Case(case)]


def decline_adjective(word: str, gender: Gender, case: Case | str) -> str:
    """A capitalised adjective of a county or region name: "Łódzki" → "Łódzkiego", "Mazowieckie" → "Mazowieckim".

    Only the part after the last hyphen declines ("Kujawsko-Pomorskie" → "Kujawsko-Pomorskiego").
    """
    case = Case(case)
    if case is Case.NOM or (case is Case.ACC and gender in (Gender.MASCULINE, Gender.NEUTER)):
        return word
    if gender is Gender.FEMININE:
        stem = word[:-1]
        soft = "i" if stem.endswith(("k", "g")) else ""
        return stem + {"gen": soft + "ej", "dat": soft + "ej", "acc": "ą", "ins": "ą", "loc": soft + "ej"}[case]
    # "Mazowieckie" → "Mazowiecki", "Nowe" → "Now"; "Łódzki" stays, "Nowy" → "Now".
    base = word[:-1] if gender is Gender.NEUTER or not word.endswith("i") else word
    if case in (Case.INS, Case.LOC):
        return base + "m" if base.endswith("i") else base + "ym"
    return base + {"gen": "ego", "dat": "emu", "acc": "ego"}[case]


def split_head(text: str) -> tuple[str, str]:
    """``"Powiat Łódzki Wschodni"`` → ``("Powiat", "Łódzki Wschodni")``; no known head → ``("", text)``."""
    for head in sorted(HEADS, key=len, reverse=True):
        if text == head or text.startswith(head + " "):
            return head, text[len(head) :].strip()
    return "", text


def gender_of(text: str) -> Gender | None:
    head, _rest = split_head(text)
    return HEADS[head][0] if head else None


def decline(text: str, case: Case | str) -> str:
    """The name of an authority or organ in ``case``: "Zarząd Powiatu Kozielskiego" → "Zarządowi Powiatu …"."""
    case = Case(case)
    head, rest = split_head(text)
    if not head:
        return text
    gender, forms = HEADS[head]
    if head in ADJECTIVAL_HEADS and rest:
        words = rest.split(" ")
        declined = []
        for index, word in enumerate(words):
            if not re.search(r"(ski|cki|dzki|ny|wy|i|y|ie|e)$", word):
                declined.extend(words[index:])
                break
            declined.append(decline_adjective(word, gender, case))
        rest = " ".join(declined)
    if head == "Miasto Stołeczne" and rest == "Warszawa":  # the capital's name agrees: "Miasta Stołecznego Warszawy"
        rest = {"gen": "Warszawy", "dat": "Warszawie", "acc": "Warszawę", "ins": "Warszawą", "loc": "Warszawie"}.get(
            case, rest
        )
    return f"{forms[case]} {rest}".strip()


# ---------------------------------------------------------------------------------------------------------------
# Authorities and their organs


class Kind(StrEnum):
    """The kinds of ``programmes.Authority.Kind`` (the same codes)."""

    URBAN = "urban"
    URBAN_RURAL = "urban_rural"
    RURAL = "rural"
    CITY_COUNTY = "city_county"
    COUNTY = "county"
    VOIVODESHIP = "voivodeship"


# Which head the authority's own name starts with, per kind (the first is the usual one).
NAME_HEADS = {
    Kind.URBAN: ("Gmina", "Miasto", "Gmina Miejska"),
    Kind.URBAN_RURAL: ("Gmina", "Miasto i Gmina", "Miasto"),
    Kind.RURAL: ("Gmina",),
    Kind.CITY_COUNTY: ("Miasto", "Gmina", "Miasto Stołeczne"),
    Kind.COUNTY: ("Powiat",),
    Kind.VOIVODESHIP: ("Województwo",),
}
# Executive titles (``programmes.Authority.ExecutiveTitle`` codes) each kind may have (art. 26 u.s.g., art. 26
# u.s.p., art. 31 u.s.w.; a city with county rights is run by its prezydent, art. 92 u.s.p.).
EXECUTIVE_TITLES = {
    Kind.URBAN: ("burmistrz", "prezydent"),
    Kind.URBAN_RURAL: ("burmistrz",),
    Kind.RURAL: ("wojt",),
    Kind.CITY_COUNTY: ("prezydent",),
    Kind.COUNTY: ("zarzad_powiatu",),
    Kind.VOIVODESHIP: ("zarzad_wojewodztwa",),
}
EXECUTIVE_HEADS = {
    "wojt": "Wójt",
    "burmistrz": "Burmistrz",
    "prezydent": "Prezydent",
    "zarzad_powiatu": "Zarząd",
    "zarzad_wojewodztwa": "Zarząd",
}
COUNCIL_HEADS = {
    Kind.URBAN: ("Rada Miejska", "Rada Miasta"),
    Kind.URBAN_RURAL: ("Rada Miejska", "Rada Gminy", "Rada Miasta"),
    Kind.RURAL: ("Rada Gminy",),
    Kind.CITY_COUNTY: ("Rada Miasta", "Rada Miejska"),
    Kind.COUNTY: ("Rada Powiatu",),
    Kind.VOIVODESHIP: ("Sejmik Województwa",),
}


def default_executive_name(kind: str, executive_title: str, name: str) -> str:
    """ "Wójt Gminy Zbójno", "Burmistrz Gminy Konstancin-Jeziorna", "Prezydent Miasta Kędzierzyn-Koźle",
    "Zarząd Powiatu Kozielskiego", "Zarząd Województwa Opolskiego" — what offices write unless their statute differs."""
    head, rest = split_head(name)
    if executive_title == "prezydent":
        return (
            f"Prezydent {decline(name, Case.GEN)}" if head == "Miasto Stołeczne" else f"Prezydent Miasta {rest}".strip()
        )
    if executive_title == "zarzad_powiatu":
        return f"Zarząd {decline(name, Case.GEN)}" if head == "Powiat" else f"Zarząd Powiatu {rest}".strip()
    if executive_title == "zarzad_wojewodztwa":
        return f"Zarząd {decline(name, Case.GEN)}" if head == "Województwo" else f"Zarząd Województwa {rest}".strip()
    title = "Wójt" if executive_title == "wojt" else "Burmistrz"
    if not head:
        return f"{title} {decline(_fallback_head(kind), Case.GEN)} {name}".strip()
    return f"{title} {decline(name, Case.GEN)}"


def _fallback_head(kind: str) -> str:
    return NAME_HEADS.get(Kind(kind), ("Gmina",))[0] if kind in Kind._value2member_map_ else "Gmina"


@dataclass(frozen=True)
class AuthorityGrammar:
    """How documents name an authority and its organs, in every case.

    >>> g = AuthorityGrammar("county", "Powiat Kozielski", "Zarząd Powiatu Kozielskiego", "Rada Powiatu Kozielskiego")
    >>> f"{g.name('nom')} {g.agree('reprezentowan')} przez {g.executive('acc')}"
    'Powiat Kozielski reprezentowany przez Zarząd Powiatu Kozielskiego'
    """

    kind: str
    official_name: str
    executive_name: str
    council_name: str

    @property
    def _name(self) -> str:
        """The name with a head noun: a bare "Kędzierzyn-Koźle" is read as "Miasto Kędzierzyn-Koźle"."""
        head, _rest = split_head(self.official_name)
        return self.official_name if head else f"{_fallback_head(self.kind)} {self.official_name}"

    @property
    def gender(self) -> Gender:
        return gender_of(self._name) or Gender.FEMININE

    def name(self, case: Case | str = Case.NOM) -> str:
        return decline(self._name, case)

    def executive(self, case: Case | str = Case.NOM) -> str:
        return decline(self.executive_name, case)

    def council(self, case: Case | str = Case.NOM) -> str:
        return decline(self.council_name, case)

    def agree(self, stem: str, case: Case | str = Case.NOM) -> str:
        """A participle agreeing with the authority: "reprezentowana" (gmina), "reprezentowany" (powiat)."""
        return agree(stem, self.gender, case)

    def executive_agree(self, stem: str, case: Case | str = Case.NOM) -> str:
        """Agreeing with the executive organ: "Wójt … ogłasza", "Zarząd … ogłasza"; "którego" for both."""
        return agree(stem, gender_of(self.executive_name) or Gender.MASCULINE_PERSONAL, case)

    def unit(self, case: Case | str = Case.NOM) -> str:
        """The common noun in lower case: "z budżetu gminy / miasta / powiatu / województwa"."""
        head, _rest = split_head(self._name)
        return HEADS[UNIT_NOUNS.get(head, "Gmina")][1][Case(case)].lower()

    @property
    def unit_adjective_gen_pl(self) -> str:
        """ "gminnych / miejskich / powiatowych / wojewódzkich (osób prawnych)"."""
        head, _rest = split_head(self._name)
        return UNIT_ADJECTIVES_GEN_PL[UNIT_NOUNS.get(head, "Gmina")]

    @property
    def executive_is_collective(self) -> bool:
        """A board (zarząd) acts through its members; a wójt, burmistrz or prezydent acts alone."""
        return split_head(self.executive_name)[0] == "Zarząd"

    def represented_by(self, case: Case | str = Case.NOM) -> str:
        """ "Gmina X reprezentowana przez Wójta Gminy X", "Powiat Y reprezentowany przez Zarząd Powiatu Y"."""
        return f"{self.name(case)} {self.agree('reprezentowan', case)} przez {self.executive(Case.ACC)}"

    def texts(self) -> dict[str, str]:
        """The phrases indicator texts are written with (``{unit_gen}``, ``{unit_loc}``, ``{unit_adj_gen_pl}``)."""
        return {
            "unit_gen": self.unit(Case.GEN),
            "unit_loc": self.unit(Case.LOC),
            "unit_adj_gen_pl": self.unit_adjective_gen_pl,
            "unit_ins": self.unit(Case.INS),
        }


def check_authority_names(*, kind: str, executive_title: str, name: str, executive_name: str, council_name: str):
    """Errors per field (Polish) when the names do not fit the kind, so documents can decline them."""
    errors: dict[str, str] = {}
    if kind not in Kind._value2member_map_:
        return errors
    kind = Kind(kind)
    head, _rest = split_head(name)
    if head not in NAME_HEADS[kind]:
        starts = " albo ".join(f"„{h}”" for h in NAME_HEADS[kind])
        errors["name"] = f"Nazwa jednostki tego rodzaju zaczyna się od {starts} (np. „{NAME_HEADS[kind][0]} …”)."
    if executive_title and executive_title not in EXECUTIVE_TITLES[kind]:
        errors["executive_title"] = "Ten organ wykonawczy nie występuje w jednostce tego rodzaju."
    expected_head = EXECUTIVE_HEADS.get(executive_title)
    if executive_name and expected_head and split_head(executive_name)[0] != expected_head:
        errors["executive_name"] = f"Pełna nazwa organu zaczyna się od „{expected_head}”."
    if council_name and not any(council_name.startswith(h + " ") for h in COUNCIL_HEADS[kind]):
        starts = " albo ".join(f"„{h}”" for h in COUNCIL_HEADS[kind])
        errors["council_name"] = f"Organ stanowiący jednostki tego rodzaju to {starts}."
    return errors


# ---------------------------------------------------------------------------------------------------------------
# Titles


def programme_title_genitive(title: str) -> str:
    """ "w sprawie przyjęcia …": "Roczny Program Współpracy …" → "Rocznego Programu Współpracy …".

    The leading adjectives and the head noun "program" decline; what follows it is already a complement. A title
    that does not start that way is quoted after "programu": "programu „Razem dla Łomianek”".
    """
    words = title.split(" ")
    for index, word in enumerate(words[:4]):
        if word.lower() == "program":
            declined = [_adjective_gen(w) for w in words[:index]]
            if any(d is None for d in declined):
                break
            return " ".join([*declined, word + "u", *words[index + 1 :]])
    return f"programu „{title}”"


def _adjective_gen(word: str) -> str | None:
    if word.endswith(("ki", "gi")):
        return word + "ego"
    if word.endswith("i"):
        return word[:-1] + "iego"
    if word.endswith("y"):
        return word[:-1] + "ego"
    return None


# ---------------------------------------------------------------------------------------------------------------
# Organisations (the other party of an agreement)

# Head nouns of organisations' names: gender and instrumental ("a Fundacją …, wpisaną …, zwaną dalej …").
ORGANISATION_HEADS: dict[str, tuple[Gender, str]] = {
    "Fundacja": (Gender.FEMININE, "Fundacją"),
    "Stowarzyszenie": (Gender.NEUTER, "Stowarzyszeniem"),
    "Towarzystwo": (Gender.NEUTER, "Towarzystwem"),
    "Zrzeszenie": (Gender.NEUTER, "Zrzeszeniem"),
    "Koło": (Gender.NEUTER, "Kołem"),
    "Klub": (Gender.MASCULINE, "Klubem"),
    "Związek": (Gender.MASCULINE, "Związkiem"),
    "Oddział": (Gender.MASCULINE, "Oddziałem"),
    "Bank": (Gender.MASCULINE, "Bankiem"),
    "Spółdzielnia": (Gender.FEMININE, "Spółdzielnią"),
    "Parafia": (Gender.FEMININE, "Parafią"),
    "Caritas": (Gender.FEMININE, "Caritas"),
    "Straż": (Gender.FEMININE, "Strażą"),
}
_ADJECTIVE_ENDINGS = {
    Gender.MASCULINE: ("ski", "cki", "dzki", "ny", "wy", "ty", "ły", "czy", "ni"),
    Gender.FEMININE: ("ska", "cka", "dzka", "na", "wa", "ta", "ła", "cza"),
    Gender.NEUTER: ("skie", "ckie", "dzkie", "ne", "we", "te", "łe", "cze"),
}
# When the name starts otherwise ("Uczniowski Klub Sportowy", "KS Odra"): the legal form's noun decides.
LEGAL_FORM_GENDERS = {
    "foundation": Gender.FEMININE,
    "association": Gender.NEUTER,
    "association_branch": Gender.MASCULINE,
    "ordinary_association": Gender.NEUTER,
    "sports_club": Gender.MASCULINE,
    "church_entity": Gender.FEMININE,
    "lg_association": Gender.NEUTER,
    "social_cooperative": Gender.FEMININE,
    "non_profit_company": Gender.FEMININE,
    "rural_housewives_circle": Gender.NEUTER,
}


def organisation_gender(name: str, legal_form: str = "") -> Gender:
    """ "Fundacja …" feminine, "Stowarzyszenie …" neuter, "Uczniowski Klub …" masculine; else the legal form's noun."""
    words = name.split(" ") if name else []
    for word in words[:4]:
        if word in ORGANISATION_HEADS:
            return ORGANISATION_HEADS[word][0]
    for gender in (Gender.NEUTER, Gender.FEMININE, Gender.MASCULINE):  # "-skie" before "-ski"
        if words and _is_adjective(words[0], gender):
            return gender
    return LEGAL_FORM_GENDERS.get(legal_form, Gender.FEMININE)


def _is_adjective(word: str, gender: Gender) -> bool:
    return word[:1].isupper() and word.endswith(_ADJECTIVE_ENDINGS[gender])


def organisation_instrumental(name: str) -> str:
    """ "a Fundacją Pomocy …", "a Uczniowskim Klubem Sportowym „Orlik”", "a Polskim Towarzystwem Turystyczno-…".

    The head noun declines with the adjectives before it and the adjectives of its gender right after it ("Klubem
    Sportowym"); the rest stays as registered ("Fundacją Podlaskie Dzieci": "Podlaskie" does not agree with
    "Fundacja"). A name without a known noun stays as registered.
    """
    words = name.split(" ")
    for index, word in enumerate(words[:4]):
        if word in ORGANISATION_HEADS:
            gender, instrumental = ORGANISATION_HEADS[word]
            before = words[:index]
            if not all(_is_adjective(w, gender) for w in before):
                return name
            after = index + 1
            while after < len(words) and _is_adjective(words[after], gender):
                after += 1
            declined = [decline_adjective(w, gender, Case.INS) for w in before + words[index + 1 : after]]
            return " ".join([*declined[: len(before)], instrumental, *declined[len(before) :], *words[after:]])
    return name
