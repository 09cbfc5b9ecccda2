"""``pk_url(name, pk)``: ``reverse(name, args=[pk])`` for every row of a long table at the cost of one ``reverse``.

A row tag that links to its object called ``reverse`` once a row, about 70 Python calls each (the resolver, the
script prefix of the authority's space, quoting): on a hundred rows more than the rest of a row. The URL of a name
whose one argument is a number is the same text around the number, so it is reversed once with a marker number and
its two sides are kept, per script prefix and URL configuration (each authority's space has its own prefix).
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()  # a builtin library (settings.TEMPLATES): {% nav_url %}

_MARKER = "9081726354"


@lru_cache(maxsize=256)
def _sides(name: str, prefix: str, urlconf, root_urlconf) -> tuple[str, str] | None:
    url = reverse(name, args=[int(_MARKER)], urlconf=urlconf)
    if url.count(_MARKER) != 1:
        return None
    before, after = url.split(_MARKER)
    return before, after


def pk_url(name: str, pk: int) -> str:
    """The URL of the object ``pk`` (an ``int``) under ``name``, exactly what ``reverse(name, args=[pk])`` gives."""
    sides = _sides(name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    if sides is None or type(pk) is not int:
        return reverse(name, args=[pk])
    return f"{sides[0]}{pk}{sides[1]}"


@lru_cache(maxsize=512)
def _named(name: str, prefix: str, urlconf, root_urlconf) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def nav_url(name: str) -> str:
    """``{% url name %}`` for a URL without arguments (the navigation's forty links on every page), reversed once per
    script prefix and URL configuration instead of on every request."""
    return _named(name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
