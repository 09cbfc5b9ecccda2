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


def _field_tag(bound) -> str:
    from config.fields import field

    return str(field(bound))


@pytest.mark.parametrize("bound", [False, True], ids=["unbound", "bound-with-errors"])
def test_the_field_tag_writes_a_radio_group_as_a_fieldset_with_the_widgets_own_options(bound):
    class Radios(forms.Form):
        answer = forms.ChoiceField(
            label="Oferent <wobec> ZUS",
            choices=[("none", "nie zalega"), ("some", "zalega & <x>")],
            widget=forms.RadioSelect,
        )

    form = Radios({"answer": "bad"} if bound else None, initial={"answer": "none"}, renderer=FastRenderer())
    html = _field_tag(form["answer"])
    legend = '<div id="div_id_answer" class="mb-3"><fieldset><legend class="form-label fs-6 requiredField">'
    assert html.startswith(legend)
    assert (
        'Oferent &lt;wobec&gt; ZUS<span class="asteriskField">*</span></legend>' in html
        and "zalega &amp; &lt;x&gt;</label>" in html
    )
    for option in form["answer"].subwidgets:  # every option of Django's widget, with its id and checked state
        attrs = option.data["attrs"]
        assert f'value="{option.data["value"]}" id="{attrs["id"]}"' in html
        assert f'<label for="{attrs["id"]}" class="form-check-label">' in html
    assert ('id="id_answer_0" required checked' in html) is not bound
    if bound:
        assert html.count('class="form-check-input is-invalid"') == 2
        assert 'id="id_answer_error" class="invalid-feedback d-block"><p>Wybierz poprawną wartość.' in html


def test_the_field_tag_escapes_labels_help_texts_and_errors():
    class Texts(forms.Form):
        name = forms.CharField(label="Nazwa <i>", help_text="Pomoc & <b>", max_length=3)

    form = Texts({"name": "<script>"}, renderer=FastRenderer())
    html = _field_tag(form["name"])
    assert "Nazwa &lt;i&gt;<span" in html and "Pomoc &amp; &lt;b&gt;</div>" in html
    assert "<script>" not in html and 'value="&lt;script&gt;"' in html
    assert 'class="form-control is-invalid"' in html and 'id="id_name_error" class="invalid-feedback"' in html


# What the formset table include wrote before `{% formset_table %}` replaced it: the tag must write the same markup.
FORMSET_TABLE_TEMPLATE = """{% load fields %}<div data-formset="{{ formset.prefix }}">
{{ formset.management_form }}
{% if formset.non_form_errors %}<div class="alert alert-danger" role="alert">{{ formset.non_form_errors|join:" " }}</div>{% endif %}
<div class="table-responsive">
<table class="table align-top table-cards">
  <caption class="visually-hidden">{{ caption }}</caption>
  {% with empty=formset.empty_form %}
  <thead><tr>{% for field in empty.visible_fields %}<th scope="col">{{ field.label }}</th>{% endfor %}</tr></thead>
  <tbody data-formset-body>
  {% for form in formset %}{% formset_row form forloop.counter %}{% endfor %}
  </tbody>
</table>
</div>
<template data-formset-empty>{% formset_row empty "__row__" %}</template>{% endwith %}
<button type="button" class="btn btn-outline-secondary btn-sm mb-3" data-formset-add hidden>Dodaj wiersz</button>
</div>"""  # noqa: E501


def _between_tags(html: str) -> str:
    """White space between tags is not part of the page (the include's template lines left some)."""
    import re

    return re.sub(r">\s+<", "><", str(html).strip())


