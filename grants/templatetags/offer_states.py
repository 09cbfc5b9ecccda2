"""``{% offer_state_badge offer %}``: where an offer really stands (``grants/states.py``), as the one badge."""

from django import template
from django.utils import timezone

from config.badges import render_badge

from ..states import offer_state

register = template.Library()


@register.simple_tag
def offer_state_badge(offer) -> str:
    return render_badge(offer_state(offer, timezone.localdate()))
