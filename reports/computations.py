"""Every indicator of the registry (``reports.indicators``) as a named computation over the portal's data.

Each computation takes the gathered rows (``reports.data.ReportData``) and a year and returns an
``IndicatorValue``. Percentages are ratios (0.2 = 20%); money is ``Decimal`` złoty; counts are ``int``.
Where the source's definition can be read more than one way, ``READINGS`` says which reading the portal uses.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from grants.models import Agreement, Control, Offer
from organisations.models import LegalForm
from programmes.models import CooperationActivity

from . import indicators as registry
from .data import ZERO, ReportData
from .local_initiative import organisations_requesting_in_territory

SMALL_GRANT_YEAR_LIMIT = Decimal("20000.00")  # art. 19a ust. 6
SMALL_GRANT_LIMIT = Decimal("10000.00")  # art. 19a ust. 1


@dataclass(frozen=True)
class IndicatorValue:
    code: str
    value: object  # Decimal ratio for "%", Decimal for "zł", int for counts, dict for breakdowns, None = no data
    unit: str
    alternative: object = None  # Q5: the literal reading beside the chosen one

    @property
    def definition(self) -> registry.IndicatorDefinition:
        return registry.BY_CODE[self.code]


READINGS = {
    "Q1": "Licznik: dotacje przekazane pomniejszone o kwoty do zwrotu (niewykorzystane, pobrane w nadmiernej "
    "wysokości, wykorzystane niezgodnie z przeznaczeniem) – w umowach z przyjętym sprawozdaniem końcowym; "
    "mianownik: wszystkie dotacje przekazane na zadania roku.",
    "Q2": "Kontrole z planu na dany rok przeprowadzone ÷ kontrole ujęte w planie; kontrole doraźne (spoza planu) "
    "nie są liczone, aby wskaźnik nie przekraczał 100%.",
    "Q3": "Umowy wykonane (rozliczone) ÷ umowy zawarte na zadania roku (także rozwiązane).",
    "Q4": "Organizacje, które złożyły ofertę w konkursie lub w trybie art. 19a albo wniosek o inicjatywę lokalną w "
    "imieniu mieszkańców (art. 19b; wnioski grup mieszkańców bez organizacji nie są liczone) ÷ aktywne organizacje w "
    "bazie portalu z siedzibą na obszarze jednostki (w liczniku również tylko organizacje z siedzibą na tym obszarze).",
    "Q5": "Definicja jest niejednoznaczna: dosłownie (postępowania z co najmniej jedną ofertą ÷ liczba ofert) daje "
    "100% tylko wtedy, gdy na każde postępowanie wpłynęła dokładnie jedna oferta. Portal przyjmuje: postępowania z "
    "co najmniej jedną ofertą ÷ wszystkie postępowania (konkursy ogłoszone w roku; każda oferta w trybie art. 19a i "
    "art. 12 jest odrębnym postępowaniem z jedną ofertą); wartość dosłowną podaje obok.",
    "Q6": "Suma dotacji w umowach zawartych w trybie art. 19a ÷ suma dotacji we wszystkich zawartych umowach roku. "
    "Ustawowy limit (art. 19a ust. 7) odnosi się do 20% dotacji planowanych.",
    "Q7": "Organizacje, których suma dotacji art. 19a w roku kalendarzowym nie przekracza 20 000,00 zł (równo "
    "20 000,00 zł spełnia warunek) ÷ organizacje z dotacjami art. 19a.",
    "Q8": "Organizacje, których każda pojedyncza dotacja art. 19a nie przekracza 10 000,00 zł (równo 10 000,00 zł "
    "spełnia warunek) ÷ organizacje z dotacjami art. 19a.",
    "N1": "Konsultacje projektów aktów rozpoczęte w roku (bez projektów w przygotowaniu).",
    "N2": "Spotkania informacyjne i szkolenia z inicjatywy urzędu z rejestru współpracy pozafinansowej.",
    "N3": "Udostępnienia lokali na preferencyjnych warunkach z rejestru współpracy pozafinansowej.",
    "N4": "Dotacje rozliczone ÷ faktyczne całkowite koszty zadań (część II sprawozdań końcowych przyjętych, łącznie "
    "z wkładem niefinansowym).",
    "N5": "Tytuł mówi o środkach samorządu i organizacji, lecz miara to udział samego samorządu. Portal liczy miarę: "
    "dotacje "
    "rozliczone ÷ (dotacje rozliczone + wkład własny finansowy + świadczenia odbiorców), z przyjętych sprawozdań "
    "końcowych – koszty finansowe, bez wkładu osobowego i rzeczowego.",
    "N6": "Umowy partnerskie z rejestru współpracy pozafinansowej (umowy dotacyjne liczy wskaźnik L3).",
    "N7": "Suma osób (wolontariusze i członkowie świadczący pracę) wykazanych w przyjętych sprawozdaniach końcowych.",
    "N8": "Suma wartości wkładu osobowego z przyjętych sprawozdań końcowych.",
    "L1": "Konkursy ogłoszone na zadania realizowane w roku (bez projektów ogłoszeń).",
    "L2": "Oferty złożone w tych konkursach (bez wersji roboczych i wycofanych).",
    "L3": "Umowy zawarte na zadania roku (także później rozwiązane).",
    "L4": "Umowy zawarte w trybie art. 19a.",
    "L5": "Suma odbiorców wykazanych w przyjętych sprawozdaniach końcowych.",
    "L6": "Suma dotacji przekazanych: transze, których przelew zapisał urząd; umowa wieloletnia – transze danego roku.",
    "L7": "Równe N1.",
    "L8": "Dla każdego rezultatu z oferty (III.6) osiągnięty poziom ÷ planowany (pierwsza liczba w opisie), średnia "
    "ze wszystkich rezultatów przyjętych sprawozdań końcowych; rezultaty bez liczby pomija się.",
    "LP1": "Programy współpracy przyjęte uchwałą w danym roku.",
    "LP2": "Umowy wykonane (rozliczone) na zadania roku.",
    "LR1": "Suma dotacji w umowach zawartych na zadania roku (bez rozwiązanych); umowa wieloletnia – część dotacji "
    "przypadająca na dany rok.",
    "LR2": "Suma środków z funduszy UE wykazanych w przyjętych sprawozdaniach końcowych.",
    "B1": "Aktywne organizacje w bazie portalu z siedzibą na obszarze jednostki, według formy prawnej (stan na dzień "
    "sporządzenia).",
    "B2": "Aktywne organizacje ze statusem OPP w bazie portalu z siedzibą na obszarze jednostki (stan na dzień "
    "sporządzenia).",
    "C1": "Organizacje liczone raz, choćby miały kilka ofert lub umów: złożona oferta (konkurs, art. 19a, art. 12) na "
    "zadanie roku, umowa obowiązująca w roku albo udział we współpracy pozafinansowej odnotowanej w roku. Siedziba "
    "organizacji nie ma znaczenia.",
}


def _ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def _accepted(data: ReportData, year: int):
    """Agreements whose grant of ``year`` is settled (the final report, or a multi-year agreement's yearly one)."""
    return [a for a in data.agreements_in(year) if a.settlement_in(year) is not None]


def _reported(data: ReportData, year: int):
    """Settled agreements whose report the portal holds (costs, contributions, volunteers): an agreement imported
    from earlier years brings its settled grant, not the report's figures, so it is left out of these ratios."""
    return [a for a in _accepted(data, year) if a.report is not None]


def _settled(agreements, year: int) -> Decimal:
    return sum((a.settled_in(year) for a in agreements), ZERO)


def _small_grants(data: ReportData, year: int):
    return [a for a in data.agreements_in(year) if a.is_signed and a.kind == Offer.Kind.SMALL_GRANT]


# --- S2 quality indicators -------------------------------------------------------------------------------------


def q1_fund_use_efficiency(data, year):
    transferred = sum((a.transferred_in(year) for a in data.agreements_in(year)), ZERO)
    return _ratio(_settled(_accepted(data, year), year), transferred)


def q2_control_efficiency(data, year):
    planned = [c for c in data.controls if c["plan__year"] == year]
    done = [c for c in planned if c["status"] == Control.Status.DONE]
    return _ratio(len(done), len(planned))


def q3_task_completion(data, year):
    signed = [a for a in data.agreements_in(year) if a.is_signed]
    performed = [a for a in signed if a.status == Agreement.Status.PERFORMED]
    return _ratio(len(performed), len(signed))


def q4_commissioning_reach(data, year):
    # Numerator and denominator within the same territory: an applicant seated elsewhere is not among the
    # organisations "in the territory", so counting it would let the share pass 100 %.
    applicants = {
        o["organisation_id"]
        for o in data.offers_in(year)
        if o["kind"] in (Offer.Kind.OPEN_CALL, Offer.Kind.SMALL_GRANT) and o.get("in_territory", True)
    } | organisations_requesting_in_territory(data, year)
    registered = sum(row["count"] for row in data.organisations)
    return _ratio(len(applicants), registered)


def _q5_counts(data, year):
    calls = data.calls_in(year)
    outside = [o for o in data.offers_in(year) if o["kind"] != Offer.Kind.OPEN_CALL]
    procedures = len(calls) + len(outside)
    with_offers = sum(1 for c in calls if c["offer_count"]) + len(outside)
    offers = sum(c["offer_count"] for c in calls) + len(outside)
    return procedures, with_offers, offers


def q5_demand_met(data, year):
    procedures, with_offers, _ = _q5_counts(data, year)
    return _ratio(with_offers, procedures)


def q5_demand_met_literal(data, year):
    _, with_offers, offers = _q5_counts(data, year)
    return _ratio(with_offers, offers)


def q6_small_grant_share(data, year):
    signed = [a for a in data.agreements_in(year) if a.is_signed]
    small = sum((a.awarded_in(year) for a in signed if a.kind == Offer.Kind.SMALL_GRANT), ZERO)
    return _ratio(small, sum((a.awarded_in(year) for a in signed), ZERO))


def _small_grants_by_organisation(data, year) -> dict[int, list[Decimal]]:
    grouped = defaultdict(list)
    for a in _small_grants(data, year):
        grouped[a.organisation_id].append(a.grant_amount)
    return grouped


def q7_small_grant_year_limit(data, year):
    grouped = _small_grants_by_organisation(data, year)
    within = sum(1 for amounts in grouped.values() if sum(amounts, ZERO) <= SMALL_GRANT_YEAR_LIMIT)
    return _ratio(within, len(grouped))


def q8_small_grant_single_limit(data, year):
    grouped = _small_grants_by_organisation(data, year)
    within = sum(1 for amounts in grouped.values() if max(amounts) <= SMALL_GRANT_LIMIT)
    return _ratio(within, len(grouped))


# --- S2 numeric indicators -------------------------------------------------------------------------------------


def n1_consultations(data, year):
    return sum(1 for c in data.consultations if c["year"] == year)


def _activities(data, year, kinds, initiator=None):
    return sum(
        1
        for a in data.activities
        if a["year"] == year and a["kind"] in kinds and (initiator is None or a["initiator"] == initiator)
    )


def n2_meetings(data, year):
    K = CooperationActivity.Kind
    return _activities(data, year, {K.MEETING, K.TRAINING}, CooperationActivity.Initiator.AUTHORITY)


def n3_premises(data, year):
    return _activities(data, year, {CooperationActivity.Kind.PREMISES})


def n4_municipal_share(data, year):
    accepted = _reported(data, year)
    total = sum((sum((x["actual_total"] for x in a.lines), ZERO) for a in accepted), ZERO)
    return _ratio(_settled(accepted, year), total)


def n5_municipal_financial_share(data, year):
    accepted = _reported(data, year)
    settled = _settled(accepted, year)
    own = sum((a.report["own_financial"] + a.report["recipient_payments"] for a in accepted), ZERO)
    return _ratio(settled, settled + own)


def n6_joint_agreements(data, year):
    return _activities(data, year, {CooperationActivity.Kind.PARTNERSHIP})


def n7_volunteers(data, year):
    return sum(a.report["volunteers"] for a in _reported(data, year))


def n8_volunteer_value(data, year):
    return sum((a.report["personal_contribution"] for a in _reported(data, year)), ZERO)


# --- S4 (Łomianki) ---------------------------------------------------------------------------------------------


def l1_calls(data, year):
    return len(data.calls_in(year))


def l2_call_offers(data, year):
    return sum(1 for o in data.offers_in(year) if o["kind"] == Offer.Kind.OPEN_CALL)


def l3_agreements(data, year):
    return sum(1 for a in data.agreements_in(year) if a.is_signed)


def l4_small_grant_agreements(data, year):
    return len(_small_grants(data, year))


def l5_beneficiaries(data, year):
    return sum(a.report["beneficiaries"] for a in _reported(data, year))


def l6_funds_transferred(data, year):
    return sum((a.transferred_in(year) for a in data.agreements_in(year)), ZERO)


def l7_consultations(data, year):
    return n1_consultations(data, year)


NUMBER = re.compile(r"\d[\d\s\u00a0]*(?:[.,]\d+)?")


def first_number(text) -> Decimal | None:
    match = NUMBER.search(str(text or ""))
    if not match:
        return None
    return Decimal(re.sub(r"[\s\u00a0]", "", match.group()).replace(",", "."))


def l8_results_achieved(data, year):
    ratios = []
    for a in _reported(data, year):
        for row in a.report["results"] or []:
            planned, achieved = first_number(row.get("target")), first_number(row.get("achieved"))
            if planned and achieved is not None:
                ratios.append(achieved / planned)
    return sum(ratios, Decimal("0")) / len(ratios) if ratios else None


# --- S1 (Leszno) -----------------------------------------------------------------------------------------------


def lp1_programmes(data, year):
    return sum(1 for p in data.programmes if p.resolution_date and p.resolution_date.year == year)


def lp2_projects(data, year):
    return sum(1 for a in data.agreements_in(year) if a.status == Agreement.Status.PERFORMED)


def lr1_city_funds(data, year):
    return sum((a.awarded_in(year) for a in data.agreements_in(year) if a.in_force), ZERO)


def lr2_eu_funds(data, year):
    return sum((a.report["eu_funds"] for a in _reported(data, year)), ZERO)


# --- S3 (Białystok) --------------------------------------------------------------------------------------------


def b1_by_legal_form(data, year):
    labels = dict(LegalForm.choices)
    counts = defaultdict(int)
    for row in data.organisations:
        counts[str(labels.get(row["legal_form"], row["legal_form"]))] += row["count"]
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def b2_opp(data, year):
    return sum(row["count"] for row in data.organisations if row["is_opp"])


# --- organisations cooperating (art. 5a ust. 3: the year-end report) ----------------------------------------


def c1_cooperating_organisations(data, year):
    offered = {o["organisation_id"] for o in data.offers_in(year)}
    agreed = {a.organisation_id for a in data.agreements_in(year)}
    active = {row["organisation_id"] for row in data.activity_organisations if row["year"] == year}
    return len(offered | agreed | active)


COMPUTATIONS: dict[str, Callable[[ReportData, int], object]] = {
    "Q1": q1_fund_use_efficiency,
    "Q2": q2_control_efficiency,
    "Q3": q3_task_completion,
    "Q4": q4_commissioning_reach,
    "Q5": q5_demand_met,
    "Q6": q6_small_grant_share,
    "Q7": q7_small_grant_year_limit,
    "Q8": q8_small_grant_single_limit,
    "N1": n1_consultations,
    "N2": n2_meetings,
    "N3": n3_premises,
    "N4": n4_municipal_share,
    "N5": n5_municipal_financial_share,
    "N6": n6_joint_agreements,
    "N7": n7_volunteers,
    "N8": n8_volunteer_value,
    "L1": l1_calls,
    "L2": l2_call_offers,
    "L3": l3_agreements,
    "L4": l4_small_grant_agreements,
    "L5": l5_beneficiaries,
    "L6": l6_funds_transferred,
    "L7": l7_consultations,
    "L8": l8_results_achieved,
    "LP1": lp1_programmes,
    "LP2": lp2_projects,
    "LR1": lr1_city_funds,
    "LR2": lr2_eu_funds,
    "B1": b1_by_legal_form,
    "B2": b2_opp,
    "C1": c1_cooperating_organisations,
}
ALTERNATIVES = {"Q5": q5_demand_met_literal}


def compute(data: ReportData, code: str, year: int) -> IndicatorValue:
    definition = registry.BY_CODE[code]
    alternative = ALTERNATIVES.get(code)
    return IndicatorValue(
        code,
        COMPUTATIONS[code](data, year),
        definition.unit,
        alternative(data, year) if alternative else None,
    )


_RANGE = re.compile(r"(\d+(?:[.,]\d+)?)\s*[–-]\s*(\d+(?:[.,]\d+)?)\s*%")
_SINGLE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%\s*$")


def target_met(value: IndicatorValue, target: str) -> bool | None:
    """Whether a percentage indicator meets its target: "0–20%" is a closed range, "100%"/"10%" a minimum.

    Targets in words ("wartość wykorzystywana przy planowaniu") are not judged: ``None``.
    """
    if value.unit != "%" or not isinstance(value.value, Decimal):
        return None
    percent = value.value * 100
    if match := _RANGE.search(target or ""):
        low, high = (Decimal(g.replace(",", ".")) for g in match.groups())
        return low <= percent <= high
    if match := _SINGLE.match(target or ""):
        return percent >= Decimal(match.group(1).replace(",", "."))
    return None


def format_value(value: IndicatorValue) -> str:
    from config.polish import format_money
    from config.polish import format_number as number
    from config.polish import format_ratio as percent

    v = value.value
    if v is None:
        return "brak danych"
    if isinstance(v, dict):
        return "\n".join(f"{label}: {number(count)}" for label, count in v.items()) or "0"
    if value.unit == "%":
        return percent(v, 1)
    if value.unit == "zł":
        return format_money(v)
    return f"{number(v)}"
