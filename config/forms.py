"""Form fields for the way Polish people type numbers."""

import re

from django import forms

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
