from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AnnualReport


class AnnualReportForm(forms.ModelForm):
    publish = forms.BooleanField(label=_("Opublikuj sprawozdanie na publicznej stronie programu"), required=False)

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
        self.fields["publish"].initial = bool(self.instance and self.instance.published_at)
        self.helper = FormHelper()
        self.helper.form_tag = False
