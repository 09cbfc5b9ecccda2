"""``{% search_rows group %}``: the table rows of one group of the office's search (``grants/search.py``, rows as
dicts), in Python.

Through the template language the 80 rows of a common word (``?q=sportowy``) cost about 40 000 Python calls,
as much as the four searches; this tag writes the same HTML, character for character
(``tests/grants/test_staff_search.py`` compares it with the template it replaced). Links through
``config.links.pk_url``.
"""

from django import template
from django.utils.safestring import mark_safe

from config.links import pk_url
from config.polish import format_money
from config.renderers import esc
from config.statuses import value_label
from organisations.models import Organisation

from ..models import Agreement, Offer, OpenCall

register = template.Library()


def _date(value) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}" if value else ""  # |date:"d.m.Y"


def _organisations(rows) -> str:
    return "".join(
        f'<tr><td><a href="{esc(pk_url("organisations:detail", o["pk"]))}">{esc(o["name"])}</a></td>'
        f"<td>{esc(Organisation.registry_label(o['krs'], o['other_register']))}</td>"
        f"<td>{esc(o['nip'])}</td><td>{esc(o['regon'])}</td><td>{esc(o['city'])}</td></tr>"
        for o in rows
    )


def _calls(rows) -> str:
    return "".join(
        f'<tr><td><a href="{esc(pk_url("grants:call-dashboard", c["pk"]))}">{esc(c["number"])}</a></td>'
        f"<td>{esc(c['title'])}</td><td>{_date(c['delivery_start'])} – {_date(c['delivery_end'])}</td>"
        f"<td>{esc(value_label(OpenCall, 'status', c['status']))}</td></tr>"
        for c in rows
    )


def _offers(rows) -> str:
    html = []
    for o in rows:
        receipt = o["current_version__receipt_number"] or "(bez numeru)"
        url = pk_url("grants:offer-review" if o["call_id"] else "grants:small-grant-case", o["pk"])
        mode = f"konkurs {esc(o['call__number'])}" if o["call_id"] else esc(value_label(Offer, "kind", o["kind"]))
        html.append(
            f'<tr><td><a href="{esc(url)}">{esc(receipt)}</a></td>'
            f"<td><strong>{esc(o['organisation__name'])}</strong><br>{esc(o['title'] or '(bez tytułu)')}</td>"
            f"<td>{mode}</td><td>{esc(value_label(Offer, 'status', o['status']))}</td></tr>"
        )
    return "".join(html)


def _agreements(rows) -> str:
    return "".join(
        f'<tr><td><a href="{esc(pk_url("grants:agreement-detail", a["pk"]))}">{esc(a["number"])}</a></td>'
        f"<td><strong>{esc(a['organisation__name'])}</strong>"
        f'<br>{esc(a["title"])}</td><td class="num">{esc(format_money(a["grant_amount"]))}</td>'
        f"<td>{esc(value_label(Agreement, 'status', a['status']))}</td></tr>"
        for a in rows
    )


_ROWS = {"organisations": _organisations, "calls": _calls, "offers": _offers, "agreements": _agreements}


@register.simple_tag
def search_rows(group) -> str:
    return mark_safe(_ROWS[group.key](group.rows))  # noqa: S308 - every text in it is escaped (esc)
