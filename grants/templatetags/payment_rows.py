"""``{% payment_row tranche chosen_ids today %}``: one row of the tranche payments list, written in Python.

The list shows up to a hundred tranches; through the template language each row cost about 850 Python calls
(variable lookups, filters, ``{% url %}``, the badge), most of the page's time. This tag writes the same HTML,
character for character (``tests/grants/test_payment_pages.py`` compares it with the template it replaced).
"""

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from config.badges import render_badge
from config.polish import format_money
from config.renderers import esc
from config.statuses import Badge

register = template.Library()


def _date(value) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"  # the |date:"d.m.Y" filter


@register.simple_tag
def payment_row(tranche, chosen_ids, today) -> str:
    agreement = tranche.agreement
    number, agreement_number = esc(tranche.number), esc(agreement.number)
    tick = ""
    if not tranche.paid_on and agreement.status == "signed":
        pk = esc(tranche.pk)
        checked = " checked" if tranche.pk in chosen_ids else ""
        tick = (
            f'<input class="form-check-input" type="checkbox" name="tranches" value="{pk}" id="t{pk}"{checked}>'
            f'<label class="visually-hidden" for="t{pk}">Transza nr {number} umowy nr {agreement_number}</label>'
        )
    url = reverse("grants:agreement-detail", args=[tranche.agreement_id])
    call = agreement.call
    overdue = ""
    if not tranche.paid_on and tranche.due_date < today:
        overdue = " " + render_badge(Badge("danger", "po terminie"))
    return mark_safe(  # noqa: S308 - every text in it is escaped (esc)
        f"<tr>\n    <td>{tick}</td>\n"
        f'    <td><a href="{esc(url)}#transze">{agreement_number}</a>, transza {number}</td>\n'
        f"    <td>{esc(agreement.organisation.name)}</td>\n"
        f"    <td>{esc(call.number) if call else 'art. 19a / art. 12'}</td>\n"
        f'    <td class="num">{esc(format_money(tranche.amount))}</td>\n'
        f"    <td>{_date(tranche.due_date)}{overdue}</td>\n"
        f"    <td>{_date(tranche.paid_on) if tranche.paid_on else '—'}</td></tr>"
    )
