"""The payment list as files for the finance department (CSV, XLSX) and the import of paid transfers back.

The export lists each tranche with the recipient's account and a transfer title, so it loads into a bank's or a
bookkeeping system's import. The import reads a CSV of transfers made (agreement number, tranche, amount, date,
optionally a title) – our own export with the transfer date filled in works too – and matches every row to a
tranche before anything is saved; saving goes through ``grants.services.payments.tranches_pay`` (all or nothing).
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from reports.exports import Column, Kind, each, table_response

from .models import Tranche
from .services.payments import Payment, default_title, payment_errors

MAX_ROWS = 5000
_SPACES = re.compile(r"[\s\u00a0\u202f]")
# Header names the import recognises (lower case, without diacritics are not needed: we compare prefixes).
COLUMNS = {
    "number": ("numer umowy", "nr umowy", "umowa"),
    "tranche": ("nr transzy", "transza", "numer transzy"),
    "amount": ("kwota",),
    "paid_on": ("data przekazania", "data przelewu", "data"),
    "title": ("tytuł przelewu", "tytuł", "tytul"),
}


def _call_number(tranche: Tranche) -> str:
    call = tranche.agreement.call
    return call.number if call else "art. 19a / art. 12"


EXPORT_COLUMNS = [
    Column("Numer umowy", lambda t: t.agreement.number, width=16),
    Column("Nr transzy", lambda t: t.number, Kind.INTEGER, 9),
    Column("Zleceniobiorca", lambda t: t.agreement.organisation.name, width=40),
    Column("Rachunek bankowy", lambda t: t.agreement.bank_account, width=30),
    Column("Kwota [zł]", lambda t: t.amount, Kind.MONEY, 16),
    Column("Termin przekazania", lambda t: t.due_date, Kind.DATE, 14),
    Column("Data przekazania", lambda t: t.paid_on, Kind.DATE, 14),
    Column("Tytuł przelewu", lambda t: t.transfer_title or default_title(t), width=44),
    Column("Konkurs", _call_number, width=14),
    Column("Organ", lambda t: t.agreement.authority.name, width=30),
]


def payments_response(tranches, fmt: str):
    return table_response(fmt, filename="platnosci", sheet="Płatności", columns=EXPORT_COLUMNS, rows=each(tranches))


# --- import ---------------------------------------------------------------------------------------------------


@dataclass
class ImportRow:
    line: int
    raw: list[str]
    number: str = ""
    tranche_number: int | None = None
    amount: Decimal | None = None
    paid_on: date | None = None
    title: str = ""
    tranche: Tranche | None = None
    error: str = ""
    already: bool = False

    @property
    def matched(self) -> bool:
        return self.tranche is not None and not self.error and not self.already


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    error: str = ""  # a problem with the file as a whole

    @property
    def matched(self) -> list[ImportRow]:
        return [r for r in self.rows if r.matched]

    @property
    def unmatched(self) -> list[ImportRow]:
        return [r for r in self.rows if r.error]

    @property
    def already(self) -> list[ImportRow]:
        return [r for r in self.rows if r.already]

    @property
    def can_save(self) -> bool:
        return not self.error and not self.unmatched and bool(self.matched)

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.matched), Decimal("0"))

    def payments(self) -> list[Payment]:
        return [Payment(r.tranche, r.paid_on, r.amount, r.title) for r in self.matched]


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM) as our export writes it, else Windows-1250 as Polish Excel saves it."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1250", errors="replace")


def parse_amount(text: str) -> Decimal | None:
    """ "1 200,50", "1200.50", "1 200,50 zł" → Decimal; None when it is not an amount to the grosz."""
    text = _SPACES.sub("", text).removesuffix("zł").removesuffix("PLN")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value.as_tuple().exponent < -2:
        return None
    return value.quantize(Decimal("0.01"))


def parse_date(text: str) -> date | None:
    text = text.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _columns(header: list[str]) -> dict[str, int] | None:
    """Column positions from a header row, or None when the first row is data."""
    names = [cell.strip().lower() for cell in header]
    found = {}
    for key, options in COLUMNS.items():
        for index, name in enumerate(names):
            if index not in found.values() and any(name.startswith(option) for option in options):
                found[key] = index
                break
    return found if {"number", "tranche", "amount", "paid_on"} <= found.keys() else None


def read_rows(text: str) -> tuple[list[ImportRow], str]:
    """The rows of the CSV text with their fields parsed (not yet matched); a message when the file is unusable."""
    lines = [line for line in text.replace("\x00", "").splitlines() if line.strip()]
    if not lines:
        return [], "Plik jest pusty."
    delimiter = ";" if ";" in lines[0] else "\t" if "\t" in lines[0] else ","
    try:
        records = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    except csv.Error:
        return [], "Nie udało się odczytać pliku CSV – zapisz go ponownie jako CSV (UTF-8, średniki)."
    columns = _columns(records[0])
    start = 1 if columns else 0
    if columns is None:
        if parse_amount(records[0][2] if len(records[0]) > 2 else "") is None:
            return [], (
                "Nie rozpoznano kolumn: pierwszy wiersz powinien zawierać nagłówki (Numer umowy; Nr transzy; "
                "Kwota; Data przekazania) albo od razu dane w tej kolejności."
            )
        columns = {"number": 0, "tranche": 1, "amount": 2, "paid_on": 3, "title": 4}
    if len(records) - start > MAX_ROWS:
        return [], f"Plik ma więcej niż {MAX_ROWS} wierszy – podziel go na mniejsze."
    rows = []
    for offset, record in enumerate(records[start:], start=start + 1):
        row = ImportRow(line=offset, raw=record)

        def cell(key, record=record):
            index = columns.get(key)
            return record[index].strip() if index is not None and index < len(record) else ""

        row.number, row.title = cell("number"), cell("title")[:140]
        tranche = cell("tranche").lower().removeprefix("transza").strip()
        row.tranche_number = int(tranche) if tranche.isdigit() and len(tranche) < 4 else None
        row.amount, row.paid_on = parse_amount(cell("amount")), parse_date(cell("paid_on"))
        if not row.number:
            row.error = "Brak numeru umowy."
        elif row.tranche_number is None:
            row.error = f"Nieczytelny numer transzy: „{cell('tranche')}”."
        elif row.amount is None:
            row.error = f"Nieczytelna kwota: „{cell('amount')}” (np. 1 200,50)."
        elif row.paid_on is None:
            row.error = f"Nieczytelna data przelewu: „{cell('paid_on')}” (np. 15.03.2026)."
        rows.append(row)
    return rows, ""


def import_preview(text: str, tranches) -> ImportPreview:
    """Match each row of the CSV to one of ``tranches`` (the person's managed ones) and check it as the payment
    service will; reads the tranches in one query whatever the number of rows."""
    rows, error = read_rows(text)
    if error:
        return ImportPreview(rows=[], error=error)
    numbers = {row.number for row in rows if not row.error}
    found: dict[tuple[str, int], list[Tranche]] = {}
    if numbers:
        for tranche in tranches.filter(agreement__number__in=numbers).select_related("agreement"):
            found.setdefault((tranche.agreement.number, tranche.number), []).append(tranche)
    seen = set()
    for row in rows:
        if row.error:
            continue
        candidates = found.get((row.number, row.tranche_number), [])
        if not candidates:
            row.error = f"Nie znaleziono transzy nr {row.tranche_number} umowy nr {row.number}."
            continue
        if len(candidates) > 1:
            row.error = f"Numer umowy {row.number} występuje u kilku organów – zaimportuj przelewy każdego osobno."
            continue
        row.tranche = tranche = candidates[0]
        if tranche.pk in seen:
            row.error = "Ta transza występuje w pliku więcej niż raz."
            continue
        seen.add(tranche.pk)
        if tranche.paid_on is not None and tranche.paid_on == row.paid_on and tranche.amount == row.amount:
            row.already = True  # the same transfer imported again: nothing to do
            continue
        errors = payment_errors(
            agreement=tranche.agreement,
            tranche=tranche,
            paid_on=row.paid_on,
            amount=row.amount,
            transfer_title=row.title,
        )
        row.error = " ".join(errors.values())
    return ImportPreview(rows=rows)
