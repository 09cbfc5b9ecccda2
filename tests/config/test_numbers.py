"""One way to read numbers: every amount and count field of every form accepts what Polish people type."""

import importlib
import inspect
import pkgutil
from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin

from config.forms import PolishDecimalField, PolishIntegerField, normalise_number, polish_number

APPS = ["accounts", "organisations", "programmes", "consultations", "grants", "reports"]

# What people type, and the amount they mean.
TYPED = [
    ("1 200,50", Decimal("1200.50")),
    ("1200,50", Decimal("1200.50")),
    ("1 200", Decimal("1200")),
    ("1\u00a0200", Decimal("1200")),  # non-breaking space (Word, LibreOffice)
    ("1\u202f200,5", Decimal("1200.5")),  # narrow non-breaking space (macOS, Excel in Polish)
    ("1200.50", Decimal("1200.50")),
    ("1.200,50", Decimal("1200.50")),  # dots between thousands, as some accounting programs print
    (" 60 000,00 ", Decimal("60000.00")),
]


def _form_classes():
    for app in APPS:
        package = importlib.import_module(app)
        names = [f"{app}.forms"]
        if hasattr(package, "__path__"):
            sub = importlib.util.find_spec(f"{app}.forms")
            if sub and sub.submodule_search_locations:
                names += [f"{app}.forms.{m.name}" for m in pkgutil.iter_modules(sub.submodule_search_locations)]
        for name in names:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def _number_fields():
    found = []
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            if isinstance(field, (forms.DecimalField, forms.IntegerField)) and not field.widget.is_hidden:
                found.append(pytest.param(cls, name, field, id=f"{cls.__name__}.{name}"))
    return found


NUMBER_FIELDS = _number_fields()


def test_the_portal_has_number_fields_to_check():
    names = {param.id for param in NUMBER_FIELDS}
    # A guard that the walk above finds the forms at all (the cost rows that refused "1 200,50" among them).
    assert {"CostItemForm.unit_cost", "CostItemForm.quantity", "OfferForm.grant_amount", "RefundForm.amount"} <= names


@pytest.mark.parametrize(
    ("form_class", "name", "field"), [p.values for p in NUMBER_FIELDS], ids=[p.id for p in NUMBER_FIELDS]
)
def test_every_amount_field_is_the_polish_field(form_class, name, field):
    if isinstance(field, forms.DecimalField):
        assert isinstance(field, PolishDecimalField), f"{form_class.__name__}.{name} is a plain DecimalField"
        assert field.widget.input_type == "text" and field.widget.attrs["inputmode"] == "decimal"


DECIMALS = [p for p in NUMBER_FIELDS if isinstance(p.values[2], forms.DecimalField)]


@pytest.mark.parametrize(("typed", "meant"), TYPED, ids=[repr(t) for t, _m in TYPED])
@pytest.mark.parametrize(("form_class", "name", "field"), [p.values for p in DECIMALS], ids=[p.id for p in DECIMALS])
def test_each_form_reads_each_way_of_typing_an_amount(form_class, name, field, typed, meant):
    assert field.to_python(typed) == meant
    try:
        assert field.clean(typed) == meant
    except forms.ValidationError as error:  # a range the field sets (percentages, points), never a misread number
        assert {e.code for e in error.error_list} <= {"max_value", "max_digits", "max_whole_digits"}


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "12 zł"])
def test_a_number_that_is_not_one_is_refused_in_polish(typed):
    with pytest.raises(forms.ValidationError) as error:
        PolishDecimalField(max_digits=14, decimal_places=2).clean(typed)
    assert error.value.messages == [
        "Wpisz liczbę, np. 1 200,50 (spacje między tysiącami i przecinek przed groszami są w porządku)."
    ]


def test_counts_read_spaces_too():
    assert PolishIntegerField().clean("1 200") == 1200
    assert PolishIntegerField().clean("1\u00a0200") == 1200


def test_values_are_shown_back_the_polish_way():
    field = PolishDecimalField(max_digits=14, decimal_places=2)
    html = field.widget.render("amount", Decimal("1234567.5"))
    assert 'value="1\u00a0234\u00a0567,50"' in html and 'inputmode="decimal"' in html and 'type="text"' in html
    # What someone typed comes back exactly as typed when the form shows an error.
    assert 'value="12 zł"' in field.widget.render("amount", "12 zł")
    assert polish_number(Decimal("0"), 2) == "0,00"
    assert normalise_number("1 200,50") == "1200.50"


def test_the_admin_edits_limits_with_the_polish_field():
    from grants.models import SmallGrantLimits

    model_admin = admin.site._registry[SmallGrantLimits]
    form = model_admin.get_form(request=None)
    assert isinstance(form.base_fields["max_grant"], PolishDecimalField)
    assert form.base_fields["max_grant"].clean("10 000,00") == Decimal("10000.00")
