"""Form fields for the way Polish people type numbers and dates."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

_SPACES = re.compile(r"[\s\u00a0\u202f]")


class PolishDecimalField(forms.DecimalField):
    """Accepts ``20 000,50`` as well as ``20000.50``: spaces (also non-breaking) group thousands, comma is decimal."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = _SPACES.sub("", value)
        return super().to_python(value)


EARLIEST_DATE = date(2000, 1, 1)
YEARS_AHEAD = 10


def latest_plausible_date(today: date | None = None) -> date:
    """Today ten years on (29 February falls back to the 28th)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def validate_plausible_date(value: date) -> None:
    """Refuse a typed date no office document of the portal can carry (year 1, 9999, a slipped digit)."""
    latest = latest_plausible_date()
    if not EARLIEST_DATE <= value <= latest:
        raise ValidationError(
            "Podaj datę od %(earliest)s do %(latest)s.",
            code="implausible_date",
            params={"earliest": EARLIEST_DATE.strftime("%d.%m.%Y"), "latest": latest.strftime("%d.%m.%Y")},
        )


class PlausibleDateInput(forms.DateInput):
    """The browser's calendar, offering only the dates the server accepts (the bound moves with today)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        attrs = {"min": EARLIEST_DATE.isoformat(), "max": latest_plausible_date().isoformat(), **(attrs or {})}
        return super().get_context(name, value, attrs)


class PlausibleDateField(forms.DateField):
    """A date typed by a person, bounded to 01.01.2000 … today + 10 years on the server and in the calendar."""

    widget = PlausibleDateInput
    default_validators = [validate_plausible_date]


def apply_validation_error(form: forms.BaseForm, error) -> None:
    """Put a service's ``ValidationError`` on the fields it names (the rest on the form), keeping the input."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def filtered(filterset):
    """The filterset's result when the visitor asked for a valid filter, otherwise everything it starts from."""
    return filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
