"""Forms of local initiative (art. 19b–19h): the council's rules, the residents' request, the office's assessment,
the agreement, the authority's spending and the residents' report. Money and numbers are typed the Polish way
(``PolishDecimalField``), dates are bounded (``PlausibleDateField``)."""

from decimal import Decimal

from django import forms
from django.db import models
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from config.forms import PlausibleDateField, PolishDecimalField, PolishIntegerField, polish_formfield, state_text_limits
from config.polish import format_number

from ..models import LocalInitiativeAgreement, LocalInitiativeReport, LocalInitiativeRequest
from ..services.local_initiative import REQUEST_FIELDS, allowed_task_areas


def formfield(db_field, **kwargs):
    """Decimals the Polish way, dates bounded to what an office document can carry."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs["form_class"] = PlausibleDateField
        return db_field.formfield(**kwargs)
    return polish_formfield(db_field, **kwargs)


class RulesForm(forms.Form):
    resolution_number = forms.CharField(label=_("Numer uchwały rady"), max_length=100)
    resolution_date = PlausibleDateField(label=_("Data uchwały"))
    valid_from = PlausibleDateField(label=_("Obowiązuje od"))
    procedure = forms.CharField(
        label=_("Tryb oceny wniosków (art. 19c ust. 1)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    social_work_hour_rate = PolishDecimalField(
        label=_("Wartość godziny pracy społecznej [zł]"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    min_residents = PolishIntegerField(
        label=_("Najmniejsza liczba mieszkańców popierających wniosek grupy"), min_value=1, max_value=1000, initial=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        state_text_limits(self)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Kryterium"), max_length=300)
    description = forms.CharField(label=_("Opis skali"), max_length=2000, required=False)
    max_points = PolishIntegerField(label=_("Najwyżej punktów"), min_value=1, max_value=100)
    weight = PolishDecimalField(
        label=_("Waga [%]"), max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("100")
    )
    is_social_work = forms.BooleanField(label=_("Ocenia wkład pracy społecznej mieszkańców"), required=False)


CriterionFormSet = formset_factory(CriterionForm, extra=4, max_num=12, validate_max=True)


def criteria_rows(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and f.cleaned_data.get("name")]


class ReserveForm(forms.Form):
    budget_line = forms.ModelChoiceField(label=_("Pozycja budżetu programu"), queryset=None)
    amount = PolishDecimalField(
        label=_("Rezerwa na inicjatywę lokalną [zł]"), max_digits=14, decimal_places=2, min_value=Decimal("0")
    )

    def __init__(self, *args, budget_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = budget_lines
        self.fields["budget_line"].label_from_instance = lambda line: f"{line.programme.title}: {line}"


class RequestStartForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("Kto składa wniosek"),
        widget=forms.RadioSelect,
        choices=[
            ("residents", _("grupa mieszkańców – bez organizacji (art. 19b ust. 1: „bezpośrednio”)")),
            ("organisation", _("organizacja pozarządowa w imieniu mieszkańców")),
        ],
        initial="residents",
    )
    organisation = forms.TypedChoiceField(label=_("Organizacja"), coerce=int, required=False)
    authority = forms.ModelChoiceField(label=_("Adresat wniosku"), queryset=None, empty_label=None)

    def __init__(self, *args, organisations, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—")] + [(o.pk, o.name) for o in organisations]
        self.fields["authority"].queryset = authorities

    def clean(self):
        data = super().clean()
        if data.get("applicant_kind") == "organisation" and not data.get("organisation"):
            self.add_error("organisation", _("Wybierz organizację, w imieniu której składasz wniosek."))
        return data


class RequestForm(forms.ModelForm):
    class Meta:
        model = LocalInitiativeRequest
        fields = REQUEST_FIELDS
        formfield_callback = formfield
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "description",
                "schedule",
                "social_work_description",
                "in_kind_description",
                "requested_services",
                "requested_materials",
                "requested_equipment",
                "requested_space",
            ]
        }
        help_texts = {
            "task_area": _("Tylko sfery, w których art. 19b ust. 1 ustawy dopuszcza inicjatywę lokalną."),
            "social_work_hours": _(
                "Łączna liczba godzin pracy mieszkańców; urząd wycenia ją po stawce z uchwały rady."
            ),
            "requested_amount": _("Ile szacunkowo wyda urząd na usługi i materiały (urząd nie przekazuje pieniędzy)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task_area"].queryset = allowed_task_areas()
        self.fields["task_area"].label_from_instance = lambda area: f"{area.short_text} (art. 4 ust. 1 pkt {area.code})"
        for name in self.fields:
            if name not in ("initiator_phone", "task_area", "start_date", "end_date"):
                self.fields[name].required = name in {"initiator_name", "initiator_email"}
        state_text_limits(self)

    def clean(self):
        data = super().clean()
        # A draft may leave amounts empty; they are kept as zero until the applicants fill them in.
        for name in ("total_cost", "social_work_hours", "in_kind_value", "financial_contribution", "requested_amount"):
            if name in data and data[name] is None:
                data[name] = Decimal("0")
        return data


class SupporterForm(forms.Form):
    full_name = forms.CharField(label=_("Imię i nazwisko"), max_length=200)
    address = forms.CharField(label=_("Adres zamieszkania"), max_length=300)
    consent = forms.BooleanField(
        label=_("Zgoda na przetwarzanie danych osobowych w sprawie tego wniosku"),
        error_messages={"required": _("Bez zgody tej osoby nie można wpisać na listę.")},
    )


SupporterFormSet = formset_factory(SupporterForm, extra=3, max_num=200, validate_max=True)


def supporter_rows(formset) -> list[dict]:
    return [
        {k: f.cleaned_data[k] for k in ("full_name", "address", "consent")}
        for f in formset.forms
        if f.cleaned_data and f.cleaned_data.get("full_name")
    ]


class CompletionForm(forms.Form):
    note = forms.CharField(
        label=_("Co wnioskodawcy mają uzupełnić"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ScoreForm(forms.Form):
    """Points and a justification on every criterion of the council's resolution, each within its scale."""

    def __init__(self, *args, criteria, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            existing = scores.get(criterion.pk)
            self.fields[f"points_{criterion.pk}"] = PolishDecimalField(
                label=_("%(name)s – punkty (0–%(max)s, waga %(weight)s%%)")
                % {
                    "name": criterion.name,
                    "max": criterion.max_points,
                    "weight": format_number(
                        criterion.weight, 0 if criterion.weight == criterion.weight.to_integral() else 2
                    ),
                },
                max_digits=5,
                decimal_places=1,
                min_value=0,
                max_value=criterion.max_points,
                initial=existing.points if existing else None,
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=_("Uzasadnienie: %(name)s") % {"name": criterion.name},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=3000,
                initial=existing.justification if existing else "",
            )

    def scores(self) -> dict:
        return {
            c.pk: (self.cleaned_data[f"points_{c.pk}"], self.cleaned_data[f"justification_{c.pk}"])
            for c in self.criteria
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Rozstrzygnięcie"),
        widget=forms.RadioSelect,
        choices=[("accept", _("przyjmuję wniosek do realizacji")), ("refuse", _("nie przyjmuję wniosku"))],
    )
    reasons = forms.CharField(
        label=_("Uzasadnienie (kryteria uchwały i celowość dla społeczności lokalnej, art. 19c ust. 2)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class AgreementForm(forms.ModelForm):
    class Meta:
        model = LocalInitiativeAgreement
        fields = [
            "number",
            "budget_line",
            "start_date",
            "end_date",
            "spending_cap",
            "authority_provides",
            "residents_provide",
            "equipment_lent",
            "results_ownership",
            "authority_representatives",
            "applicant_representatives",
            "place",
        ]
        formfield_callback = formfield
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "authority_provides",
                "residents_provide",
                "equipment_lent",
                "results_ownership",
                "authority_representatives",
                "applicant_representatives",
            ]
        }

    def __init__(self, *args, budget_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = budget_lines
        self.fields["budget_line"].label_from_instance = lambda line: f"{line.programme.title}: {line}"


class SignForm(forms.Form):
    signed_on = PlausibleDateField(label=_("Data zawarcia"))


class TerminateForm(forms.Form):
    terminated_on = PlausibleDateField(label=_("Data rozwiązania"))
    reason = forms.CharField(label=_("Przyczyna"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class AnnexForm(forms.Form):
    signed_on = PlausibleDateField(label=_("Data aneksu"))
    description = forms.CharField(label=_("Zakres zmian"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    new_end_date = PlausibleDateField(label=_("Nowa data zakończenia"), required=False)
    new_spending_cap = PolishDecimalField(
        label=_("Nowy limit wydatków urzędu [zł]"), max_digits=14, decimal_places=2, min_value=0, required=False
    )


class ExpenseForm(forms.Form):
    spent_on_day = PlausibleDateField(label=_("Data wydatku"))
    document = forms.CharField(label=_("Dokument (np. nr faktury)"), max_length=100)
    supplier = forms.CharField(label=_("Dostawca lub wykonawca"), max_length=300)
    description = forms.CharField(label=_("Co kupiono"), max_length=500)
    amount = PolishDecimalField(label=_("Kwota [zł]"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))


class ReportForm(forms.ModelForm):
    class Meta:
        model = LocalInitiativeReport
        fields = ["social_work_hours", "volunteers", "in_kind_value", "financial_value", "results"]
        formfield_callback = formfield
        widgets = {"results": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteers"] = PolishIntegerField(
            label=self.fields["volunteers"].label, min_value=0, initial=self.fields["volunteers"].initial
        )
        state_text_limits(self)


class ReportReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Sprawozdanie"),
        widget=forms.RadioSelect,
        choices=[("accept", _("przyjmuję – inicjatywa rozliczona")), ("return", _("zwracam do poprawy"))],
    )
    note = forms.CharField(
        label=_("Co poprawić"), widget=forms.Textarea(attrs={"rows": 2}), max_length=3000, required=False
    )