def _cost_items(data=None):
    from grants.forms.offers import CostItemFormSet

    initial = [
        {
            "category": "delivery",
            "activity_number": 1,
            "order": 1,
            "name": "Trener <sport>",
            "unit": "godz.",
            "unit_cost": Decimal("120.50"),
            "quantity": Decimal("40"),
        },
    ]
    return CostItemFormSet(data, prefix="cost_items", initial=None if data else initial)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {  # a row with errors and a row past the maximum count (a non-form error)
            "cost_items-TOTAL_FORMS": "2",
            "cost_items-INITIAL_FORMS": "0",
            "cost_items-MAX_NUM_FORMS": "1000",
            "cost_items-0-category": "delivery",
            "cost_items-0-order": "0",
            "cost_items-0-name": "<b>x</b>",
            "cost_items-0-unit_cost": "1 200,50",
            "cost_items-0-quantity": "abc",
            "cost_items-1-category": "admin",
            "cost_items-1-order": "2",
            "cost_items-1-name": "Księgowa",
            "cost_items-1-unit": "mies.",
            "cost_items-1-unit_cost": "500",
            "cost_items-1-quantity": "3",
        },
        {"cost_items-TOTAL_FORMS": "x"},  # tampered counters: Django's own management form with its errors
    ],
    ids=["unbound", "bound-with-errors", "tampered-counters"],
)
def test_the_formset_table_tag_writes_what_the_include_wrote(data):
    from django.template import Context, Template

    from config.fields import formset_table

    expected = Template(FORMSET_TABLE_TEMPLATE).render(
        Context({"formset": _cost_items(data), "caption": "Koszty <V.A>"})
    )
    written = formset_table(_cost_items(data), "Koszty <V.A>")
    assert _between_tags(written) == _between_tags(expected)
    # The empty row and header of a row form with fixed fields are kept after the first table: the same markup.
    assert formset_table(_cost_items(data), "Koszty <V.A>") == written
    assert "Koszty &lt;V.A&gt;" in written and 'name="cost_items-TOTAL_FORMS"' in written
    if data and "cost_items-0-order" in data:
        assert 'class="invalid-feedback d-block"' in written  # the row's errors are on the page
    if data and "cost_items-0-order" not in data:
        assert 'class="alert alert-danger"' in written  # the formset's own error, above the table


@pytest.mark.parametrize(
    "value",
    ["zwykły tekst", "a & b", "<script>", "\"cudzysłów\" i 'apostrof'", "", mark_safe("<i>ok</i>"), 7, Decimal("1.50")],
)
def test_esc_writes_what_conditional_escape_writes(value):
    from django.utils.html import conditional_escape
    from django.utils.translation import gettext_lazy

    from config.renderers import esc

    assert esc(value) == str(conditional_escape(value))
    assert esc(gettext_lazy("Lp. <1>")) == str(conditional_escape(gettext_lazy("Lp. <1>")))


def test_cheaply_copied_fields_render_clean_and_stay_apart_as_deep_copies_do():
    from config.forms import CheapFieldCopies

    class Plain(Everything):
        pass

    class Cheap(CheapFieldCopies, Everything):
        pass

    data = {"text": "x" * 30, "amount": "1 200,50", "number": "0", "note": "<script>", "choice": "a", "many": ["y"]}
    for bound in (None, data):
        plain, cheap = Plain(bound, renderer=FastRenderer()), Cheap(bound, renderer=FastRenderer())
        assert str(cheap) == str(plain)
        assert cheap.is_valid() == plain.is_valid() if bound else True
        if bound:
            assert cheap.errors == plain.errors and cheap.cleaned_data == plain.cleaned_data
    first, second = Cheap(), Cheap()
    first.fields["text"].widget.attrs["class"] = "zmienione"
    first.fields["choice"].choices = [("z", "Z")]
    first.fields["text"].validators.append(lambda value: None)
    assert "class" not in second.fields["text"].widget.attrs and "class" not in Cheap.base_fields["text"].widget.attrs
    assert list(second.fields["choice"].choices) == list(Cheap.base_fields["choice"].choices) != [("z", "Z")]
    assert len(second.fields["text"].validators) == len(Cheap.base_fields["text"].validators)
    assert first.fields["text"].widget is not Cheap.base_fields["text"].widget
