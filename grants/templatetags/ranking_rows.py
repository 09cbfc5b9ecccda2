"""``{% ranking_row row field form %}``: one row of the commission's ranking (office), written in Python.

Through the template language a row cost about 1 000 Python calls; this tag writes the same HTML, character for
character, with and without the proposal field (``tests/grants/test_commission.py`` compares it with the template
it replaced).
"""

from django import template
from django.utils.safestring import mark_safe

from config.badges import render_badge
from config.polish import format_money, format_number
from config.renderers import esc
from config.statuses import status_badge_of

register = template.Library()


def _money(value) -> str:
    return esc(format_money(value))


def _proposal(row, field, form) -> str:
    if field:
        label_for = esc(field.id_for_label)
        invalid = " is-invalid" if field.errors else ""
        value = field.value()
        typed = "" if value is None else esc(value)  # as typed on a bound form, else the amount in Polish
        shown = typed if form.is_bound else esc(format_number(value, 2))
        errors = ""
        if field.errors:
            errors = f'<div class="invalid-feedback">{" ".join(esc(error) for error in field.errors)}</div>'
        return (
            f'<label class="visually-hidden" for="{label_for}">{esc(field.label)}</label>\n'
            f'          <input type="text" inputmode="decimal" class="form-control form-control-sm text-end{invalid}" '
            f'name="{esc(field.html_name)}" id="{label_for}" value="{shown}" aria-describedby="{label_for}-help">\n'
            f'          <small id="{label_for}-help" class="text-body-secondary">do {_money(row.requested)}</small>'
            f"{errors}\n        "
        )
    return _money(row.proposed_amount) if row.eligible else "—"


@register.simple_tag
def ranking_row(row, field, form) -> str:
    place = "—"
    if row.place:
        place = esc(row.place) + (' <span class="badge text-bg-info">ex aequo</span>' if row.tie else "")
    award = row.award
    badge = f"<br>{render_badge(status_badge_of(award))}" if award and award.status != "proposed" else ""
    mean = "—" if row.mean_score is None else esc(format_number(row.mean_score, 2))
    if row.mean_score is not None and not row.eligible:
        mean += "<br><small>poniżej progu</small>"
    running = "—"
    if row.running_total is not None:
        running = _money(row.running_total)
        if not row.within_funds:
            running += '<br><span class="badge text-bg-warning">ponad środki</span>'
    shade = "" if row.eligible else ' class="table-secondary"'
    return mark_safe(  # noqa: S308 - every text in it is escaped (esc) or is a badge's safe HTML
        f"<tr{shade}>\n"
        f"      <td>{place}</td>\n"
        f"      <td>{esc(row.organisation_name)}<br><small>{esc(row.title)}</small>{badge}</td>\n"
        f'      <td class="num">{mean}</td>\n'
        f'      <td class="num">{esc(row.cards_counted)} / {esc(row.cards_expected)}</td>\n'
        f'      <td class="num">{_money(row.requested)}</td>\n'
        f'      <td class="num">{_proposal(row, field, form)}</td>\n'
        f'      <td class="num">{running}</td>\n'
        "    </tr>"
    )
