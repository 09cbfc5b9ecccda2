"""What each import reads, how each row is checked, and what it would create – before anything is saved.

``preview_*`` reads the rows (``files.read_sheet``), checks every one of them against the portal's data and against
the other rows of the file, and says row by row what would be created or why it cannot be;
``programmes.imports.services``
saves a preview only when no row has an error (all or nothing). Nothing here writes to the database.

The rules checked are those of the data (numbers, checksums, dates in order, money that adds up, links that exist),
not the deadlines of the act that applied at the time: a past agreement was signed when it was signed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q

from config.polish import format_money
from config.territory import Voivodeship, normalise_name
from grants.models import Agreement, Offer, OpenCall
from grants.models.calls import Mode
from grants.payment_files import parse_amount, parse_date
from organisations.models import LegalForm, Organisation, PublicTaskArea
from organisations.search import search_key
from organisations.validators import normalise_krs, normalise_nip, normalise_regon
from programmes.models import BudgetLine, Programme

from .files import read_sheet
from .models import ImportBatch

ZERO = Decimal("0.00")


@dataclass
class Row:
    line: int
    values: dict
    summary: str = ""
    errors: list[str] = field(default_factory=list)
    skipped: str = ""  # present in the portal already: nothing is created for it
    data: dict = field(default_factory=dict)  # parsed values for the save

    @property
    def creates(self) -> bool:
        return not self.errors and not self.skipped


@dataclass
class Preview:
    kind: str
    rows: list[Row]
    error: str = ""

    @property
    def errors(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def created(self) -> list[Row]:
        return [r for r in self.rows if r.creates]

    @property
    def skipped(self) -> list[Row]:
        return [r for r in self.rows if r.skipped and not r.errors]

    @property
    def can_save(self) -> bool:
        return not self.error and not self.errors and bool(self.created)


def _yes(text: str) -> bool:
    return text.strip().lower() in {"tak", "t", "1", "x", "yes", "prawda"}


def _number(row: Row, key: str, normalise, label: str) -> str:
    text = row.values.get(key, "")
    if not text:
        return ""
    try:
        return normalise(text)
    except ValidationError as error:
        row.errors.append(f"{label}: {' '.join(error.messages)}")
        return ""


def _money(row: Row, key: str, label: str, required: bool = True) -> Decimal | None:
    text = row.values.get(key, "")
    if not text:
        if required:
            row.errors.append(f"Brak kwoty: {label}.")
        return None
    value = parse_amount(text)
    if value is None or value < 0:
        row.errors.append(f"{label}: nieczytelna kwota „{text}” (np. 12 000,00).")
        return None
    return value


def _date(row: Row, key: str, label: str, required: bool = True) -> date | None:
    text = row.values.get(key, "")
    if not text:
        if required:
            row.errors.append(f"Brak daty: {label}.")
        return None
    value = parse_date(text)
    if value is None:
        row.errors.append(f"{label}: nieczytelna data „{text}” (np. 31.05.2024).")
    return value


# --- organisations -----------------------------------------------------------------------------------------------

ORGANISATION_COLUMNS = [
    ("name", "Nazwa", True),
    ("legal_form", "Forma prawna", True),
    ("krs", "Numer KRS", False),
    ("other_register", "Inna ewidencja", False),
    ("nip", "NIP", False),
    ("regon", "REGON", False),
    ("street", "Ulica i numer", False),
    ("postal_code", "Kod pocztowy", False),
    ("city", "Miejscowość", True),
    ("seat_municipality", "Gmina siedziby", True),
    ("seat_county", "Powiat siedziby", True),
    ("seat_voivodeship", "Województwo siedziby", True),
    ("email", "E-mail", False),
    ("phone", "Telefon", False),
    ("is_opp", "OPP (tak/nie)", False),
    ("opp_since", "OPP od", False),
    ("areas", "Sfery działalności (art. 4 ust. 1)", False),
    ("statutory_activity", "Działalność statutowa", False),
]
ORGANISATION_EXAMPLE = [
    [
        "Stowarzyszenie Przyjaciół Ziemi Kozielskiej",
        "stowarzyszenie",
        "0000123456",
        "",
        "5213000009",
        "145123457",
        "ul. Jana Pawła II 12/3",
        "47-200",
        "Kędzierzyn-Koźle",
        "Kędzierzyn-Koźle",
        "kędzierzyńsko-kozielski",
        "opolskie",
        "biuro@przyjaciele.example.pl",
        "",
        "tak",
        "01.05.2010",
        "16; 17",
        "Upowszechnianie kultury i sportu.",
    ],
    [
        "Koło Gospodyń Wiejskich w Dębowej",
        "koło gospodyń wiejskich",
        "",
        "Krajowy Rejestr Kół Gospodyń Wiejskich, nr 1234",
        "",
        "",
        "Dębowa 5",
        "47-200",
        "Kędzierzyn-Koźle",
        "Kędzierzyn-Koźle",
        "kędzierzyńsko-kozielski",
        "opolskie",
        "",
        "",
        "nie",
        "",
        "4",
        "",
    ],
]


LEGAL_FORM_ALIASES = {
    "klub sportowy": LegalForm.SPORTS_CLUB,
    "uczniowski klub sportowy": LegalForm.SPORTS_CLUB,
    "uks": LegalForm.SPORTS_CLUB,
    "oddział stowarzyszenia": LegalForm.ASSOCIATION_BRANCH,
    "spółka non-profit": LegalForm.NON_PROFIT_COMPANY,
    "kgw": LegalForm.RURAL_HOUSEWIVES_CIRCLE,
    "kościelna osoba prawna": LegalForm.CHURCH_ENTITY,
}


def legal_form_from(text: str) -> str:
    """The portal's legal form from its Polish name (as in the form's list, or a usual short name)."""
    lower = " ".join(text.lower().split())
    for value, label in LegalForm.choices:
        if lower in {value, str(label).lower()}:
            return value
    return str(LEGAL_FORM_ALIASES.get(lower, ""))


def voivodeship_from(text: str) -> str:
    """ "Województwo Opolskie", "woj. opolskie", "opolskie" → "opolskie"; "" when it names no województwo."""
    lower = " ".join(text.lower().split())
    for head in ("województwo ", "woj. ", "woj "):
        if lower.startswith(head):
            lower = lower[len(head) :]
    return lower if lower in Voivodeship.values else ""


def _seat(row: Row) -> dict[str, str]:
    """The seat (config/territory.py) as the organisation form records it: bare TERYT names, all three required."""
    v = row.values
    municipality = normalise_name(v.get("seat_municipality", ""))[:100]
    county = normalise_name(v.get("seat_county", ""))[:100]
    voivodeship = voivodeship_from(v.get("seat_voivodeship", ""))
    if not (municipality and county and v.get("seat_voivodeship")):
        row.errors.append("Podaj siedzibę organizacji: gminę, powiat i województwo.")
    elif not voivodeship:
        row.errors.append(f"Nieznane województwo „{v['seat_voivodeship']}” (np. mazowieckie, opolskie).")
    return {"seat_municipality": municipality, "seat_county": county, "seat_voivodeship": voivodeship}


def seat_label(data: dict) -> str:
    if not data.get("seat_voivodeship"):
        return ""
    return f"gm. {data['seat_municipality']}, pow. {data['seat_county']}, woj. {data['seat_voivodeship']}"


def preview_organisations(content: bytes, file_name: str) -> Preview:
    sheet = read_sheet(content, file_name, ORGANISATION_COLUMNS)
    if sheet.error:
        return Preview(ImportBatch.Kind.ORGANISATIONS, [], sheet.error)
    rows = [Row(line, values) for line, values in zip(sheet.lines, sheet.rows, strict=True)]
    areas = {a.code: a.pk for a in PublicTaskArea.objects.all()}
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        v = row.values
        name = " ".join(v.get("name", "").split())
        if not name:
            row.errors.append("Brak nazwy organizacji.")
        legal_form = legal_form_from(v.get("legal_form", ""))
        if not legal_form:
            row.errors.append(
                f"Nieznana forma prawna „{v.get('legal_form', '')}” (np. stowarzyszenie, fundacja, klub sportowy)."
            )
        krs = _number(row, "krs", normalise_krs, "Numer KRS")
        nip = _number(row, "nip", normalise_nip, "NIP")
        regon = _number(row, "regon", normalise_regon, "REGON")
        if legal_form in LegalForm.requiring_krs() and not krs and not v.get("krs"):
            row.errors.append("Ta forma prawna jest wpisana do KRS – podaj numer KRS.")
        if legal_form and legal_form not in LegalForm.requiring_krs() and not krs and not v.get("other_register"):
            row.errors.append("Podaj numer KRS albo nazwę i numer innej ewidencji.")
        postal_code = v.get("postal_code", "")
        if postal_code and not (
            len(postal_code) == 6 and postal_code[2] == "-" and postal_code.replace("-", "").isdigit()
        ):
            row.errors.append(f"Kod pocztowy „{postal_code}” ma postać 00-000.")
        if not v.get("city"):
            row.errors.append("Brak miejscowości.")
        email = v.get("email", "").strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(f"Nieprawidłowy adres e-mail „{email}”.")
        is_opp = _yes(v.get("is_opp", ""))
        opp_since = _date(row, "opp_since", "OPP od", required=is_opp)
        codes = [c.strip().rstrip(")") for c in v.get("areas", "").replace(",", ";").split(";") if c.strip()]
        unknown = [c for c in codes if c not in areas]
        if unknown:
            row.errors.append("Nieznane sfery art. 4 ust. 1: " + ", ".join(unknown) + " (podaj punkty, np. 15; 17).")
        seat = _seat(row)
        for key, value in (("krs", krs), ("nip", nip)):
            if value and (key, value) in seen:
                row.errors.append(f"{key.upper()} {value} powtarza się w wierszu {seen[(key, value)]}.")
            elif value:
                seen[(key, value)] = row.line
        row.data = {
            "name": name[:300],
            "legal_form": legal_form,
            "krs": krs,
            "other_register": v.get("other_register", "")[:200],
            "nip": nip,
            "regon": regon,
            "street": v.get("street", "")[:200],
            "postal_code": postal_code,
            "city": v.get("city", "")[:100],
            **seat,
            "email": email,
            "phone": v.get("phone", "")[:30],
            "is_opp": is_opp,
            "opp_since": opp_since,
            "statutory_activity": v.get("statutory_activity", "")[:5000],
            "areas": [areas[c] for c in codes if c in areas],
        }
        row.summary = (
            f"organizacja „{name}” ({LegalForm(legal_form).label if legal_form else '—'}), {v.get('city', '')}"
            + (f"; siedziba: {seat_label(seat)}" if seat_label(seat) else "")
        )
    # Organisations already in the portal (the same KRS or NIP) are left as they are.
    krs_numbers = {r.data["krs"] for r in rows if r.data.get("krs")}
    nips = {r.data["nip"] for r in rows if r.data.get("nip")}
    existing = Organisation.objects.filter(Q(krs__in=krs_numbers) | Q(nip__in=nips)).values("name", "krs", "nip")
    by_krs = {o["krs"]: o["name"] for o in existing if o["krs"]}
    by_nip = {o["nip"]: o["name"] for o in existing if o["nip"]}
    for row in rows:
        holder = by_krs.get(row.data.get("krs")) or by_nip.get(row.data.get("nip"))
        if holder:
            row.skipped = f"już jest w portalu jako „{holder}” – pominięta"
    return Preview(ImportBatch.Kind.ORGANISATIONS, rows)


# --- programmes --------------------------------------------------------------------------------------------------

PROGRAMME_COLUMNS = [
    ("year", "Rok", True),
    ("title", "Tytuł programu", True),
    ("resolution_number", "Numer uchwały", False),
    ("resolution_date", "Data uchwały", False),
    ("reserve", "Rezerwa na małe granty", False),
    ("number", "Lp. pozycji budżetu", True),
    ("name", "Pozycja budżetu (zakres)", True),
    ("areas", "Sfery (art. 4 ust. 1)", False),
    ("planned_amount", "Kwota planowana", True),
]
PROGRAMME_EXAMPLE = [
    [
        "2025",
        "Roczny Program Współpracy na rok 2025",
        "XII/120/2024",
        "28.11.2024",
        "20 000,00",
        "1",
        "Kultura fizyczna",
        "17",
        "100 000,00",
    ],
    [
        "2025",
        "Roczny Program Współpracy na rok 2025",
        "XII/120/2024",
        "28.11.2024",
        "20 000,00",
        "2",
        "Kultura, sztuka, ochrona dóbr kultury",
        "16",
        "28 000,00",
    ],
]


def preview_programmes(content: bytes, file_name: str, authority) -> Preview:
    sheet = read_sheet(content, file_name, PROGRAMME_COLUMNS)
    if sheet.error:
        return Preview(ImportBatch.Kind.PROGRAMMES, [], sheet.error)
    rows = [Row(line, values) for line, values in zip(sheet.lines, sheet.rows, strict=True)]
    areas = {a.code: a.pk for a in PublicTaskArea.objects.all()}
    taken = set(Programme.objects.filter(authority=authority).values_list("year_from", flat=True))
    first: dict[int, Row] = {}
    numbers: dict[tuple[int, int], int] = {}
    for row in rows:
        v = row.values
        year_text = v.get("year", "")
        year = int(year_text) if year_text.isdigit() and 1990 <= int(year_text) <= date.today().year else None
        if year is None:
            row.errors.append(f"Rok „{year_text}”: podaj rok programu, nie późniejszy niż bieżący.")
        elif year in taken:
            row.errors.append(f"Program na rok {year} jest już w portalu – nie importuje się go drugi raz.")
        title = " ".join(v.get("title", "").split())
        if not title:
            row.errors.append("Brak tytułu programu.")
        number_text = v.get("number", "")
        number = int(number_text) if number_text.isdigit() and 0 < int(number_text) < 1000 else None
        if number is None:
            row.errors.append(f"Lp. pozycji budżetu „{number_text}” ma być liczbą (1, 2, …).")
        name = " ".join(v.get("name", "").split())
        if not name:
            row.errors.append("Brak nazwy pozycji budżetu.")
        amount = _money(row, "planned_amount", "kwota planowana")
        reserve = _money(row, "reserve", "rezerwa na małe granty", required=False)
        resolution_date = _date(row, "resolution_date", "data uchwały", required=False)
        codes = [c.strip() for c in v.get("areas", "").replace(",", ";").split(";") if c.strip()]
        unknown = [c for c in codes if c not in areas]
        if unknown:
            row.errors.append("Nieznane sfery art. 4 ust. 1: " + ", ".join(unknown) + ".")
        if year is not None and number is not None:
            if (year, number) in numbers:
                row.errors.append(
                    f"Pozycja nr {number} programu na rok {year} powtarza się (wiersz {numbers[(year, number)]})."
                )
            numbers[(year, number)] = row.line
        if year is not None:
            head = first.setdefault(year, row)
            if (
                head is not row
                and title
                and head.values.get("title")
                and title != " ".join(head.values["title"].split())
            ):
                row.errors.append(f"Inny tytuł programu na rok {year} niż w wierszu {head.line}.")
        row.data = {
            "year": year,
            "title": title[:400],
            "resolution_number": v.get("resolution_number", "")[:100],
            "resolution_date": resolution_date,
            "reserve": reserve or ZERO,
            "number": number,
            "name": name[:300],
            "planned_amount": amount,
            "areas": [areas[c] for c in codes if c in areas],
        }
        row.summary = (
            f"program {year}: pozycja {number}. {name} – {format_money(amount)}" if amount is not None else name
        )
    return Preview(ImportBatch.Kind.PROGRAMMES, rows)


# --- agreements --------------------------------------------------------------------------------------------------

AGREEMENT_COLUMNS = [
    ("number", "Numer umowy", True),
    ("organisation", "Organizacja", True),
    ("organisation_id", "KRS lub NIP organizacji", False),
    ("kind", "Tryb (konkurs / art. 19a / art. 12)", True),
    ("call", "Numer konkursu", False),
    ("mode", "Forma (wspieranie / powierzanie)", False),
    ("title", "Tytuł zadania", True),
    ("signed_on", "Data zawarcia", True),
    ("start_date", "Początek realizacji", True),
    ("end_date", "Koniec realizacji", True),
    ("grant", "Dotacja", True),
    ("transferred", "Przekazano", True),
    ("transferred_on", "Data przekazania", False),
    ("settled", "Rozliczono", False),
    ("returned", "Zwrócono", False),
    ("returned_on", "Data zwrotu", False),
    ("budget_line", "Pozycja budżetu (lp.)", False),
]
AGREEMENT_EXAMPLE = [
    [
        "UM/2025/001",
        "Stowarzyszenie Przyjaciół Ziemi Kozielskiej",
        "0000123456",
        "konkurs",
        "OK/2025/1",
        "wspieranie",
        "Liga piłkarska dzieci",
        "10.03.2025",
        "15.03.2025",
        "30.11.2025",
        "12 000,00",
        "12 000,00",
        "20.03.2025",
        "11 500,00",
        "500,00",
        "15.12.2025",
        "1",
    ],
    [
        "UM/2025/002",
        "Koło Gospodyń Wiejskich w Dębowej",
        "",
        "art. 19a",
        "",
        "wspieranie",
        "Dożynki gminne",
        "01.08.2025",
        "10.08.2025",
        "20.09.2025",
        "5 000,00",
        "5 000,00",
        "12.08.2025",
        "5 000,00",
        "0,00",
        "",
        "2",
    ],
]
KINDS = {
    "konkurs": Offer.Kind.OPEN_CALL,
    "otwarty konkurs ofert": Offer.Kind.OPEN_CALL,
    "art. 19a": Offer.Kind.SMALL_GRANT,
    "19a": Offer.Kind.SMALL_GRANT,
    "mała dotacja": Offer.Kind.SMALL_GRANT,
    "art. 12": Offer.Kind.OWN_INITIATIVE,
    "12": Offer.Kind.OWN_INITIATIVE,
}
MODES = {"wspieranie": Mode.SUPPORT, "": Mode.SUPPORT, "powierzanie": Mode.ENTRUST}


def _find_organisations(rows: list[Row]) -> tuple[dict, dict, dict]:
    """The organisations the rows name, by KRS, NIP and name (without diacritics), in two queries."""
    ids = {r.values.get("organisation_id", "").replace(" ", "").replace("-", "") for r in rows} - {""}
    ids |= {i.zfill(10) for i in ids if i.isdigit() and len(i) < 10}
    names = {search_key(r.values.get("organisation", "")) for r in rows} - {""}
    by_krs, by_nip, by_name = {}, {}, defaultdict(list)
    for o in Organisation.objects.filter(Q(krs__in=ids) | Q(nip__in=ids)).only("pk", "name", "krs", "nip"):
        if o.krs:
            by_krs[o.krs] = o
        if o.nip:
            by_nip[o.nip] = o
    for o in Organisation.objects.filter(search_name__in=names).only("pk", "name", "search_name"):
        by_name[o.search_name].append(o)
    return by_krs, by_nip, by_name


def _organisation(row: Row, by_krs: dict, by_nip: dict, by_name: dict) -> Organisation | None:
    key = row.values.get("organisation_id", "").replace(" ", "").replace("-", "")
    name = " ".join(row.values.get("organisation", "").split())
    if key:
        organisation = by_krs.get(key.zfill(10) if key.isdigit() and len(key) <= 10 else key) or by_nip.get(key)
        if organisation is None:
            row.errors.append(f"Nie ma w portalu organizacji o KRS lub NIP {key} – najpierw zaimportuj organizacje.")
        return organisation
    candidates = by_name.get(search_key(name), [])
    if len(candidates) > 1:
        row.errors.append(f"W portalu jest kilka organizacji „{name}” – podaj KRS lub NIP.")
        return None
    if not candidates:
        row.errors.append(f"Nie ma w portalu organizacji „{name}” – najpierw zaimportuj organizacje.")
        return None
    return candidates[0]


def preview_agreements(content: bytes, file_name: str, authority) -> Preview:
    sheet = read_sheet(content, file_name, AGREEMENT_COLUMNS)
    if sheet.error:
        return Preview(ImportBatch.Kind.AGREEMENTS, [], sheet.error)
    rows = [Row(line, values) for line, values in zip(sheet.lines, sheet.rows, strict=True)]
    by_krs, by_nip, by_name = _find_organisations(rows)
    taken = set(Agreement.objects.filter(authority=authority).values_list("number", flat=True))
    programmes = {p.year_from: p for p in Programme.objects.filter(authority=authority)}
    lines = {(b.programme_id, b.number): b for b in BudgetLine.objects.filter(programme__authority=authority)}
    calls = {c.number: c for c in OpenCall.objects.filter(authority=authority)}
    numbers: dict[str, int] = {}
    today = date.today()
    for row in rows:
        v = row.values
        number = v.get("number", "").strip()
        if not number:
            row.errors.append("Brak numeru umowy.")
        elif number in taken:
            row.errors.append(f"Umowa nr {number} jest już w portalu.")
        elif number in numbers:
            row.errors.append(f"Numer umowy {number} powtarza się (wiersz {numbers[number]}).")
        numbers.setdefault(number, row.line)
        organisation = _organisation(row, by_krs, by_nip, by_name)
        kind = KINDS.get(v.get("kind", "").strip().lower())
        if kind is None:
            row.errors.append(f"Tryb „{v.get('kind', '')}”: wpisz „konkurs”, „art. 19a” albo „art. 12”.")
        mode = MODES.get(v.get("mode", "").strip().lower())
        if mode is None:
            row.errors.append(f"Forma „{v.get('mode', '')}”: wpisz „wspieranie” albo „powierzanie”.")
        title = " ".join(v.get("title", "").split())
        if not title:
            row.errors.append("Brak tytułu zadania.")
        signed_on = _date(row, "signed_on", "data zawarcia")
        start = _date(row, "start_date", "początek realizacji")
        end = _date(row, "end_date", "koniec realizacji")
        grant = _money(row, "grant", "dotacja")
        transferred = _money(row, "transferred", "przekazano")
        transferred_on = _date(row, "transferred_on", "data przekazania", required=False)
        settled = _money(row, "settled", "rozliczono", required=False)
        returned = _money(row, "returned", "zwrócono", required=False) or ZERO
        returned_on = _date(row, "returned_on", "data zwrotu", required=False)
        if start and end:
            if end < start:
                row.errors.append("Koniec realizacji przed jej początkiem.")
            elif end.year != start.year:
                row.errors.append("Umowę wieloletnią zaimportuj jako osobne wiersze dla każdego roku budżetowego.")
            if end >= today:
                row.errors.append("Importuje się umowy już zakończone; bieżące zawiera się w portalu.")
        if signed_on and end and signed_on > end:
            row.errors.append("Data zawarcia po zakończeniu zadania.")
        if signed_on and signed_on > today:
            row.errors.append("Data zawarcia w przyszłości.")
        if grant is not None and grant <= 0:
            row.errors.append("Dotacja musi być większa od zera.")
        if grant is not None and transferred is not None and transferred > grant:
            row.errors.append(f"Przekazano ({format_money(transferred)}) więcej niż dotacja ({format_money(grant)}).")
        if transferred is not None and settled is not None and settled > transferred:
            row.errors.append(
                f"Rozliczono ({format_money(settled)}) więcej niż przekazano ({format_money(transferred)})."
            )
        if transferred is not None and returned > transferred - (settled or ZERO):
            row.errors.append(
                f"Zwrócono ({format_money(returned)}) więcej niż przekazano i nie rozliczono "
                f"({format_money(transferred - (settled or ZERO))})."
            )
        if returned > 0 and settled is None:
            row.errors.append("Zwrot wpisuje się przy rozliczonej umowie – podaj kwotę rozliczoną.")
        year = start.year if start else None
        programme = programmes.get(year) if year else None
        call = None
        call_number = v.get("call", "").strip()
        if kind == Offer.Kind.OPEN_CALL:
            if not call_number:
                row.errors.append("Podaj numer konkursu (np. OK/2024/1).")
            elif call_number not in calls and programme is None and year:
                row.errors.append(f"Konkurs {call_number}: najpierw zaimportuj program na rok {year}.")
            call = calls.get(call_number)
        budget_line = None
        line_text = v.get("budget_line", "").strip()
        if line_text:
            if programme is None:
                row.errors.append(f"Pozycja budżetu {line_text}: najpierw zaimportuj program na rok {year}.")
            elif not line_text.isdigit() or (programme.pk, int(line_text)) not in lines:
                row.errors.append(f"Program na rok {year} nie ma pozycji budżetu nr {line_text}.")
            else:
                budget_line = lines[(programme.pk, int(line_text))]
        row.data = {
            "number": number[:50],
            "organisation": organisation,
            "kind": kind,
            "mode": mode,
            "call": call,
            "call_number": call_number[:50],
            "programme": programme,
            "title": title[:400],
            "signed_on": signed_on,
            "start_date": start,
            "end_date": end,
            "grant": grant,
            "transferred": transferred,
            "transferred_on": transferred_on or signed_on,
            "settled": settled,
            "returned": returned,
            "returned_on": returned_on or (date(end.year + 1, 1, 31) if end else None),
            "budget_line": budget_line,
        }
        if not row.errors:
            call_label = (
                f"konkurs {call_number}" + ("" if call else " (nowy, z lat ubiegłych)")
                if kind == Offer.Kind.OPEN_CALL
                else str(dict(Offer.Kind.choices)[kind])
            )
            row.summary = (
                f"umowa {number} z „{organisation.name}”, {call_label}, dotacja {format_money(grant)}, "
                f"przekazano {format_money(transferred)}"
                + (f", rozliczono {format_money(settled)}" if settled is not None else ", nierozliczona")
                + (f", zwrot {format_money(returned)}" if returned else "")
                + (f", pozycja {budget_line.number}. {budget_line.name}" if budget_line else "")
            )
    return Preview(ImportBatch.Kind.AGREEMENTS, rows)
