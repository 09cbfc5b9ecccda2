"""``{% agreement_row agreement %}``: one row of the office's list of agreements, written in Python.

Through the template language a row cost about 1 200 Python calls; this tag writes the same HTML, character for
character (``tests/grants/test_awards.py`` compares it with the template it replaced).
"""

from django import template
from django.utils.safestring import mark_safe

from config.badges import render_badge
from config.links import pk_url
from config.polish import format_money
from config.renderers import esc
from config.statuses import status_badge_of

register = template.Library()


def _date(value) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}" if value else ""  # |date:"d.m.Y"


@register.simple_tag
def agreement_row(agreement) -> str:
    call = agreement.call
    origin = f"konkurs {esc(call.number)}" if call else "art. 19a"
    if agreement.import_batch_id:
        origin += ' <span class="badge text-bg-light border">zaimportowana</span>'
    url = esc(pk_url("grants:agreement-detail", agreement.pk))
    return mark_safe(  # noqa: S308 - every text in it is escaped (esc) or is a badge's safe HTML
        f'<tr><td><a href="{url}">{esc(agreement.number)}</a></td><td><strong>{esc(agreement.organisation.name)}'
        f"</strong><br>{esc(agreement.title)}</td><td>{origin}</td>"
        f'<td class="num">{esc(format_money(agreement.grant_amount))}</td>'
        f"<td>{_date(agreement.start_date)} – {_date(agreement.end_date)}</td>"
        f"<td>{render_badge(status_badge_of(agreement))}</td></tr>"
    )
