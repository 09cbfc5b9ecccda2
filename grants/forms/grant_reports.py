"""Forms of the grant report (zał. 5), settlement (refunds) and controls."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import (
    PlausibleDateField,
    PolishDecimalField,
    PolishIntegerField,
    PolishNumberInput,
    state_text_limits,
)
from programmes.forms import DateInput

from ..models import Control, ControlPlan, GrantReport, Refund
from ..services.grant_reports import FIELDS

MONEY_FIELD = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}


class _NoTag:
    """crispy renders the fields only: the page's template writes the <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class GrantReportForm(_NoTag, forms.ModelForm):
    own_financial = PolishDecimalField(label=_("Wkład własny finansowy (faktycznie)"), **MONEY_FIELD)
    personal_contribution = PolishDecimalField(
        label=_("Wartość wkładu osobowego (praca społeczna członków, świadczenia wolontariuszy)"), **MONEY_FIELD
    )
    in_kind_contribution = PolishDecimalField(label=_("Wartość wkładu rzeczowego"), **MONEY_FIELD)
    recipient_payments = PolishDecimalField(label=_("Świadczenia pieniężne od odbiorców zadania"), **MONEY_FIELD)
    other_revenue = PolishDecimalField(label=_("Inne przychody, w tym odsetki bankowe od dotacji"), **MONEY_FIELD)
    eu_funds = PolishDecimalField(
        label=_("Środki z funduszy Unii Europejskiej wykorzystane przy zadaniu"), **MONEY_FIELD
    )

    class Meta:
        model = GrantReport
        fields = FIELDS  # what the NGO fills in is exactly what report_save accepts
        field_classes = {"beneficiaries": PolishIntegerField, "volunteers": PolishIntegerField}
        labels = {
            "results_description": _("1. Opis osiągniętych rezultatów wraz z liczbowym określeniem skali działań"),
            "activities_description": _("2. Szczegółowy opis wykonania poszczególnych działań"),
            "beneficiaries": _("Liczba odbiorców zadania (osób)"),
            "volunteers": _("Liczba osób świadczących pracę w ramach wkładu osobowego i wolontariatu"),
            "additional_info": _("Część III. Dodatkowe informacje"),
            "declarations_confirmed": _(
                "Oświadczam, że od daty zawarcia umowy nie zmienił się status prawny zleceniobiorcy, wszystkie "
                "informacje są zgodne ze stanem faktycznym, zamówienia na dostawy i usługi wykonano zgodnie z "
                "przepisami, a wszystkie kwoty wymienione w zestawieniu wydatków zostały faktycznie poniesione."
            ),
        }
        widgets = {
            "results_description": forms.Textarea(attrs={"rows": 5}),
            "activities_description": forms.Textarea(attrs={"rows": 5}),
            "additional_info": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        state_text_limits(self)


class ReportLinesForm(forms.Form):
    """Part II.1 and the results table: one pair of amounts per agreement cost line, one level per result."""

    def __init__(self, *args, report: GrantReport, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for line in lines:
            total = PolishDecimalField(
                label=_("%(name)s – faktycznie poniesione") % {"name": line.cost_line.name},
                initial=line.actual_total,
                widget=PolishNumberInput(attrs={"class": "form-control form-control-sm text-end"}),
                **MONEY_FIELD,
            )
            grant = PolishDecimalField(
                label=_("%(name)s – w tym z dotacji") % {"name": line.cost_line.name},
                initial=line.actual_from_grant,
                widget=PolishNumberInput(attrs={"class": "form-control form-control-sm text-end"}),
                **MONEY_FIELD,
            )
            self.fields[f"total_{line.cost_line_id}"] = total
            self.fields[f"grant_{line.cost_line_id}"] = grant
            self.rows.append((line, f"total_{line.cost_line_id}", f"grant_{line.cost_line_id}"))
        self.results = []
        for index, row in enumerate(report.results):
            name = f"achieved_{index}"
            self.fields[name] = forms.CharField(
                label=_("Osiągnięty poziom: %(name)s") % {"name": row.get("name", "")},
                initial=row.get("achieved", ""),
                required=False,
                max_length=200,
            )
            self.results.append((row, name))

    def clean(self):
        cleaned = super().clean()
        for _line, total, grant in self.rows:
            if cleaned.get(grant) is not None and cleaned.get(total) is not None and cleaned[grant] > cleaned[total]:
                self.add_error(grant, _("Wydatki z dotacji nie mogą przekraczać wydatków ogółem w danej pozycji."))
        return cleaned

    def valid_lines(self) -> dict[int, tuple[Decimal, Decimal]]:
        """The pairs of amounts without errors: a draft saves them even when another row has errors."""
        data = self.cleaned_data
        return {
            line.cost_line_id: (data[total], data[grant])
            for line, total, grant in self.rows
            if total in data and grant in data and total not in self.errors and grant not in self.errors
        }

    def valid_achieved(self) -> dict[int, str]:
        return {
            index: self.cleaned_data[name] for index, (_, name) in enumerate(self.results) if name in self.cleaned_data
        }

    def bound_rows(self):
        for name in self.errors:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs.get("class", ""):
                self.fields[name].widget.attrs["class"] += " is-invalid"
        return [(line, self[total], self[grant]) for line, total, grant in self.rows]

    def bound_results(self):
        return [(row, self[name]) for row, name in self.results]

    def lines(self) -> dict[int, tuple[Decimal, Decimal]]:
        return {
            line.cost_line_id: (self.cleaned_data[total], self.cleaned_data[grant]) for line, total, grant in self.rows
        }

    def achieved(self) -> dict[int, str]:
        return {index: self.cleaned_data[name] for index, (_, name) in enumerate(self.results)}


class ReportDecisionForm(_NoTag, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decyzja"),
        choices=[("accept", _("przyjmij sprawozdanie")), ("return", _("zwróć do poprawy"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Uwagi – co należy poprawić"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class PartialRequestForm(_NoTag, forms.Form):
    period_to = PlausibleDateField(label=_("Okres sprawozdawczy do"))
    days = PolishIntegerField(label=_("Termin złożenia (dni od doręczenia wezwania)"), min_value=30, initial=30)


class RefundForm(_NoTag, forms.ModelForm):
    amount = PolishDecimalField(label=_("Kwota"), **MONEY_FIELD)

    class Meta:
        model = Refund
        fields = ["kind", "amount", "paid_on", "note"]
        widgets = {"paid_on": DateInput()}


class ControlPlanForm(_NoTag, forms.ModelForm):
    class Meta:
        model = ControlPlan
        fields = ["year", "adopted_on", "notes"]
        field_classes = {"adopted_on": PlausibleDateField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ControlForm(_NoTag, forms.ModelForm):
    misused_amount = PolishDecimalField(
        label=_("Dotacja wykorzystana niezgodnie z przeznaczeniem (stwierdzona w kontroli)"),
        required=False,
        **MONEY_FIELD,
    )

    class Meta:
        model = Control
        fields = [
            "plan",
            "agreement",
            "type",
            "status",
            "planned_for",
            "started_on",
            "ended_on",
            "controller",
            "scope",
            "findings",
            "recommendations",
            "recommendations_deadline",
            "misused_amount",
            "follow_up",
            "follow_up_done_on",
        ]
        field_classes = dict.fromkeys(
            ["planned_for", "started_on", "ended_on", "recommendations_deadline", "follow_up_done_on"],
            PlausibleDateField,
        )
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "recommendations": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plans, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["agreement"].queryset = agreements

    def clean_misused_amount(self):
        return self.cleaned_data.get("misused_amount") or Decimal("0")

    def clean(self):
        data = super().clean()
        if data.get("status") == Control.Status.DONE and not data.get("ended_on"):
            self.add_error("ended_on", _("Podaj datę zakończenia przeprowadzonej kontroli."))
        return data
