"""The indicator registry: every indicator of domain.md §12 with a stable code.

A programme lists the indicators it will be judged by (``programmes.Indicator``) by these codes; the
computations over the portal's data are added with the reporting feature, each under the same code.
"""

from dataclasses import dataclass

# Where no authority is known (the choice list of the form), the texts name the unit neutrally.
NEUTRAL_TEXTS = {
    "unit_gen": "jednostki samorządu",
    "unit_loc": "jednostce samorządu",
    "unit_adj_gen_pl": "samorządowych",
    "unit_ins": "jednostką samorządu",
}


@dataclass(frozen=True)
class IndicatorDefinition:
    """An indicator; its name and measure say "{unit_gen}" where the programme wrote "gminy" or "miasta".

    The texts follow the authority: a county's report says "z budżetu powiatu", a city's "z budżetu miasta".
    """

    code: str
    source: str
    kind: str  # "quality" (wskaźnik jakościowy), "numeric" (wskaźnik liczbowy), "product", "result"
    name_text: str
    measure_text: str
    unit: str

    def name_for(self, authority=None) -> str:
        return self.name_text.format(**_texts(authority))

    def measure_for(self, authority=None) -> str:
        return self.measure_text.format(**_texts(authority))

    @property
    def name(self) -> str:
        return self.name_for(None)

    @property
    def measure(self) -> str:
        return self.measure_for(None)


def _texts(authority) -> dict[str, str]:
    """``authority`` is a ``programmes.Authority`` or a ``config.polish.AuthorityGrammar``."""
    if authority is None:
        return NEUTRAL_TEXTS
    return getattr(authority, "grammar", authority).texts()


_S2 = "Kędzierzyn-Koźle, program 2025, § 10"
_S4 = "Łomianki, program 2012, § 10 ust. 3"
_S1 = "Leszno, strategia 2009–2013"
_S3 = "Białystok, baza organizacji"
_ACT = "ustawa, art. 5a ust. 3 (sprawozdanie z realizacji programu)"

