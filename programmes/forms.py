from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from config.forms import polish_formfield
from organisations.forms import AreaChoiceField
from organisations.models import PublicTaskArea

from .models import Authority, BudgetLine, CooperationActivity, CooperationForm, Indicator, PriorityArea, Programme
from .rules import overlapping_programmes


class TableRowForm(forms.ModelForm):
    """A form shown as one table row of a formset: Bootstrap classes on the widgets themselves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.NumberInput) and name in ("number", "order"):
                widget.attrs.setdefault("class", "form-control form-control-narrow")
            elif name.endswith("amount"):
                # Over the amount widget's own "text-end" (PolishNumberInput): Bootstrap's box, right-aligned.
                widget.attrs.update({"class": "form-control text-end", "inputmode": "decimal"})
            else:
                classes = widget.attrs.get("class", "").split()
                if "form-control" not in classes:
                    widget.attrs["class"] = " ".join(["form-control", *classes])


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProgrammeForm(forms.ModelForm):
    cooperation_forms = forms.MultipleChoiceField(
        label=_("Formy współpracy (art. 5 ust. 2 ustawy)"),
        choices=CooperationForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Programme
        fields = [
            "authority",
            "title",
            "year_from",
            "year_to",
            "small_grants_reserve",
            "small_grants_cap_pct",
            "report_deadline",
            "cooperation_forms",
        ] + [field for field, _title in Programme.SECTIONS]
        formfield_callback = polish_formfield
        widgets = {field: forms.Textarea(attrs={"rows": 5}) for field, _title in Programme.SECTIONS}
        widgets["report_deadline"] = DateInput()

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        for field, title in Programme.SECTIONS:
            self.fields[field].label = title
        if len(authorities) == 1:
            # One authority: the UI never asks which.
            del self.fields["authority"]
            self.instance.authority = authorities[0]
        else:
            self.fields["authority"].queryset = authorities
        self.helper = FormHelper()
        self.helper.form_tag = False
        basics = [f for f in ("authority", "title") if f in self.fields]
        self.helper.layout = Layout(
            Fieldset(
                _("Dane programu"),
                *basics,
                Div(
                    Div("year_from", css_class="col-md-3"),
                    Div("year_to", css_class="col-md-3"),
                    Div("report_deadline", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("small_grants_reserve", css_class="col-md-6"),
                    Div("small_grants_cap_pct", css_class="col-md-6"),
                    css_class="row",
                ),
                "cooperation_forms",
            ),
            Fieldset(_("Treść programu (art. 5a ust. 4 ustawy)"), *[f for f, _t in Programme.SECTIONS]),
        )

    def clean(self):
        cleaned = super().clean()
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from and year_to and year_to < year_from:
            self.add_error("year_to", _("Rok końcowy nie może poprzedzać roku początkowego."))
        authority = cleaned.get("authority") or getattr(self.instance, "authority", None)
        if authority and year_from and year_to and year_to >= year_from:
            candidate = Programme(pk=self.instance.pk, authority=authority, year_from=year_from, year_to=year_to)
            if other := overlapping_programmes(candidate).first():
                self.add_error("year_from", overlap_message(other))
        return cleaned


def overlap_message(other: Programme) -> str:
    return (
        f"Jednostka ma już program na ten okres: „{other.title}” ({other.period_label}, "
        f"{other.get_status_display()}). Na jeden okres przyjmuje się jeden program; zmianę uchwalonego programu "
        "zapisuje się jako uchwałę zmieniającą."
    )


class NumberingForm(forms.ModelForm):
    """The patterns of the authority's call and agreement numbers."""

    class Meta:
        model = Authority
        fields = ["call_number_pattern", "agreement_number_pattern"]


class ProgrammeCopyForm(forms.Form):
    year_from = forms.IntegerField(
        label=_("Pierwszy rok nowego programu"),
        error_messages={"invalid": _("Wpisz rok, np. 2027.")},
        min_value=2000,
        max_value=2100,
        help_text=_("Program wieloletni zachowa tę samą liczbę lat."),
    )


class PriorityAreaForm(TableRowForm):
    task_areas = AreaChoiceField(
        queryset=PublicTaskArea.objects.all(),
        label=_("Sfery z art. 4 ust. 1"),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    class Meta:
        model = PriorityArea
        fields = ["number", "name", "task_areas", "tasks"]
        widgets = {"tasks": forms.Textarea(attrs={"rows": 2})}


PriorityAreaFormSet = inlineformset_factory(Programme, PriorityArea, form=PriorityAreaForm, extra=1, can_delete=True)


class BudgetLineForm(TableRowForm):
    class Meta:
        model = BudgetLine
        fields = ["number", "priority_area", "name", "planned_amount"]
        formfield_callback = polish_formfield  # "100 000,50" as Polish people type it

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority_area"].queryset = PriorityArea.objects.filter(programme=programme)


BudgetLineFormSet = inlineformset_factory(Programme, BudgetLine, form=BudgetLineForm, extra=1, can_delete=True)


class IndicatorForm(TableRowForm):
    class Meta:
        model = Indicator
        fields = ["order", "code", "target"]


IndicatorFormSet = inlineformset_factory(Programme, Indicator, form=IndicatorForm, extra=1, can_delete=True)


class AdoptionForm(forms.Form):
    resolution_number = forms.CharField(label=_("Numer uchwały"), max_length=100)
    resolution_date = forms.DateField(label=_("Data uchwały"), widget=DateInput())
    confirm_warnings = forms.BooleanField(
        label=_("Potwierdzam zapisanie uchwalenia mimo ostrzeżeń powyżej"), required=False
    )


class AmendmentForm(forms.Form):
    resolution_number = forms.CharField(label=_("Numer uchwały zmieniającej"), max_length=100)
    resolution_date = forms.DateField(label=_("Data uchwały zmieniającej"), widget=DateInput())
    description = forms.CharField(label=_("Zakres zmian"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class CooperationActivityForm(forms.ModelForm):
    class Meta:
        model = CooperationActivity
        fields = [
            "kind",
            "date",
            "title",
            "initiator",
            "organisations",
            "organisation_count",
            "participant_count",
            "description",
        ]
        widgets = {
            "date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "organisations": forms.SelectMultiple(attrs={"size": 6}),
        }
