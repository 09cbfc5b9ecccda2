"""Files for import tests: CSV text with the templates' headers, and the same as XLSX."""

import io

from openpyxl import Workbook

from programmes.imports import importers

ORG_HEADER = [title for _k, title, _r in importers.ORGANISATION_COLUMNS]
PROGRAMME_HEADER = [title for _k, title, _r in importers.PROGRAMME_COLUMNS]
AGREEMENT_HEADER = [title for _k, title, _r in importers.AGREEMENT_COLUMNS]


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    lines = [";".join(header)] + [";".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SEAT_KONSTANCIN = ("Konstancin-Jeziorna", "piaseczyński", "mazowieckie")


def organisation_row(
    name, krs="", nip="", city="Konstancin-Jeziorna", form="stowarzyszenie", areas="17", seat=SEAT_KONSTANCIN
):
    """A row of the organisations template; ``seat``: (gmina, powiat, województwo) as the office types them."""
    return [
        name,
        form,
        krs,
        "" if krs else "ewidencja starosty nr 1",
        nip,
        "",
        "ul. Polna 1",
        "05-520",
        city,
        *seat,
        "",
        "",
        "nie",
        "",
        areas,
        "",
    ]


def programme_rows(year: int, lines: list[tuple[int, str, str]], reserve: str = "0,00") -> list[list[str]]:
    title = f"Roczny Program Współpracy na rok {year}"
    return [
        [str(year), title, f"X/{year}", f"20.11.{year - 1}", reserve, str(n), name, "17", amount]
        for n, name, amount in lines
    ]


def agreement_row(
    number,
    organisation_krs,
    kind,
    call,
    start,
    end,
    grant,
    transferred,
    settled="",
    returned="",
    line="1",
    title="Zadanie publiczne",
):
    return [
        number,
        "",
        organisation_krs,
        kind,
        call,
        "wspieranie",
        title,
        start,
        start,
        end,
        grant,
        transferred,
        start,
        settled,
        returned,
        "",
        line,
    ]
