"""The fast form renderer writes exactly what Django's widget templates write."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from config.forms import PolishDecimalField
from config.renderers import FastRenderer


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="Pomoc <b>", initial='"cudzysłów" & <tag>')
    safe = forms.CharField(required=False, initial=mark_safe("<i>bezpieczny</i>"))
    hidden = forms.IntegerField(widget=forms.HiddenInput, initial=7)
    amount = PolishDecimalField(max_digits=14, decimal_places=2, initial=Decimal("1200.5"))
    number = forms.IntegerField(min_value=1, initial=3)
    email = forms.EmailField(required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=date(2027, 3, 1))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="Linia 1\nLinia 2 <&>")
    empty_note = forms.CharField(widget=forms.Textarea, required=False)
    flag = forms.BooleanField(required=False, initial=True)
    off = forms.BooleanField(required=False, disabled=True)
    choice = forms.ChoiceField(choices=[("", "—"), ("a", "Ą & b"), ("c", "<c>")], initial="a")
    grouped = forms.ChoiceField(choices=[("Grupa <1>", [("1", "jeden"), ("2", "dwa")]), ("3", "trzy")])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], initial=["x", "y"], required=False)
    radio = forms.ChoiceField(choices=[("t", "tak"), ("n", "nie")], widget=forms.RadioSelect, required=False)


@pytest.mark.parametrize("bound", [False, True], ids=["unbound", "bound-with-errors"])
def test_every_widget_renders_as_the_templates_do(bound):
    data = {"text": "x" * 30, "amount": "1 2,3", "number": "0", "note": "<script>", "choice": "zzz", "many": ["y"]}
    fast = Everything(data if bound else None, renderer=FastRenderer())
    slow = Everything(data if bound else None, renderer=DjangoTemplates())
    for name in fast.fields:
        assert str(fast[name]) == str(slow[name]), name
        assert str(fast[name].errors) == str(slow[name].errors), name
    assert str(fast) == str(slow)
