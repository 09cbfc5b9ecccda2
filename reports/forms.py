from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AnnualReport


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["implementing_units", "non_financial_summary", "conclusions"]
        widgets = {
            "implementing_units": forms.Textarea(attrs={"rows": 3}),
            "non_financial_summary": forms.Textarea(attrs={"rows": 5}),
            "conclusions": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CorrectionForm(forms.Form):
    """A correction (korekta) of a published document: its reason goes into the change register."""

    reason = forms.CharField(
        label=_("Powód korekty i zakres zmian"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Np. „Uwzględniono sprawozdanie końcowe z umowy 12/2025 przyjęte 3.06.2026: zmiana tabeli 2.”"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
