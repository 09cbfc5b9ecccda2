"""Form fields for the way Polish people type numbers and dates, and small helpers every form uses."""

import copy
import re
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import numberformat, timezone
from django.utils.translation import gettext_lazy as _

# Every space people (and spreadsheets) put between thousands: normal, non-breaking (U+00A0), narrow
# non-breaking (U+202F), thin (U+2009), tabs. Python's \s matches all of them in a str pattern.
_SPACES = re.compile(r"\s+")
# "1.200,50" (dots between thousands, comma before the grosze) as some accounting programs print it.
_DOTTED_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")


def normalise_number(text: str) -> str:
    """``"1 200,50"`` → ``"1200.50"``: no spaces, a dot before the decimals; anything else is left as typed."""
    text = _SPACES.sub("", text)
    if _DOTTED_THOUSANDS.match(text):
        text = text.replace(".", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return text


def polish_number(value, decimal_places: int | None = None) -> str:
    """``Decimal("1200.5")`` → ``"1 200,50"`` (non-breaking space between thousands, comma before the decimals)."""
    return numberformat.format(
        value,
        ",",
        decimal_pos=decimal_places,
        grouping=3,
        thousand_sep="\u00a0",
        force_grouping=True,
    )


class PolishNumberInput(forms.TextInput):
    """A text box for an amount or a count: the phone shows its number pad, the value is shown the Polish way.

    A text input (not ``type=number``) because browsers refuse "1 200,50" in a number input and would send
    nothing at all; what the person typed comes back unchanged when the form has errors.
    """

    decimal_places: int | None = None

    def __init__(self, attrs=None):
        super().__init__({"class": "text-end", "inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return polish_number(value, self.decimal_places)
        return str(value)


class PolishDecimalField(forms.DecimalField):
    """An amount as Polish people type it: ``1 200,50``, ``1200,50``, ``1 200`` (any space), ``1200.50``.

    The one number field of the portal: every money and number field of every form is this class (model
    forms get it through :func:`polish_formfield`; ``tests/test_numbers.py`` checks every form).
    """

    widget = PolishNumberInput
    default_error_messages = {
        "invalid": _("Wpisz liczbę, np. 1 200,50 (spacje między tysiącami i przecinek przed groszami są w porządku)."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.pop("localize", None)  # formatting and parsing are this class's own, whatever the settings say
        super().__init__(*args, **kwargs)
        self.widget.decimal_places = self.decimal_places

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise_number(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # DecimalField would add step/min/max meant for <input type=number>; a text input needs none of them.
        return forms.Field.widget_attrs(self, widget)


class PolishIntegerField(forms.IntegerField):
    """A count (persons, days, tranches) typed as ``1 200`` or ``1200``."""

    widget = PolishNumberInput
    default_error_messages = {"invalid": _("Wpisz liczbę całkowitą, np. 1 200.")}

    def __init__(self, *args, **kwargs):
        kwargs.pop("localize", None)
        super().__init__(*args, **kwargs)
        self.widget.attrs["inputmode"] = "numeric"

    def to_python(self, value):
        if isinstance(value, str):
            value = _SPACES.sub("", value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)


def state_text_limits(form: forms.BaseForm, only=None) -> None:
    """Say each text box's limit in its help text (the page also counts live: static/js/counter.js)."""
    for name, field in form.fields.items():
        if only is not None and name not in only:
            continue
        if isinstance(field.widget, forms.Textarea) and field.max_length:
            limit = polish_number(field.max_length)
            field.help_text = f"{field.help_text} Do {limit} znaków.".strip()


def polish_formfield(db_field, **kwargs):
    """``Meta.formfield_callback`` of model forms: decimal model fields become :class:`PolishDecimalField`."""
    if isinstance(db_field, models.DecimalField):
        kwargs["form_class"] = PolishDecimalField
    return db_field.formfield(**kwargs)


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


def list_query(request) -> str:
    """A list's query string without its page number, for the pagination and download links."""
    query = request.GET.copy()
    query.pop("strona", None)
    return query.urlencode()


def filtered(filterset):
    """The filterset's result when the visitor asked for a valid filter, otherwise everything it starts from."""
    return filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset


# --- cheaper copies of a form's fields ------------------------------------------------------------------------------
# Every form instance deep-copies its class's fields (``BaseForm.__init__``): through ``copy``'s general machinery that
# is about ten Python calls per field and widget, a few thousand per offer form with its row tables. For the plain
# field and widget classes below the copy is what their own ``__deepcopy__`` makes (a shallow copy with its own
# widget, attrs, error messages, validators and choices list), written directly; any other field is deep-copied as
# Django does.

_PLAIN_FIELDS = (
    forms.CharField,
    forms.IntegerField,
    forms.DecimalField,
    forms.DateField,
    forms.BooleanField,
    forms.ChoiceField,
)
_NOT_PLAIN_FIELDS = (forms.ModelChoiceField, forms.MultiValueField, forms.ComboField, forms.TypedMultipleChoiceField)
_PLAIN_WIDGETS = (forms.widgets.Input, forms.Textarea, forms.CheckboxInput, forms.Select, forms.RadioSelect)


def _shallow(obj):
    copied = object.__new__(type(obj))
    copied.__dict__ = obj.__dict__.copy()
    return copied


def _copy_widget(widget, memo):
    if not isinstance(widget, _PLAIN_WIDGETS) or isinstance(widget, forms.MultiWidget):
        return copy.deepcopy(widget, memo)
    copied = _shallow(widget)
    copied.attrs = widget.attrs.copy()
    if isinstance(widget, forms.widgets.ChoiceWidget):
        copied.choices = copy.copy(widget.choices)
    return copied


def _copy_field(field, memo):
    if not isinstance(field, _PLAIN_FIELDS) or isinstance(field, _NOT_PLAIN_FIELDS):
        return copy.deepcopy(field, memo)
    copied = _shallow(field)
    copied.widget = _copy_widget(field.widget, memo)
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    if isinstance(field, forms.ChoiceField):
        copied._choices = copy.deepcopy(field._choices, memo)
    return copied


class _CheaplyCopiedFields(dict):
    def __deepcopy__(self, memo):
        return {name: _copy_field(field, memo) for name, field in self.items()}


class CheapFieldCopies:
    """A form mixin: each instance's fields are copied as above (the same result, fewer calls)."""

    def __init__(self, *args, **kwargs):
        cls = type(self)
        if type(cls.__dict__.get("base_fields")) is not _CheaplyCopiedFields:
            cls.base_fields = _CheaplyCopiedFields(cls.base_fields)
        super().__init__(*args, **kwargs)
