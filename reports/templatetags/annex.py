"""The year-end report PDF's annex, written in Python (``{% load annex %}``): one paragraph per agreement.

WeasyPrint's cost grows with the boxes it lays out, not only with the text: the annex of a city-scale year (600
agreements, 30 pages) took most of the PDF's time as a table, and still more than half of it as entries of three
paragraphs with bold runs. Here each agreement is a single paragraph of three lines broken by newlines
(``white-space: pre-line``; a ``<br>`` would add a box of its own), with no inline element in it, and the template
does not walk 600 rows variable by variable. Every text is escaped (``esc``) and the result marked safe once.
"""

import re

from django import template
from django.utils.safestring import mark_safe

from config.polish import format_money
from config.renderers import esc

register = template.Library()

_SPACES = re.compile(r"[ \t\r\n]+")  # ASCII white space only: the non-breaking spaces in names stay


def _line(text) -> str:
    """User-typed text on one line: a newline in it would start a line of its own under ``pre-line``."""
    return esc(_SPACES.sub(" ", str(text)).strip())


def _money(value) -> str:
    return "—" if value is None else esc(format_money(value))


def annex_entry(position: int, row: dict) -> str:
    years = f" · {esc(row['years'])}" if row["years"] else ""
    grant = f" (z {_money(row['grant'])})" if row["years"] else ""
    return (
        f"<p>{position}. {_line(row['number'])} · {_line(row['kind'])}{years} · {_line(row['status'])} — "
        f"{_line(row['organisation'])}\n{_line(row['title'])}\n"
        f"dotacja {_money(row['awarded'])}{grant} · przekazano {_money(row['transferred'])} · "
        f"rozliczono {_money(row['settled'])} · zwrócono {_money(row['returned'])}</p>"
    )


@register.simple_tag
def annex_entries(rows: list[dict]) -> str:
    """``agreement_list`` of ``reports.annual.annual_report`` as numbered entries: number, mode, years, status and
    organisation; the task; the year's grant (and the whole multi-year grant), transferred, settled, returned."""
    return mark_safe("".join(annex_entry(n, row) for n, row in enumerate(rows, start=1)))  # noqa: S308 - escaped
