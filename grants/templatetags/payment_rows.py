"""``{% payment_row row chosen_ids today %}``: one row of the tranche payments list, written in Python.

The list shows up to a hundred tranches; through the template language each row cost about 850 Python calls
(variable lookups, filters, ``{% url %}``, the badge), most of the page's time. This tag writes the same HTML,
character for character (``tests/grants/test_payment_pages.py`` compares it with the template it replaced), from
the dict ``Tranche.objects.payment_rows()`` reads for each tranche (no model instances).
"""

from django import template
from django.utils.safestring import mark_safe

from config.badges import render_badge
from config.links import pk_url
from config.polish import format_money
from config.renderers import esc
from config.statuses import Badge

register = template.Library()
OVERDUE = " " + render_badge(Badge("danger", "po terminie"))


def _date(value) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"  # the |date:"d.m.Y" filter


@register.simple_tag
def payment_row(row, chosen_ids, today) -> str:
    number, agreement_number = esc(row["number"]), esc(row["agreement_number"])
    paid_on = row["paid_on"]
    tick = ""
    if not paid_on and row["agreement_status"] == "signed":
        pk = esc(row["pk"])
        checked = " checked" if row["pk"] in chosen_ids else ""
        tick = (
            f'<input class="form-check-input" type="checkbox" name="tranches" value="{pk}" id="t{pk}"{checked}>'
            f'<label class="visually-hidden" for="t{pk}">Transza nr {number} umowy nr {agreement_number}</label>'
        )
    url = pk_url("grants:agreement-detail", row["agreement_id"])
    call_number = row["call_number"]
    overdue = OVERDUE if not paid_on and row["due_date"] < today else ""
    return mark_safe(  # noqa: S308 - every text in it is escaped (esc)
        f"<tr>\n    <td>{tick}</td>\n"
        f'    <td><a href="{esc(url)}#transze">{agreement_number}</a>, transza {number}</td>\n'
        f"    <td>{esc(row['organisation_name'])}</td>\n"
        f"    <td>{esc(call_number) if call_number is not None else 'art. 19a / art. 12'}</td>\n"
        f'    <td class="num">{esc(format_money(row["amount"]))}</td>\n'
        f"    <td>{_date(row['due_date'])}{overdue}</td>\n"
        f"    <td>{_date(paid_on) if paid_on else '—'}</td></tr>"
    )
