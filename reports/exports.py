"""CSV and XLSX exports that open cleanly in a Polish spreadsheet and cannot smuggle in formulas.

Every list the office downloads is described once as a list of ``Column`` (header, how to read the value from a
row, what kind of value it is); ``table_response(fmt, …)`` writes it as CSV or XLSX from the same description:

- CSV: semicolon-separated UTF-8 with BOM (Polish Excel's default), amounts ``1234,56``, dates ``31.05.2026``;
- XLSX (openpyxl): amounts as numeric cells in złoty (``#,##0.00 "zł"``), other numbers numeric, dates as date
  cells (``DD.MM.YYYY``), times as date-time cells in Europe/Warsaw; text is never read as a formula.

Text cells starting with = + - @ tab or CR get a leading apostrophe in both formats (CSV/formula injection).
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")


def neutralise(value) -> str:
    """Make a cell inert: formula-like text gets a leading apostrophe; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """Semicolon-separated (Polish Excel's default) UTF-8 with BOM, so Polish letters survive."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL)
    yield "\ufeff" + writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(*, filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


MONEY_FORMAT = '#,##0.00\\ "zł"'
DECIMAL_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
PERCENT_FORMAT = '0.00\\ "%"'
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Kind:
    """What a column holds: decides the CSV text and the XLSX cell type and format."""

    TEXT = "text"
    MONEY = "money"  # Decimal in złoty
    DECIMAL = "decimal"  # Decimal with two places (scores)
    PERCENT = "percent"  # Decimal, a percentage (20 = 20%)
    INTEGER = "integer"
    DATE = "date"
    DATETIME = "datetime"


XLSX_FORMATS = {
    Kind.MONEY: MONEY_FORMAT,
    Kind.DECIMAL: DECIMAL_FORMAT,
    Kind.PERCENT: PERCENT_FORMAT,
    Kind.INTEGER: INTEGER_FORMAT,
    Kind.DATE: DATE_FORMAT,
    Kind.DATETIME: DATETIME_FORMAT,
}


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    kind: str = Kind.TEXT
    width: int = 16


def _local(moment: datetime) -> datetime:
    """Spreadsheets have no time zones: a moment is written as Warsaw wall-clock time."""
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def csv_text(value, kind: str = Kind.TEXT) -> str:
    """The CSV text of one value: Polish decimal comma without grouping, dd.mm.rrrr dates."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return _local(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, bool):
        return "tak" if value else "nie"
    return value


def xlsx_value(value, kind: str = Kind.TEXT):
    """The value of one XLSX cell: numbers and dates as themselves, text made inert."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, datetime):
        return _local(value)
    if isinstance(value, Decimal | date | int | float):
        return value
    return neutralise(value)


def _xlsx_bytes(sheet: str, header: list[str], rows: Iterable[list], kinds: list[str] | None, widths) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    worksheet.append([neutralise(cell) for cell in header])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    worksheet.freeze_panes = "A2"
    for row in rows:
        values = [xlsx_value(value, kinds[i] if kinds else Kind.TEXT) for i, value in enumerate(row)]
        worksheet.append(values)
        for index, cell in enumerate(worksheet[worksheet.max_row]):
            value = cell.value
            if isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, Decimal | int | float):
                kind = kinds[index] if kinds else (Kind.MONEY if isinstance(value, Decimal) else Kind.INTEGER)
                cell.number_format = XLSX_FORMATS.get(kind, DECIMAL_FORMAT if isinstance(value, Decimal) else "0")
    for index, width in enumerate(widths or [], start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    *, filename: str, sheet: str, header: list[str], rows: Iterable[list], widths: list[int] | None = None
) -> HttpResponse:
    """An XLSX workbook: amounts (Decimal) as numeric cells in złoty, dates as date cells, text made inert.

    openpyxl stores a string starting with "=" as a formula, so text goes through ``neutralise`` as in CSV.
    """
    response = HttpResponse(_xlsx_bytes(sheet, header, rows, None, widths), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(fmt: str, *, filename: str, sheet: str, columns: list[Column], rows: Iterable) -> HttpResponse:
    """The list ``rows`` (objects) as ``filename``.csv or ``filename``.xlsx, each column read by ``Column.value``.

    An unknown format is a 404 (the format comes from the URL)."""
    if fmt not in FORMATS:
        raise Http404("Nieznany format pliku.")
    header = [column.header for column in columns]
    if fmt == "csv":
        lines = ([csv_text(c.value(row), c.kind) for c in columns] for row in rows)
        return csv_response(filename=f"{filename}.csv", header=header, rows=lines)
    values = ([c.value(row) for c in columns] for row in rows)
    content = _xlsx_bytes(sheet, header, values, [c.kind for c in columns], [c.width for c in columns])
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def each(queryset, chunk_size: int = 500):
    """Rows of a queryset for an export: streamed in chunks, prefetches included."""
    return queryset.iterator(chunk_size=chunk_size)
