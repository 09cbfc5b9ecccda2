"""Polish formats for money and numbers, available in every template (a builtin library)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()

NBSP = "\xa0"


def format_money(value) -> str:
    """``Decimal("357000")`` → ``357 000,00 zł`` with non-breaking spaces, as Polish offices write it."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)}{NBSP}zł"


@register.filter
def money(value) -> str:
    return format_money(value)


@register.filter
def number(value, decimals: int = 0) -> str:
    """A grouped Polish number: ``1038`` → ``1 038``; ``12.5|number:1`` → ``12,5``."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = Decimal(value)
    return number_format(value, int(decimals), use_l10n=True, force_grouping=True)


def polish_plural(count: int, one: str, few: str, many: str) -> str:
    """Polish has three plural forms: 1 organizacja, 2–4 organizacje, 5+ organizacji (but 22 organizacje)."""
    count = abs(int(count))
    if count == 1:
        return one
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return few
    return many


@register.filter
def pluralize_pl(count, forms: str) -> str:
    """``{{ n|pluralize_pl:"organizacja,organizacje,organizacji" }}``."""
    one, few, many = forms.split(",")
    return polish_plural(count or 0, one, few, many)


@register.filter
def bank_account(value: str) -> str:
    from organisations.validators import format_bank_account

    return format_bank_account(value) if value else ""


@register.filter
def percent(value, decimals: int = 1) -> str:
    """A ratio as a Polish percentage: ``0.1234`` → ``12,3%``."""
    if value is None or value == "":
        return "—"
    return f"{number_format(Decimal(value) * 100, int(decimals), use_l10n=True, force_grouping=True)}%"


def format_percent(value) -> str:
    """``Decimal("10.00")`` → ``10%``, ``Decimal("12.5")`` → ``12,5%`` (Polish decimal comma)."""
    text = number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)
    return text.rstrip("0").rstrip(",") + "%"


@register.filter
def isodate(value: str) -> str:
    """A date stored as ISO text in a JSON snapshot (``2026-05-31``) shown the Polish way (``31.05.2026``)."""
    if not value:
        return "—"
    year, month, day = str(value).split("-")
    return f"{day}.{month}.{year}"
