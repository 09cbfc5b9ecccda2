"""Forms of the decision, results, updated offers, appeals and agreements."""

from django import forms
from django.utils import timezone

from config.forms import PlausibleDateField, PolishDecimalField, PolishIntegerField, PolishNumberInput

from ..models import Agreement, Appeal


class AwardDecisionForm(forms.Form):
    """One row of the decision table: grant (an amount) or refuse (reasons)."""

    CHOICES = [("", "— bez decyzji —"), ("grant", "przyznać"), ("refuse", "nie przyznawać")]
    decision = forms.ChoiceField(
        label="Decyzja", choices=CHOICES, required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    amount = PolishDecimalField(
        label="Kwota dotacji",
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=PolishNumberInput(attrs={"class": "form-control text-end", "size": 12}),
    )
    reasons = forms.CharField(
        label="Uzasadnienie",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        max_length=5000,
    )


class JustificationRequestForm(forms.Form):
    name = forms.CharField(label="Imię i nazwisko lub nazwa", max_length=200)
    email = forms.EmailField(label="Adres e-mail do odpowiedzi")
    question = forms.CharField(
        label="Treść wniosku",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Np. której oferty dotyczy wniosek o uzasadnienie wyboru lub odrzucenia.",
        max_length=5000,
    )
    # A field people do not see: bots fill it in.
    website = forms.CharField(
        required=False,
        label="Nie wypełniaj tego pola",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        max_length=200,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Uzasadnienie", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class AppealForm(forms.Form):
    grounds = forms.CharField(label="Uzasadnienie odwołania", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)


class AppealDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label="Rozstrzygnięcie",
        choices=[
            (Appeal.Status.UPHELD, "uwzględnić odwołanie"),
            (Appeal.Status.DISMISSED, "nie uwzględnić odwołania"),
            (Appeal.Status.RESCORING, "skierować ofertę do ponownej oceny komisji"),
        ],
        widget=forms.RadioSelect,
    )
    amount = PolishDecimalField(
        label="Przyznana kwota (gdy odwołanie uwzględniono)",
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    decision = forms.CharField(label="Uzasadnienie", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class UpdateReviewForm(forms.Form):
    remarks = forms.CharField(
        label="Uwagi (wymagane przy zwrocie do poprawy)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class AgreementForm(forms.ModelForm):
    """The negotiable terms of a draft agreement."""

    deviation_threshold_pct = PolishDecimalField(
        label="Dopuszczalne przesunięcie między pozycjami kosztorysu (%)",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text="Wzrost pozycji kosztorysu finansowanej z dotacji o więcej niż ten procent oznacza dotację "
        "pobraną w nadmiernej wysokości.",
    )
    tranches = PolishIntegerField(
        label="Liczba transz",
        min_value=1,
        max_value=4,
        initial=1,
        help_text="Transze równe; ostatnia wyrównuje grosze. Umowa wieloletnia: jedna transza na każdy rok budżetowy, "
        "w proporcji do dni realizacji zadania w danym roku.",
    )

    class Meta:
        model = Agreement
        fields = [
            "place",
            "authority_representatives",
            "organisation_representatives",
            "bank_account",
            "deviation_threshold_pct",
        ]
        widgets = {
            "authority_representatives": forms.Textarea(attrs={"rows": 2}),
            "organisation_representatives": forms.Textarea(attrs={"rows": 2}),
        }


class SignForm(forms.Form):
    signed_on = PlausibleDateField(label="Data zawarcia umowy", initial=timezone.localdate)


class AnnexForm(forms.Form):
    signed_on = PlausibleDateField(label="Data zawarcia aneksu")
    subject = forms.CharField(label="Przedmiot zmiany", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class TerminateForm(forms.Form):
    terminated_on = PlausibleDateField(label="Data rozwiązania")
    reason = forms.CharField(label="Przyczyna rozwiązania", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class BudgetChargesForm(forms.Form):
    """How the grant is split over the programme's budget lines: one amount field per line and budget year."""

    def __init__(self, *args, lines_by_year: dict, parts: dict, charges=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts
        initial = {(c.budget_line_id, c.year): c.amount for c in charges}
        self.groups = []
        for year, lines in sorted(lines_by_year.items()):
            if year not in parts:
                continue
            names = []
            for line in lines:
                name = f"line_{year}_{line.pk}"
                self.fields[name] = PolishDecimalField(
                    label=f"{line.number}. {line.name}",
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                    min_value=0,
                    initial=initial.get((line.pk, year)),
                    widget=PolishNumberInput(attrs={"class": "form-control form-control-sm num"}),
                )
                names.append((line, name))
            self.groups.append({"year": year, "amount": parts[year], "rows": names})

    def rows(self):
        """(year, amount of the year, [(budget line, bound field)]) for the template."""
        return [
            {"year": g["year"], "amount": g["amount"], "rows": [(line, self[name]) for line, name in g["rows"]]}
            for g in self.groups
        ]

    def charges(self):
        from ..services.budget_charges import Charge

        return [
            Charge(line.pk, group["year"], self.cleaned_data[name])
            for group in self.groups
            for line, name in group["rows"]
            if self.cleaned_data.get(name)
        ]
