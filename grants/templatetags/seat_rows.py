"""``{% seat_row seat %}``: one row of a commission member's seats ("Moja komisja"), written in Python.

Through the template language a row cost about 1 400 Python calls (the call through the commission, the
capacity's label, the badge, two ``{% url %}`` branches); this tag writes the same HTML, character for character
(``tests/grants/test_commission.py`` compares it with the template it replaced).
"""

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.safestring import mark_safe

from config.badges import render_badge
from config.renderers import esc
from config.statuses import status_badge_of

register = template.Library()


@register.simple_tag
def seat_row(seat) -> str:
    call = seat.commission.call
    number = esc(call.number)
    chair = '<br><span class="badge text-bg-primary">przewodniczący</span>' if seat.is_chair else ""
    try:
        declared = bool(seat.declaration)
    except ObjectDoesNotExist:
        declared = False
    submitted, total = esc(seat.cards_submitted), esc(seat.cards_total)
    if seat.is_excluded:
        progress = "—"
    elif not seat.cards_total:
        progress = "ocena nie rozpoczęła się"
    else:
        progress = (
            f'{submitted} / {total} złożonych<br><progress value="{submitted}" max="{total}" '
            f'aria-label="Postęp oceny w konkursie {number}">{submitted} / {total}</progress>'
        )
    hidden = f'<span class="visually-hidden"> – konkurs {number}</span>'
    if seat.is_excluded:
        next_step = "Wyłączono Cię z prac komisji w tym konkursie.\n            "
    elif not declared:
        url = esc(reverse("grants:commission-declaration", args=[seat.pk]))
        next_step = (
            f'<a class="btn btn-sm btn-primary" href="{url}">Złóż oświadczenie o bezstronności{hidden}</a>'
            "\n            "
        )
    else:
        url = esc(reverse("grants:commission-seat", args=[seat.pk]))
        next_step = f'<a class="btn btn-sm btn-outline-primary" href="{url}">Karty oceny{hidden}</a>'
    return mark_safe(  # noqa: S308 - every text in it is escaped (esc) or is a badge's safe HTML
        f"<tr><td><strong>{number}</strong><br><small>{esc(call.title)}</small></td>\n"
        f"        <td>{esc(seat.get_capacity_display())}{chair}</td>\n"
        f"        <td>{render_badge(status_badge_of(seat.commission))}</td>\n"
        f"        <td>{progress}</td>\n"
        f"        <td>{next_step}</td></tr>"
    )
