"""``{% decision_row row form %}`` and ``{% decided_row row %}``: the rows of the decision page, written in Python.

The decision table (an offer, its scores and the decision form) and the table of decisions taken went through the
template language, about 1 000 and 400 Python calls a row. These tags write the same HTML, character for character
(``tests/grants/test_awards.py`` compares them with the template they replaced); the form's widgets are still
drawn by the form renderer.
"""

from django import template
from django.utils.safestring import mark_safe

from config.polish import format_money, format_number
from config.renderers import esc

register = template.Library()


def _place(row) -> str:
    return "—" if row.place is None else esc(row.place)  # |default_if_none:"—"


def _mean(row) -> str:
    return "—" if row.mean_score is None else esc(format_number(row.mean_score, 2))


def _label(bound, text: str, name: str) -> str:
    return f'<label class="visually-hidden" for="{esc(bound.id_for_label)}">{text} – {name}</label>'


@register.simple_tag
def decision_row(row, form) -> str:
    name = esc(row.organisation_name)
    tie = ' <span class="badge text-bg-warning">ex aequo</span>' if row.tie else ""
    below = "" if row.eligible else '<br><span class="badge text-bg-secondary">poniżej progu</span>'
    decision, amount, reasons = form["decision"], form["amount"], form["reasons"]
    decision_errors = str(decision.errors) if decision.errors else ""  # the error list's own <ul>
    amount_errors = "".join(
        f'<div class="text-danger small" id="{esc(amount.id_for_label)}-error">{esc(error)}</div>'
        for error in amount.errors
    )
    reasons_errors = "".join(f'<div class="text-danger small">{esc(error)}</div>' for error in reasons.errors)
    return mark_safe(  # noqa: S308 - every text in it is escaped (esc) or is the form renderer's safe HTML
        "<tr>\n"
        f"      <td>{_place(row)}{tie}</td>\n"
        f"      <td><strong>{name}</strong><br>{esc(row.title)}</td>\n"
        f'      <td class="num">{_mean(row)}{below}</td>\n'
        f'      <td class="num">{esc(format_money(row.requested))}</td>\n'
        f'      <td class="num">{esc(format_money(row.proposed_amount))}</td>\n'
        f"      <td>{decision_errors}{_label(decision, 'Decyzja', name)}{decision}</td>\n"
        f"      <td>{amount_errors}{_label(amount, 'Kwota dotacji', name)}{amount}</td>\n"
        f"      <td>{reasons_errors}{_label(reasons, 'Uzasadnienie', name)}{reasons}</td>\n"
        "    </tr>"
    )


@register.simple_tag
def decided_row(row) -> str:
    award = row.award
    granted = "nie przyznano"
    if award is not None and award.status == "granted":
        granted = esc(format_money(award.amount))
    return mark_safe(  # noqa: S308 - every text in it is escaped (esc)
        f"<tr><td>{_place(row)}</td><td>{esc(row.organisation_name)} – {esc(row.title)}</td>"
        f'<td class="num">{_mean(row)}</td><td class="num">{esc(format_money(row.requested))}</td>'
        f'<td class="num">{granted}</td></tr>'
    )