REGISTRY: tuple[IndicatorDefinition, ...] = (
    IndicatorDefinition(
        "Q1",
        _S2,
        "quality",
        "Efektywność wykorzystania środków",
        "Stosunek sumy kwot dotacji wykorzystanych i rozliczonych do sumy kwot dotacji przekazanych",
        "%",
    ),
    IndicatorDefinition(
        "Q2",
        _S2,
        "quality",
        "Efektywność kontroli",
        "Stosunek liczby wykonanych kontroli zadań publicznych do liczby kontroli zaplanowanych",
        "%",
    ),
    IndicatorDefinition(
        "Q3",
        _S2,
        "quality",
        "Efektywność realizacji zadań publicznych we współpracy z organizacjami",
        "Stosunek liczby zrealizowanych zadań do liczby podpisanych umów",
        "%",
    ),
    IndicatorDefinition(
        "Q4",
        _S2,
        "quality",
        "Powszechność trybu zlecania zadań publicznych",
        "Stosunek liczby organizacji przystępujących do konkursów oraz składających wnioski w trybie "
        "art. 19a i 19b do liczby organizacji zarejestrowanych w {unit_loc}",
        "%",
    ),
    IndicatorDefinition(
        "Q5",
        _S2,
        "quality",
        "Poziom realizacji zapotrzebowania na rodzaj zadań publicznych",
        "Stosunek liczby postępowań (z co najmniej jedną ofertą) do liczby ofert i wniosków",
        "%",
    ),
    IndicatorDefinition(
        "Q6",
        _S2,
        "quality",
        "Udział trybu pozakonkursowego w całkowitej kwocie dotacji",
        "Stosunek kwoty dotacji w trybie art. 19a do sumy kwot dotacji w roku budżetowym",
        "%",
    ),
    IndicatorDefinition(
        "Q7",
        _S2,
        "quality",
        "Prawidłowość trybu pozakonkursowego – limit 20 000 zł rocznie",
        "Organizacje z sumą dotacji art. 19a do 20 tys. zł w roku do organizacji z dotacjami art. 19a",
        "%",
    ),
    IndicatorDefinition(
        "Q8",
        _S2,
        "quality",
        "Prawidłowość trybu pozakonkursowego – limit 10 000 zł dotacji",
        "Organizacje z jednorazową dotacją art. 19a do 10 tys. zł do organizacji z dotacjami art. 19a",
        "%",
    ),
    IndicatorDefinition(
        "N1",
        _S2,
        "numeric",
        "Liczba konsultacji projektów aktów normatywnych",
        "Liczba projektów aktów normatywnych poddanych konsultacjom",
        "szt.",
    ),
    IndicatorDefinition(
        "N2",
        _S2,
        "numeric",
        "Liczba spotkań z organizacjami",
        "Liczba spotkań informacyjno-szkoleniowych z inicjatywy {unit_gen}",
        "szt.",
    ),
    IndicatorDefinition(
        "N3",
        _S2,
        "numeric",
        "Liczba udostępnionych lokali organizacjom",
        "Lokale {unit_gen} lub {unit_adj_gen_pl} osób prawnych udostępnione na preferencyjnych warunkach",
        "szt.",
    ),
    IndicatorDefinition(
        "N4",
        _S2,
        "numeric",
        "Udział środków finansowych {unit_gen} w realizacji zadań publicznych",
        "Środki {unit_gen} przekazane organizacjom do całkowitych kosztów realizacji zadań",
        "%",
    ),
    IndicatorDefinition(
        "N5",
        _S2,
        "numeric",
        "Udział środków finansowych {unit_gen} i NGO w realizacji zadań publicznych",
        "Środki {unit_gen} do całkowitych kosztów finansowych poniesionych przez organizacje",
        "%",
    ),
    IndicatorDefinition(
        "N6",
        _S2,
        "numeric",
        "Wspólne umowy z organizacjami",
        "Liczba umów partnerskich oraz innych umów podpisanych z organizacjami",
        "szt.",
    ),
    IndicatorDefinition(
        "N7",
        _S2,
        "numeric",
        "Wkład osobowy i wolontariat",
        "Liczba osób wykonujących nieodpłatne świadczenia w ramach wkładu osobowego i wolontariatu",
        "osób",
    ),
    IndicatorDefinition(
        "N8",
        _S2,
        "numeric",
        "Wartość wkładu osobowego i wolontariatu",
        "Deklarowana przez organizacje wartość wkładu osobowego i wolontariatu",
        "zł",
    ),
    IndicatorDefinition(
        "L1", _S4, "numeric", "Liczba ogłoszonych otwartych konkursów ofert", "Liczba konkursów", "szt."
    ),
    IndicatorDefinition("L2", _S4, "numeric", "Liczba ofert złożonych w otwartych konkursach", "Liczba ofert", "szt."),
    IndicatorDefinition("L3", _S4, "numeric", "Liczba zawartych umów", "Liczba umów", "szt."),
    IndicatorDefinition("L4", _S4, "numeric", "Liczba umów zawartych w trybie art. 19a", "Liczba umów", "szt."),
    IndicatorDefinition(
        "L5",
        _S4,
        "numeric",
        "Liczba beneficjentów zrealizowanych zadań",
        "Suma odbiorców wykazanych w przyjętych sprawozdaniach końcowych",
        "osób",
    ),
    IndicatorDefinition(
        "L6",
        _S4,
        "numeric",
        "Wysokość środków z budżetu {unit_gen} na zadania organizacji",
        "Suma dotacji przekazanych",
        "zł",
    ),
    IndicatorDefinition(
        "L7",
        _S4,
        "numeric",
        "Liczba projektów aktów normatywnych konsultowanych",
        "Liczba konsultowanych projektów",
        "szt.",
    ),
    IndicatorDefinition(
        "L8",
        _S4,
        "numeric",
        "Stopień realizacji rezultatów zadań",
        "Średni stosunek osiągniętych do planowanych rezultatów",
        "%",
    ),
    IndicatorDefinition(
        "LP1", _S1, "product", "Liczba stworzonych programów służących wsparciu mieszkańców", "Liczba programów", "szt."
    ),
    IndicatorDefinition(
        "LP2",
        _S1,
        "product",
        "Liczba zrealizowanych projektów na rzecz lokalnej społeczności",
        "Liczba wykonanych umów",
        "szt.",
    ),
    IndicatorDefinition(
        "LR1", _S1, "result", "Kwota środków z budżetu {unit_gen} na działania organizacji", "Suma dotacji w roku", "zł"
    ),
    IndicatorDefinition(
        "LR2",
        _S1,
        "result",
        "Kwota środków pozyskanych przez organizacje z funduszy UE",
        "Suma deklarowanych środków UE",
        "zł",
    ),
    IndicatorDefinition(
        "B1",
        _S3,
        "numeric",
        "Liczba organizacji według formy prawnej",
        "Organizacje w bazie w podziale na formy prawne",
        "szt.",
    ),
    IndicatorDefinition(
        "B2", _S3, "numeric", "Liczba organizacji pożytku publicznego", "Organizacje ze statusem OPP", "szt."
    ),
    IndicatorDefinition(
        "C1",
        _ACT,
        "numeric",
        "Liczba organizacji współpracujących z {unit_ins}",
        "Organizacje (bez powtórzeń), które złożyły ofertę, realizowały umowę lub współpracowały pozafinansowo "
        "z {unit_ins} w roku",
        "szt.",
    ),
)

BY_CODE = {definition.code: definition for definition in REGISTRY}
CHOICES = [(d.code, f"{d.code} – {d.name}") for d in REGISTRY]
S2_CODES = [f"Q{i}" for i in range(1, 9)] + [f"N{i}" for i in range(1, 9)]
