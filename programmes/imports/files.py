"""Reading an uploaded CSV or XLSX into rows of text keyed by the template's column names, and writing the templates.

Both formats come out the same way (a header row, then one dict per data row, every value a stripped string), so the
importers check one thing. Dates of an XLSX come as ``dd.mm.rrrr`` and numbers with a dot, which the parsers of
``grants.payment_files`` read like typed text."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from grants.payment_files import decode
from reports.exports import csv_response, xlsx_response

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024


@dataclass
class Sheet:
    rows: list[dict[str, str]]  # one per data row, keyed by the column's key
    lines: list[int]  # the row number of each in the file (the header is row 1)
    error: str = ""


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value).strip()


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "")).strip().lower()


def read_table(content: bytes, file_name: str) -> tuple[list[list[str]], str]:
    """All rows of the file as lists of text; a Polish message when it cannot be read."""
    if file_name.lower().endswith(".xlsx") or content[:2] == b"PK":
        try:
            from openpyxl import load_workbook

            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
            workbook.close()
        except Exception:  # openpyxl raises many kinds of errors on a damaged or foreign file
            return [], "Nie udało się odczytać pliku XLSX – zapisz go ponownie w Excelu lub jako CSV."
    else:
        text = decode(content).replace("\x00", "")
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            return [], "Plik jest pusty."
        delimiter = ";" if ";" in lines[0] else "\t" if "\t" in lines[0] else ","
        try:
            table = [
                [cell.strip() for cell in row] for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
            ]
        except csv.Error:
            return [], "Nie udało się odczytać pliku CSV – zapisz go ponownie jako CSV (UTF-8, średniki)."
    return [row for row in table if any(cell for cell in row)], ""


def read_sheet(content: bytes, file_name: str, columns: list[tuple[str, str, bool]]) -> Sheet:
    """Rows keyed by ``columns`` (key, header, required); the header row is matched by name, in any order."""
    table, error = read_table(content, file_name)
    if error:
        return Sheet([], [], error)
    if not table:
        return Sheet([], [], "Plik jest pusty.")
    header = [_key(cell) for cell in table[0]]
    positions = {}
    for key, title, _required in columns:
        if _key(title) in header:
            positions[key] = header.index(_key(title))
    missing = [title for key, title, required in columns if required and key not in positions]
    if missing:
        return Sheet(
            [],
            [],
            "Brak kolumn: " + ", ".join(f"„{m}”" for m in missing) + ". Pobierz wzór pliku i zachowaj jego nagłówki.",
        )
    if len(table) - 1 > MAX_ROWS:
        return Sheet([], [], f"Plik ma więcej niż {MAX_ROWS} wierszy – podziel go na mniejsze.")
    if len(table) == 1:
        return Sheet([], [], "Plik ma tylko nagłówki – nie ma czego importować.")
    rows = [
        {key: (record[index] if index < len(record) else "") for key, index in positions.items()}
        for record in table[1:]
    ]
    return Sheet(rows, list(range(2, len(table) + 1)))


def template_response(*, kind: str, columns: list[tuple[str, str, bool]], example: list[list], file_format: str):
    header = [title + (" *" if required else "") for _key, title, required in columns]
    name = f"wzor-import-{kind}"
    if file_format == "xlsx":
        return xlsx_response(
            filename=f"{name}.xlsx", sheet="Import", header=header, rows=example, widths=[22] * len(header)
        )
    return csv_response(filename=f"{name}.csv", header=header, rows=example)
