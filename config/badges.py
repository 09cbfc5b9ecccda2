"""Template tags for the one status badge (a builtin library): ``{% status_badge obj %}`` and ``{% badge … %}``.

``{% status_badge offer %}`` shows ``offer.get_status_display`` in the tone ``config/statuses.py`` gives it;
``{% status_badge offer "outcome" %}`` reads another choices field. ``{% badge state %}`` shows a ready
``Badge`` (e.g. the real state of an offer, ``grants/states.py``), ``{% badge "danger" "po terminie" %}`` any text.
"""

from django import template
from django.utils.safestring import mark_safe

from .renderers import esc
from .statuses import TONES, Badge, status_badge_of

register = template.Library()


def render_badge(badge: Badge | None) -> str:
    if badge is None:
        return ""
    tone = badge.tone if badge.tone in TONES else "progress"
    # What format_html writes, without its per-argument wrappers (tables draw one or two badges a row).
    return mark_safe(f'<span class="badge status-badge status-{tone}">{esc(badge.text)}</span>')  # noqa: S308


@register.simple_tag
def status_badge(obj, field: str = "status") -> str:
    return render_badge(status_badge_of(obj, field))


@register.simple_tag
def badge(tone_or_badge, text: str = "") -> str:
    if isinstance(tone_or_badge, Badge):
        return render_badge(tone_or_badge)
    return render_badge(Badge(str(tone_or_badge), str(text)))
