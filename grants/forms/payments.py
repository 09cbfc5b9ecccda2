"""Forms of tranche payments: one transfer on the agreement page, a batch from the list, an imported bank file."""

import django_filters
from django import forms
from django.utils import timezone

from config.forms import PlausibleDateField, PlausibleDateInput, PolishDecimalField
from programmes.models import Authority

from ..models import OpenCall, Tranche

DATE_WIDGET = PlausibleDateInput()
IMPORT_MAX_BYTES = 1024 * 1024


class TranchePaymentForm(forms.Form):
    """The transfer of one tranche: the day it was sent, its amount (as the bank statement shows it) and title."""

    paid_on = PlausibleDateField(label="Data przelewu", initial=timezone.localdate)
    amount = PolishDecimalField(
        label="Kwota przelewu",
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text="Cała kwota transzy, np. 1 200,50.",
    )
    transfer_title = forms.CharField(
        label="Tytuł przelewu",
        max_length=140,
        required=False,
        help_text="Puste: „Dotacja – umowa nr …, transza …”.",
    )


class BatchPaymentForm(forms.Form):
    """The tranches ticked on the list of tranches due, all sent on one day in their full amounts."""

    paid_on = PlausibleDateField(label="Data przelewów", initial=timezone.localdate)
    tranches = forms.ModelMultipleChoiceField(
        queryset=Tranche.objects.none(),
        label="Transze",
        error_messages={"required": "Zaznacz co najmniej jedną transzę."},
    )

    def __init__(self, *args, tranches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranches"].queryset = tranches


class PaymentImportForm(forms.Form):
    file = forms.FileField(
        label="Plik CSV z przelewami",
        help_text="Kolumny: numer umowy; nr transzy; kwota; data przelewu (opcjonalnie tytuł). Np. "
        "UM/2026/001;1;1 200,50;15.03.2026 – albo zestawienie pobrane z tej strony z uzupełnioną datą przekazania.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("Plik jest za duży (najwyżej 1 MB).")
        return upload


class PaymentFilter(django_filters.FilterSet):
    """Filters of the payments list: what is due or paid, when, for which authority and call."""

    status = django_filters.ChoiceFilter(
        label="Pokaż",
        method="filter_status",
        empty_label="wszystkie transze",
        choices=[("do-przekazania", "do przekazania"), ("przekazane", "przekazane")],
    )
    due_from = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label="Termin przekazania od", widget=DATE_WIDGET
    )
    due_to = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Termin przekazania do", widget=DATE_WIDGET
    )
    authority = django_filters.ModelChoiceFilter(
        field_name="agreement__authority", queryset=Authority.objects.none(), label="Organ", empty_label="wszystkie"
    )
    call = django_filters.ModelChoiceFilter(
        field_name="agreement__award__call", queryset=OpenCall.objects.none(), label="Konkurs", empty_label="wszystkie"
    )

    class Meta:
        model = Tranche
        fields = ["status", "due_from", "due_to", "authority", "call"]

    def __init__(self, *args, authorities, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["authority"].queryset = authorities
        self.filters["call"].queryset = calls
        self.form.fields["call"].label_from_instance = lambda call: f"{call.number} – {call.title[:60]}"

    def filter_status(self, queryset, name, value):
        return queryset.unpaid() if value == "do-przekazania" else queryset.paid()
